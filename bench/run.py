"""`make bench`: every registered scenario against its floor, on the real WSGI app, on PostgreSQL.

    python -m bench.run [--scale N] [--requests 200] [--warmup 20] [--only NAME …] [--regenerate]

1. bench.generate makes sure the bench database holds the city (cached between runs).
2. Queries per request of each scenario and floor are counted in-process (Django test client).
3. gunicorn (the real terpadu.wsgi app, production settings) and `terpadu worker` start as
   subprocesses; a sampler reads the resident memory of both process trees from /proc.
4. The personas sign in over HTTP (the kepala with a TOTP code), then each scenario runs: a warm-up,
   then N sequential rounds over loopback, each round one real request and one floor request (in
   alternating order). ratio = p95 / floor p95.
5. The table is printed (with the change against the previous run) and bench/results/latest.json is
   written: a list of {"scenario", "scale", "p50_ms", "p95_ms", "floor_p95_ms", "ratio", …};
   bench/results/latest-run.json adds the memory peaks and the run's settings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import pkgutil
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench import generate

RESULTS = Path(__file__).resolve().parent / "results"
RATIO_TARGET = 2.0
MEMORY_TARGET_MB = 300
BIN = Path(sys.executable).parent
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# -- HTTP over loopback ------------------------------------------------------------------------------


class Client:
    """One keep-alive connection (reopened when the server closes it) and a cookie jar."""

    def __init__(self, port: int):
        self.port = port
        self.conn: HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict | None = None, cookies: dict | None = None, headers: dict | None = None
    ) -> tuple[int, dict, bytes, float]:
        """(status, headers, body, milliseconds); the time covers sending and reading the whole answer."""
        body = urlencode(form).encode() if form is not None else None
        send = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        jar = self.cookies if cookies is None else cookies
        if jar:
            send["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        if body is not None:
            send["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            if self.conn is None:
                self.conn = HTTPConnection("127.0.0.1", self.port, timeout=60)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=send)
                response = self.conn.getresponse()
                data = response.read()
            except (ConnectionError, OSError):
                self.close()
                if attempt:
                    raise
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if response.getheader("Connection", "").lower() == "close" or response.will_close:
                self.close()
            if cookies is None:
                for header in response.headers.get_all("Set-Cookie") or []:
                    for name, morsel in SimpleCookie(header).items():
                        self.cookies[name] = morsel.value
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data, elapsed
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def csrf_token(client: Client, path: str) -> str:
    status, _headers, body, _ms = client.request("GET", path)
    match = CSRF_INPUT.search(body.decode("utf-8", "replace"))
    if status != 200 or not match:
        raise SystemExit(f"GET {path} gave {status} without a CSRF token")
    return match.group(1)


def totp_code(username: str) -> str:
    """A code the TOTP device will accept now: a time step it has not seen yet (within its tolerance)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for _wait in range(80):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = totp.t()
        for t in range(now, now + device.tolerance + 1):
            if t > device.last_t:
                totp.time = t * device.step + device.t0
                return f"{totp.token():0{device.digits}d}"
        time.sleep(1)
    raise SystemExit(f"no fresh TOTP step for {username}")


def sign_in(port: int, username: str, password: str, with_totp: bool) -> dict[str, str]:
    """Sign in like a browser; returns the session's cookies."""
    client = Client(port)
    token = csrf_token(client, "/akun/masuk/")
    status, headers, _body, _ms = client.request(
        "POST", "/akun/masuk/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
    )
    if with_totp:
        if status != 302 or "/akun/2fa/verifikasi/" not in headers.get("location", ""):
            raise SystemExit(f"sign-in of {username} did not ask for the second factor ({status})")
        token = csrf_token(client, "/akun/2fa/verifikasi/")
        status, headers, _body, _ms = client.request(
            "POST", "/akun/2fa/verifikasi/", {"csrfmiddlewaretoken": token, "token": totp_code(username)}
        )
    if status != 302 or not headers.get("location", "").startswith("/beranda/"):
        raise SystemExit(f"sign-in of {username} failed ({status} → {headers.get('location')})")
    client.close()
    return dict(client.cookies)


# -- memory -------------------------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def process_tree(pid: int, tree: dict[int, list[int]] | None = None) -> list[int]:
    tree = _children() if tree is None else tree
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(tree.get(current, []))
    return found


def _rss_and_hwm_kb(pid: int) -> tuple[int, int]:
    """VmRSS (resident now) and VmHWM (the process's own peak) in kB; zeros for a process that is gone."""
    rss = hwm = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class MemorySampler:
    """Peak of the summed VmRSS of each process tree, sampled every `interval` seconds. The sum of the
    processes' own high-water marks (VmHWM) is also kept: an upper bound no sample can miss."""

    roots: dict[str, int]
    interval: float = 0.02
    peaks_kb: dict[str, int] = field(default_factory=dict)
    pss_peaks_kb: dict[str, int] = field(default_factory=dict)
    hwm_kb: dict[str, dict[int, int]] = field(default_factory=dict)
    processes: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        trees: dict[str, list[int]] = {}
        last_scan = 0.0
        rounds = 0
        while not self._stop.is_set():
            if time.monotonic() - last_scan > 1.0:  # gunicorn may replace a worker; rescan the trees
                children = _children()
                trees = {name: process_tree(pid, children) for name, pid in self.roots.items()}
                last_scan = time.monotonic()
            rounds += 1
            for name, pids in trees.items():
                readings = {pid: _rss_and_hwm_kb(pid) for pid in pids}
                total = sum(rss for rss, _hwm in readings.values())
                self.peaks_kb[name] = max(self.peaks_kb.get(name, 0), total)
                if rounds % 10 == 1:  # PSS (shared pages counted once) costs more to read: every 10th round
                    pss = sum(_pss_kb(pid) for pid in pids)
                    self.pss_peaks_kb[name] = max(self.pss_peaks_kb.get(name, 0), pss)
                marks = self.hwm_kb.setdefault(name, {})
                for pid, (_rss, hwm) in readings.items():
                    marks[pid] = max(marks.get(pid, 0), hwm)
                self.processes[name] = max(self.processes.get(name, 0), len(pids))
            self._stop.wait(self.interval)

    def report(self) -> dict[str, dict]:
        result = {}
        for name in self.roots:
            marks = self.hwm_kb.get(name, {})
            result[name] = {
                "peak_rss_mb": round(self.peaks_kb.get(name, 0) / 1024, 1),
                "peak_pss_mb": round(self.pss_peaks_kb.get(name, 0) / 1024, 1),
                "sum_of_hwm_mb": round(sum(marks.values()) / 1024, 1),
                "hwm_per_process_mb": sorted((round(kb / 1024, 1) for kb in marks.values()), reverse=True),
                "processes": self.processes.get(name, 0),
            }
        return result


# -- servers -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as handle:  # the child keeps its own descriptor
        return subprocess.Popen(
            command,
            cwd=generate.REPO,
            env={**os.environ, **env},
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen, seconds: float = 20) -> None:
    """SIGTERM to the group this runner started (gunicorn's master and its workers), then SIGKILL."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def wait_until_serving(port: int, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}); see {log}")
        client = Client(port)
        try:
            status, _h, _b, _ms = client.request("GET", "/akun/masuk/")
            if status == 200:
                return
        except OSError:
            pass
        finally:
            client.close()
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {seconds:.0f} s; see {log}")


# -- measuring ----------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class Runner:
    def __init__(self, port: int, sessions: dict[str, dict[str, str]]):
        self.client = Client(port)
        self.port = port
        self.sessions = sessions
        self.csrf: dict[str, str] | None = None

    def _csrf(self) -> dict[str, str]:
        if self.csrf is None:
            anonymous = Client(self.port)
            token = csrf_token(anonymous, "/akun/masuk/")
            self.csrf = {"token": token, "cookie": anonymous.cookies["csrftoken"]}
            anonymous.close()
        return self.csrf

    def once(self, req) -> float:
        cookies: dict[str, str] = {}
        form = dict(req.form) if req.method == "POST" else None
        if req.persona:
            cookies.update(self.sessions[req.persona])
        if req.csrf:
            csrf = self._csrf()
            cookies["csrftoken"] = csrf["cookie"]
            form = {**(form or {}), "csrfmiddlewaretoken": csrf["token"]}
        status, headers, body, ms = self.client.request(req.method, req.path, form, cookies=cookies)
        location = headers.get("location", "")
        if status != req.expect or (req.expect_location and not location.startswith(req.expect_location)):
            snippet = body[:300].decode("utf-8", "replace")
            raise RuntimeError(
                f"{req.method} {req.path}: {status} {location} (expected {req.expect} "
                f"{req.expect_location or ''}) {snippet}"
            )
        return ms

    def measure(self, scenario, requests: int, warmup: int) -> tuple[list[float], list[float]]:
        for _ in range(warmup):
            self.once(scenario.request)
            self.once(scenario.floor)
        real, floor = [], []
        for i in range(requests):
            if i % 2:
                real.append(self.once(scenario.request))
                floor.append(self.once(scenario.floor))
            else:
                floor.append(self.once(scenario.floor))
                real.append(self.once(scenario.request))
        return real, floor


def count_queries(scenarios) -> dict[str, tuple[int, int]]:
    """Queries per request of each scenario and its floor, in-process (same database, same code)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.scenarios import PERSONAS
    from terpadu.accounts.models import User

    clients = {}
    for username, with_totp in PERSONAS.items():
        client = DjangoClient()
        user = User.objects.get(username=username)
        client.force_login(user, backend="terpadu.accounts.backends.NipOrUsernameBackend")
        if with_totp:
            session = client.session
            session["otp_device_id"] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
            session.save()
        clients[username] = client
    counts = {}
    for scenario in scenarios:
        result = []
        for req in (scenario.request, scenario.floor):

            def call(req=req):
                # Without a persona, a fresh client each time: a sign-in must not find the last one's session.
                client = clients[req.persona] if req.persona else DjangoClient()
                return client.post(req.path, req.form) if req.method == "POST" else client.get(req.path)

            call()  # warm caches
            with CaptureQueriesContext(connection) as captured:
                response = call()
            if response.status_code != req.expect:
                raise SystemExit(f"in-process {req.method} {req.path} gave {response.status_code}")
            result.append(len(captured))
        counts[scenario.name] = tuple(result)
    return counts


def reset_volatile() -> None:
    """Sessions and sign-in attempts of earlier runs would make each run slightly different."""
    from django.contrib.sessions.models import Session

    from terpadu.accounts.models import LoginAttempt, UserSession

    Session.objects.all().delete()
    UserSession.objects.all().delete()
    LoginAttempt.objects.all().delete()


def load_scenarios(only: list[str] | None):
    from bench import scenarios

    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("scenarios_"):
            importlib.import_module(f"bench.{module.name}")
    unknown = set(only or []) - set(scenarios.SCENARIOS)
    if unknown:
        have = ", ".join(scenarios.SCENARIOS)
        raise SystemExit(f"unknown scenarios: {', '.join(sorted(unknown))} (have: {have})")
    return [s for name, s in scenarios.SCENARIOS.items() if not only or name in only]


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=generate.REPO, capture_output=True, text=True, timeout=10
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=generate.REPO,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="city size: 1 = 5,000 pegawai in ~600 units")
    parser.add_argument("--requests", type=int, default=200, help="measured rounds per scenario")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these scenarios")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the bench database")
    parser.add_argument("--database-url", help="default: postgres://postgres@127.0.0.1:5432/terpadu_bench[_sN]")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread if > 1)")
    parser.add_argument("--no-worker", action="store_true", help="do not start `terpadu worker`")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target (ratio, memory) is missed")
    parser.add_argument(
        "--naskah", type=int, help="naskah to bulk-load (default 1,000,000 × scale; bench/generate_naskah.py)"
    )
    args = parser.parse_args(argv)
    if args.scale < 1 or args.requests < 1 or args.warmup < 0 or args.requests > 100_000:
        parser.error("--scale ≥ 1, 1 ≤ --requests ≤ 100000, --warmup ≥ 0")

    database_url = args.database_url or generate.default_database_url(args.scale)
    generate.prepare(database_url, args.scale, args.regenerate)
    from bench import generate_naskah

    generate_naskah.prepare(args.scale, args.naskah)
    from bench import generate_chain

    generate_chain.prepare(args.scale)
    from bench import generate_spbe

    generate_spbe.prepare(args.scale)  # after the chain: some spending lines are its DPA lines
    scenarios = load_scenarios(args.only)
    reset_volatile()
    print("Counting queries per request (in-process) …", flush=True)
    queries = count_queries(scenarios)

    env = generate.bench_env(database_url)
    port = free_port()
    logs = generate.DATA_DIR / "logs"
    web_log, worker_log = logs / "gunicorn.log", logs / "worker.log"
    web_cmd = [
        str(BIN / "gunicorn"),
        "terpadu.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--timeout",
        "60",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
    ]
    print(
        f"Starting gunicorn ({args.workers} worker(s) × {args.threads} thread(s)) on 127.0.0.1:{port}"
        + ("" if args.no_worker else " and terpadu worker"),
        flush=True,
    )
    web = start(web_cmd, env, web_log)
    worker = None if args.no_worker else start([str(BIN / "terpadu"), "worker"], env, worker_log)
    sampler = MemorySampler({"web": web.pid, **({"worker": worker.pid} if worker else {})})
    sampler.start()
    rows, failures = [], []
    try:
        wait_until_serving(port, web, web_log)
        from bench.scenarios import PASSWORD, PERSONAS

        sessions = {user: sign_in(port, user, PASSWORD, with_totp) for user, with_totp in PERSONAS.items()}
        runner = Runner(port, sessions)
        for scenario in scenarios:
            print(f"  {scenario.name}: {args.warmup} warm-up + {args.requests} rounds …", flush=True)
            try:
                real, floor = runner.measure(scenario, args.requests, args.warmup)
            except RuntimeError as exc:
                failures.append(f"{scenario.name}: {exc}")
                print(f"    FAILED: {exc}", flush=True)
                continue
            p95, floor_p95 = percentile(real, 0.95), percentile(floor, 0.95)
            rows.append(
                {
                    "scenario": scenario.name,
                    "scale": args.scale,
                    "p50_ms": round(percentile(real, 0.5), 2),
                    "p95_ms": round(p95, 2),
                    "floor_p95_ms": round(floor_p95, 2),
                    "ratio": round(p95 / floor_p95, 2),
                    "target": scenario.target or RATIO_TARGET,
                    "floor_p50_ms": round(percentile(floor, 0.5), 2),
                    "ratio_p50": round(percentile(real, 0.5) / percentile(floor, 0.5), 2),
                    "requests": len(real),
                    "queries": queries[scenario.name][0],
                    "floor_queries": queries[scenario.name][1],
                }
            )
        runner.client.close()
    finally:
        time.sleep(0.2)
        sampler.stop()
        stop(web)
        if worker is not None:
            stop(worker)
    memory = sampler.report()
    if worker is not None and worker.returncode not in (0, -signal.SIGTERM):
        failures.append(f"terpadu worker exited with {worker.returncode}; see {worker_log}")
    return report(rows, memory, failures, args, database_url)


def report(rows, memory, failures, args, database_url) -> int:
    previous_file = RESULTS / "latest.json"
    previous = {}
    if previous_file.exists():
        try:
            previous = {(r["scenario"], r["scale"]): r for r in json.loads(previous_file.read_text())}
        except (ValueError, KeyError, TypeError):
            previous = {}
    print()
    header = (
        f"{'scenario':<20} {'p50 ms':>8} {'p95 ms':>8} {'floor p50':>9} {'floor p95':>9} {'ratio':>6}  "
        f"{'(p50)':>6} {'queries':>9}  {'p95 vs last':>11}"
    )
    print(header)
    print("-" * len(header))
    missed = []
    for row in rows:
        last = previous.get((row["scenario"], row["scale"]))
        change = f"{(row['p95_ms'] / last['p95_ms'] - 1) * 100:+.0f}%" if last and last.get("p95_ms") else "—"
        target = row.get("target", RATIO_TARGET)
        flag = "" if row["ratio"] <= target else f"  > target {target}×"
        if flag:
            missed.append(f"{row['scenario']} ratio {row['ratio']} > {target}")
        r, queries = row, f"{row['queries']}/{row['floor_queries']}"
        print(
            f"{r['scenario']:<20} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['floor_p50_ms']:>9.1f} "
            f"{r['floor_p95_ms']:>9.1f} {r['ratio']:>5.2f}×  {r['ratio_p50']:>5.2f}× {queries:>9}  "
            f"{change:>11}{flag}"
        )
    print(
        f"\nscale {args.scale}, {args.requests} rounds per scenario after {args.warmup} warm-up, "
        f"target ratio ≤ {RATIO_TARGET}× (p95 / floor p95; (p50) = p50 / floor p50); "
        "queries = real/floor per request"
    )
    for name, mem in memory.items():
        flag = "" if mem["peak_rss_mb"] <= MEMORY_TARGET_MB else "  > target"
        if flag:
            missed.append(f"{name} peak RSS {mem['peak_rss_mb']} MB > {MEMORY_TARGET_MB} MB")
        own = " + ".join(map(str, mem["hwm_per_process_mb"]))
        print(
            f"peak RSS {name:<7} {mem['peak_rss_mb']:>7.1f} MB  (target ≤ {MEMORY_TARGET_MB} MB){flag}; "
            f"{mem['processes']} process(es), own peaks {own} MB; "
            f"peak PSS {mem['peak_pss_mb']:.1f} MB"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    if rows:
        if previous_file.exists():
            previous_file.replace(RESULTS / "previous.json")
        previous_file.write_text(json.dumps(rows, indent=2) + "\n")
    run = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": generate.database_name(database_url),
        "scale": args.scale,
        "requests": args.requests,
        "warmup": args.warmup,
        "gunicorn": {"workers": args.workers, "threads": args.threads},
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "memory": memory,
        "results": rows,
        "failures": failures,
    }
    (RESULTS / "latest-run.json").write_text(json.dumps(run, indent=2) + "\n")
    print(
        f"\nwrote {previous_file.relative_to(generate.REPO)} and latest-run.json "
        f"(load average during the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())})"
    )
    for failure in failures:
        print(f"FAILED {failure}")
    if failures or (args.check and missed):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
