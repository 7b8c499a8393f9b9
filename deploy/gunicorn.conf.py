"""Gunicorn settings for Terpadu: `gunicorn -c deploy/gunicorn.conf.py` (see deploy/terpadu-web.service).

Every value can be changed from the environment file (/etc/terpadu/terpadu.env). The access log is
one JSON object per line with the request id that nginx generated (X-Request-ID), the same id as in
the application's own log lines and in the audit events of the request.
"""

import datetime as dt
import json
import os

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


wsgi_app = "terpadu.wsgi:application"
proc_name = "terpadu-web"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Sync workers: one request each. 2 × cores + 1 is the usual rule; capped so that a big machine
# does not start dozens of ~150 MB processes. Requests that take long (exports, PDFs) belong in jobs.
workers = _int("GUNICORN_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)  # a worker silent this long is killed (nginx waits 75 s)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # on restart: finish running requests
keepalive = 5  # nginx keeps upstream connections open
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)  # recycle workers now and then (memory)
max_requests_jitter = max_requests // 10
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (heartbeat file on tmpfs)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")  # nginx on this host
# gunicorn's runtime control socket (gunicornc) would go to $HOME/.gunicorn; reload with SIGHUP instead.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or None
limit_request_line = 8190
limit_request_field_size = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")  # stdout → journald
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


class JsonAccessLogger(Logger):
    """Access log lines as JSON, like the application's logs (terpadu.core.logging.JsonFormatter)."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        status = str(atoms.get("s") or "0")
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        line = {
            "time": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            # the id Django answered with (nginx's, or one it generated), else the incoming header
            "request_id": atoms.get("{x-request-id}o") or atoms.get("{x-request-id}i") or "-",
            "client": forwarded.split(",")[-1].strip() or atoms.get("h") or "-",
            "method": atoms.get("m"),
            "path": atoms.get("U"),  # no query string: it may hold search terms about people
            "status": int(status) if status.isdigit() else status,
            "bytes": atoms.get("B") or 0,
            "duration_ms": atoms.get("M"),
            "user_agent": atoms.get("a"),
        }
        try:
            self.access_log.info(json.dumps(line, ensure_ascii=False))
        except Exception:  # never let logging break a response
            self.exception("access log failed")


logger_class = JsonAccessLogger
