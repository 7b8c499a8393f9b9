"""The scenario registry: each scenario is a real request and its floor, measured side by side.

A scenario's `request` goes through the whole stack (gunicorn, middleware, session, view, template);
its `floor` is a bench-only view (bench/floor_views.py) doing the same queries and answering a few
bytes. ratio = p95(request) / p95(floor), measured in the same run, interleaved, so that a noisy
machine moves both alike.

A module adds its scenarios here (or in a new bench/scenarios_<module>.py, which bench.run imports):

    register(Scenario(
        name="naskah_inbox", description="…",
        request=Req("GET", "/naskah/masuk/", persona=STAFF),
        floor=Req("GET", f"/_bench/naskah-inbox/?user={STAFF}"),
    ))
"""

from __future__ import annotations

from dataclasses import dataclass, field

from terpadu.demo.accounts import DEMO_PASSWORD

# The bench personas are the demo accounts (terpadu.demo.accounts), created by bench.generate.
STAFF = "staf.kominfo"  # pelaksana, Diskominfo; no 2FA
PIMPINAN = "kadis.kominfo"  # Kepala Dinas Kominfo; 2FA (the runner signs in with a TOTP code)
PERSONAS = {STAFF: False, PIMPINAN: True}  # username -> signs in with TOTP
PASSWORD = DEMO_PASSWORD


@dataclass(frozen=True)
class Req:
    method: str
    path: str
    form: dict[str, str] = field(default_factory=dict)  # POST body (urlencoded)
    persona: str | None = None  # send this persona's session cookie (signed in once, before measuring)
    csrf: bool = False  # send the CSRF cookie and form token (a form POST from a browser)
    expect: int = 200
    expect_location: str | None = None  # for a redirect: where it must point (catches a failed sign-in)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    request: Req
    floor: Req
    target: float | None = None  # ratio target (p95 / floor p95) when not bench.run's RATIO_TARGET


SCENARIOS: dict[str, Scenario] = {}


def register(scenario: Scenario) -> Scenario:
    if scenario.name in SCENARIOS:
        raise ValueError(f"scenario {scenario.name!r} is registered twice")
    SCENARIOS[scenario.name] = scenario
    return scenario


# -- platform foundation ------------------------------------------------------------------------

register(
    Scenario(
        name="login",
        description="POST the sign-in form (throttling check, Argon2, session, audit of the attempt)",
        request=Req(
            "POST",
            "/akun/masuk/",
            form={"username": STAFF, "password": PASSWORD},
            csrf=True,
            expect=302,
            expect_location="/beranda/",
        ),
        floor=Req("POST", "/_bench/login/", form={"username": STAFF, "password": PASSWORD}),
    )
)

register(
    Scenario(
        name="home",
        description="the home dashboard of a kepala dinas (2FA-verified session)",
        request=Req("GET", "/beranda/", persona=PIMPINAN),
        floor=Req("GET", f"/_bench/home/?user={PIMPINAN}"),
    )
)

register(
    Scenario(
        name="org_tree",
        description="the whole organisation tree with the head of every unit",
        request=Req("GET", "/organisasi/", persona=STAFF),
        floor=Req("GET", f"/_bench/tree/?user={STAFF}"),
    )
)

register(
    Scenario(
        name="pegawai_search",
        description="the pegawai list searched by name (?q=, full-text), first page of 50",
        request=Req("GET", "/organisasi/pegawai/?q=santoso", persona=STAFF),
        floor=Req("GET", f"/_bench/pegawai/?q=santoso&user={STAFF}"),
    )
)
