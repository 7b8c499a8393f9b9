"""Who may reach which route: the table tests/test_authorization.py walks.

Every URL name of the project must be a key of EXPECTATIONS (django-admin is covered by the
ADMIN_PREFIX rule). A new view without an entry here fails the walker with a message naming it.

An entry says which personas are *allowed*; every other persona must be *denied*:

- allowed: 2xx, or a redirect that is not to a login page (e.g. a form or POST that succeeded);
- denied, anonymous on a page: a redirect to the login page (or 401/403);
- denied, signed in on a page: 403, or 404 when the object is outside the user's scope;
- denied on the API (/api/...): 401/403/404 with the JSON body {"error": {"status", "code", "message"}}.

A route taking arguments needs `kwargs`: a function of the World (the `city` fixture plus a few
objects made for the walk) returning the URL kwargs. POST-only routes say `post=True`; they are
sent `data` (empty by default) and must answer 405 (or the login redirect) to a GET.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

ANON, OTHER, SAME, PIMPINAN, ADMIN = "anonymous", "staff_other", "staff_same", "pimpinan", "admin"
PERSONAS = (ANON, OTHER, SAME, PIMPINAN, ADMIN)  # admin last: its successful POSTs change the data

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {ANON}
ADMIN_ONLY = frozenset({ADMIN})
NOBODY: frozenset[str] = frozenset()

LOGIN_PATHS = ("/akun/masuk/", "/django-admin/login/")
ADMIN_PREFIX = "admin:"  # the django-admin namespace: no persona is is_staff, so everyone is denied


class LazyExtra(dict):
    """The objects the module tables made. A table is built the first time one of its objects is asked for:
    the walker builds, for each route, only the table that owns it (all of them would take most of the run)."""

    def __init__(self):
        super().__init__()
        self.world = None
        self.pending: list = []

    def build(self, table) -> None:
        if table in self.pending:
            self.pending.remove(table)
            self.update(table.build(self.world))

    def build_all(self) -> None:
        while self.pending:
            self.build(self.pending[0])

    def __missing__(self, key):
        while self.pending:
            self.build(self.pending[0])
            if dict.__contains__(self, key):
                return dict.__getitem__(self, key)
        raise KeyError(key)

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default


@dataclass
class World:
    """The `city` fixture plus the objects some routes act on."""

    city: object
    job: object  # JobRecord owned by staff_same
    token_same: object  # ApiToken of staff_same
    session_same: object  # UserSession of staff_same
    assignment: object  # RoleAssignment of staff_other (operator-layanan on Dinas Beta: no new rights)
    penugasan: object  # a future Plt. of staff_same as Kepala Bidang Alfa Satu (not active: no new rights)
    role: object  # the "pegawai" role
    extra: LazyExtra = field(default_factory=LazyExtra)  # objects the module route tables made (MODULE_TABLES)


def build_world(city, lazy: bool = False) -> World:
    """The world of the walk; with lazy=True the module tables are built when first needed (world.extra)."""
    from django.utils import timezone

    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role, UserSession
    from terpadu.core.context import acting
    from terpadu.core.models import JobRecord
    from terpadu.organisasi import services as org

    today = timezone.localdate()
    with acting(None, via="command"):
        token, _secret = access.create_token(city.staff_same, "walker", ["organisasi.view"], 30)
        assignment = access.assign_role(city.staff_other, Role.objects.get(code="operator-layanan"), city.dinas_b)
        penugasan = org.assign_acting(
            city.pegawai_same,
            city.kabid_a,
            "plt",
            today + dt.timedelta(days=30),
            today + dt.timedelta(days=60),
            "800/1/2025",
        )
    job = JobRecord.objects.create(kind="test.walk", title="Walker job", owner=city.staff_same)
    session = UserSession.objects.create(user=city.staff_same, session_key="walker-session-of-staff-same")
    world = World(city, job, token, session, assignment, penugasan, Role.objects.get(code="pegawai"))
    world.extra.world = world
    world.extra.pending = list(_module_tables())
    if not lazy:
        world.extra.build_all()
    return world


def _logged_out(response) -> bool:
    """Logout redirects to the login page by design: success is the redirect."""
    return response.status_code == 302


def _health_answered(response) -> bool:
    """/health answers a monitor: 200, or 503 with the failing check (no job worker runs in the tests)."""
    return response.status_code in (200, 503) and "checks" in response.json()


@dataclass(frozen=True)
class Expect:
    allow: frozenset[str]
    kwargs: Callable[[World], dict] | None = None
    post: bool = False
    data: Callable[[World], dict] | None = None
    query: dict = field(default_factory=dict)
    # For the rare route whose success is not "2xx or a redirect elsewhere than the login page".
    allowed_when: Callable | None = None
    note: str = ""


def _pk(name: str) -> Callable[[World], dict]:
    """kwargs {"pk": ...} of an object of the world or the city, by attribute name."""

    def provide(world: World) -> dict:
        obj = world.extra.get(name) or getattr(world, name, None) or getattr(world.city, name)
        return {"pk": obj.pk}

    provide.__name__ = f"pk_of_{name}"
    return provide


EXPECTATIONS: dict[str, Expect] = {
    # -- public ----------------------------------------------------------------------------
    "portal:home": Expect(EVERYONE),
    "portal:audit_checkpoints": Expect(EVERYONE),
    "portal:audit_checkpoints_json": Expect(EVERYONE),
    "health": Expect(EVERYONE, allowed_when=_health_answered),
    "api-schema": Expect(EVERYONE),
    "api-docs": Expect(EVERYONE),
    "api-audit-checkpoints": Expect(EVERYONE),
    "accounts:login": Expect(EVERYONE, note="signed-in users are sent on to the home page"),
    "accounts:password_reset": Expect(EVERYONE),
    "accounts:password_reset_done": Expect(EVERYONE),
    "accounts:password_reset_confirm": Expect(
        EVERYONE,
        kwargs=lambda w: {"uidb64": "MQ", "token": "bukan-token-asli"},
        note="renders 'invalid link'",
    ),
    "set_language_user": Expect(EVERYONE, post=True),
    "accounts:logout": Expect(EVERYONE, post=True, allowed_when=_logged_out),
    "accounts:2fa_verify": Expect(SIGNED_IN, note="anonymous is sent to the login page"),
    "admin_login_redirect": Expect(
        EVERYONE,
        allowed_when=lambda r: r.status_code == 302 and r["Location"].startswith("/akun/masuk/"),
        note="django-admin's own login form is replaced by the one sign-in",
    ),
    # -- every signed-in persona -----------------------------------------------------------
    "core:home": Expect(SIGNED_IN),
    "core:search": Expect(SIGNED_IN, query={"q": "alfa"}),
    "core:pick": Expect(SIGNED_IN, kwargs=lambda w: {"key": "pegawai"}, query={"q": "alfa"}),
    "core:notifications": Expect(SIGNED_IN),
    "core:notifications_read": Expect(SIGNED_IN, post=True),
    "core:unread_count": Expect(SIGNED_IN),
    "core:job_list": Expect(SIGNED_IN),
    "organisasi:tree": Expect(SIGNED_IN),
    "organisasi:pegawai_list": Expect(SIGNED_IN),
    "organisasi:unit_detail": Expect(SIGNED_IN, kwargs=_pk("bidang_a")),
    "organisasi:jabatan_detail": Expect(SIGNED_IN, kwargs=_pk("staff_a_jabatan")),
    "organisasi:pegawai_detail": Expect(SIGNED_IN, kwargs=_pk("pegawai_same")),
    "organisasi:riwayat_list": Expect(SIGNED_IN, kwargs=_pk("dinas_a")),
    "accounts:profile": Expect(SIGNED_IN),
    "accounts:password_change": Expect(SIGNED_IN),
    "accounts:2fa_setup": Expect(SIGNED_IN),
    "accounts:2fa_disable": Expect(SIGNED_IN, post=True, note="acts on the caller's own device"),
    "accounts:token_create": Expect(SIGNED_IN),
    "api-notifications": Expect(SIGNED_IN),
    "api-search": Expect(SIGNED_IN, query={"q": "alfa"}),
    "api-pemda-list": Expect(SIGNED_IN),
    "api-unit-list": Expect(SIGNED_IN),
    "api-unit-detail": Expect(SIGNED_IN, kwargs=_pk("dinas_b")),
    "api-jabatan-list": Expect(SIGNED_IN),
    "api-jabatan-detail": Expect(SIGNED_IN, kwargs=_pk("staff_b_jabatan")),
    "api-pegawai-list": Expect(SIGNED_IN),
    "api-pegawai-detail": Expect(SIGNED_IN, kwargs=_pk("pegawai_same")),
    # -- own data ----------------------------------------------------------------------------
    "core:job_detail": Expect(frozenset({SAME, ADMIN}), kwargs=_pk("job"), note="owner, or core.jobs"),
    "accounts:user_detail": Expect(frozenset({SAME, ADMIN}), kwargs=_pk("staff_same"), note="own record"),
    "api-user-detail": Expect(frozenset({SAME, ADMIN}), kwargs=_pk("staff_same"), note="own record"),
    "accounts:end_session": Expect(
        frozenset({SAME}), kwargs=_pk("session_same"), post=True, note="only one's own sessions"
    ),
    "accounts:token_revoke": Expect(
        frozenset({SAME, ADMIN}), kwargs=_pk("token_same"), post=True, note="own token, or accounts.manage"
    ),
    # -- pimpinan (scoped to the OPD) and admin ----------------------------------------------
    "organisasi:export": Expect(frozenset({PIMPINAN, ADMIN}), query={"format": "csv", "kind": "pegawai"}),
    # -- admin-sistem only -------------------------------------------------------------------
    "core:audit_status": Expect(ADMIN_ONLY),
    "organisasi:unit_create": Expect(ADMIN_ONLY),
    "organisasi:unit_edit": Expect(ADMIN_ONLY, kwargs=_pk("dinas_a")),
    "organisasi:jabatan_create": Expect(ADMIN_ONLY),
    "organisasi:jabatan_edit": Expect(ADMIN_ONLY, kwargs=_pk("staff_a_jabatan")),
    "organisasi:pegawai_create": Expect(ADMIN_ONLY),
    "organisasi:pegawai_edit": Expect(ADMIN_ONLY, kwargs=_pk("pegawai_same")),
    "organisasi:pegawai_assign": Expect(ADMIN_ONLY, kwargs=_pk("pegawai_same")),
    "organisasi:import": Expect(ADMIN_ONLY),
    "organisasi:acting_revoke": Expect(ADMIN_ONLY, kwargs=_pk("penugasan"), post=True),
    "accounts:user_list": Expect(ADMIN_ONLY),
    "accounts:user_create": Expect(ADMIN_ONLY),
    "accounts:user_token_create": Expect(ADMIN_ONLY, kwargs=_pk("staff_other"), note="token for a service account"),
    "accounts:role_list": Expect(ADMIN_ONLY),
    "accounts:role_detail": Expect(ADMIN_ONLY, kwargs=_pk("role")),
    "accounts:assignment_revoke": Expect(ADMIN_ONLY, kwargs=_pk("assignment"), post=True),
    "api-user-list": Expect(ADMIN_ONLY),
    "api-role-list": Expect(ADMIN_ONLY),
    "api-role-detail": Expect(ADMIN_ONLY, kwargs=_pk("role")),
    "api-audit-events": Expect(ADMIN_ONLY),
}

# Each module keeps its routes' table next to its code, in terpadu/<app>/tests/authz_routes.py:
# `build(world) -> dict` makes the objects its routes act on (reached by _pk(name)), and
# `EXPECTATIONS` is merged into the table above.
MODULE_TABLES = (
    "terpadu.arsip.tests.authz_routes",
    "terpadu.naskah.tests.authz_routes",
    "terpadu.tte.tests.authz_routes",
    "terpadu.perencanaan.tests.authz_routes_master",
    "terpadu.perencanaan.tests.authz_routes_rencana",
    "terpadu.anggaran.tests.authz_routes_master",
    "terpadu.anggaran.tests.authz_routes_rka",
    "terpadu.kontrak.tests.authz_routes_kontrak",
    "terpadu.realisasi.tests.authz_routes_realisasi",
    "terpadu.monev.tests.authz_routes_evaluasi",
    "terpadu.monev.tests.authz_routes_publik",
    "terpadu.spbe.tests.authz_routes_arsitektur",
    "terpadu.spbe.tests.authz_routes_katalog",
    "terpadu.spbe.tests.authz_routes_belanja",
    "terpadu.spbe.tests.authz_routes_usulan",
    "terpadu.spbe.tests.authz_routes_evaluasi",
    "terpadu.spbe.tests.authz_routes_publik",
)


def _module_tables():
    import importlib

    return [importlib.import_module(name) for name in MODULE_TABLES]


TABLE_OF: dict = {}  # route name -> the module table that owns it (its build() makes the route's objects)
for _table in _module_tables():
    _clash = set(_table.EXPECTATIONS) & set(EXPECTATIONS)
    assert not _clash, f"{_table.__name__} repeats routes: {sorted(_clash)}"
    EXPECTATIONS.update(_table.EXPECTATIONS)
    TABLE_OF.update(dict.fromkeys(_table.EXPECTATIONS, _table))

ADMIN_RULE = Expect(NOBODY, note="django-admin: only is_staff users, and no persona is one")


def expectation_for(name: str | None) -> Expect | None:
    if name and name.startswith(ADMIN_PREFIX):
        return ADMIN_RULE
    return EXPECTATIONS.get(name) if name else None
