"""Settings, read from environment variables.

Every value comes from the environment so that one code base serves the demo, CI and
production. Helpers fail loudly on malformed values instead of guessing. DEBUG is only
ever on in the demo profile.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str | None = None) -> str | None:
    """A string setting; NAME_FILE (a Docker/systemd secret file) wins over NAME."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """postgres://user:pass@host:port/name or sqlite:///path."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path[1:] or ":memory:")}
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            # Short OLTP queries: PostgreSQL's JIT compiler costs ~70 ms on a full-text search over a million
            # naskah and saves nothing (bench/README.md). Off for this application's connections only.
            "OPTIONS": {"options": env("DATABASE_PG_OPTIONS", "-c jit=off")},
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (sqlite or postgres)")


# demo: make demo, DEBUG on, SQLite by default; test: the test suite; production: everything strict.
PROFILE = env("TERPADU_PROFILE", "production")
if PROFILE not in ("demo", "test", "production"):
    raise ImproperlyConfigured(f"TERPADU_PROFILE must be demo, test or production, not {PROFILE!r}")
IS_PRODUCTION = PROFILE == "production"

DATA_DIR = Path(env("TERPADU_DATA_DIR", str(Path.cwd() / "var")) or "var").resolve()

DEBUG = PROFILE == "demo" and env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
    SECRET_KEY = "insecure-" + PROFILE + "-key-not-for-production-use-0123456789abcdefghij"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost,testserver")
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma separated)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'terpadu.sqlite3'}"
DATABASES = {"default": database_from_url(DATABASE_URL)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
USES_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if USES_POSTGRES:
    # A second connection to the same database: job progress written through it is visible to the
    # progress bar while the job's own transaction is still open.
    DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Jobs: procrastinate on PostgreSQL; on SQLite (demo, quick tests) jobs run after commit in-process.
JOBS_BACKEND = env("TERPADU_JOBS_BACKEND", "procrastinate" if USES_POSTGRES else "eager")
if JOBS_BACKEND not in ("procrastinate", "eager"):
    raise ImproperlyConfigured("TERPADU_JOBS_BACKEND must be procrastinate or eager")
if JOBS_BACKEND == "procrastinate" and not USES_POSTGRES:
    raise ImproperlyConfigured("TERPADU_JOBS_BACKEND=procrastinate needs a PostgreSQL DATABASE_URL")
# Attaches the tasks declared through terpadu.core.jobs to procrastinate's Django app.
PROCRASTINATE_ON_APP_READY = "terpadu.core.jobs.on_app_ready"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    *(["procrastinate.contrib.django"] if JOBS_BACKEND == "procrastinate" else []),
    "terpadu.core",
    "terpadu.organisasi",
    "terpadu.accounts",
    "terpadu.portal",
    "terpadu.arsip",
    "terpadu.tte",
    "terpadu.naskah",
    "terpadu.perencanaan",
    "terpadu.anggaran",
    "terpadu.kontrak",
    "terpadu.realisasi",
    "terpadu.monev",
    "terpadu.spbe",
]

MIDDLEWARE = [
    "terpadu.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "terpadu.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "terpadu.accounts.middleware.UserLanguageMiddleware",
    "terpadu.accounts.middleware.SessionActivityMiddleware",
    "terpadu.accounts.middleware.RequireTwoFactorMiddleware",
    "terpadu.core.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "terpadu.urls"
WSGI_APPLICATION = "terpadu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "terpadu.core.context_processors.platform",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["terpadu.accounts.backends.NipOrUsernameBackend"]
PASSWORD_HASHERS = [
    "terpadu.accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if PROFILE == "test":
    # Argon2 on purpose costs ~50 ms; tests that check the hasher override this.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: LOGIN_MAX_FAILURES failures within LOGIN_FAILURE_WINDOW seconds lock the
# account (and, separately, the client address) for LOGIN_LOCKOUT_SECONDS.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 900)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900)

# Sessions expire after SESSION_IDLE_SECONDS without activity and at browser close. The expiry moves forward
# when the session is saved: accounts.middleware.SessionActivityMiddleware touches a signed-in session at most
# once a minute (not on every request, which would cost every page a database write), so a session in use
# ends between SESSION_IDLE_SECONDS - 60 and SESSION_IDLE_SECONDS after its last request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

OTP_TOTP_ISSUER = env("OTP_ISSUER", "Terpadu")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "terpadu_language"
TIME_ZONE = env("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]  # terpadu/static is not an app's static dir
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGE_BACKEND = env("TERPADU_STORAGE", "local")
if STORAGE_BACKEND == "s3":
    # django-storages is an optional extra (uv sync --extra s3); the city's S3-compatible store.
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL"),
            "access_key": env("S3_ACCESS_KEY"),
            "secret_key": env("S3_SECRET_KEY"),
            "querystring_auth": True,
            "querystring_expire": 300,
            "default_acl": "private",
        },
    }
    from botocore.config import Config as BotoConfig

    # boto3 >= 1.36 sends checksums that many S3-compatible servers reject; only send them when required.
    _default_storage["OPTIONS"]["client_config"] = BotoConfig(
        request_checksum_calculation="when_required", response_checksum_validation="when_required"
    )
elif STORAGE_BACKEND == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("TERPADU_STORAGE must be local or s3")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Terpadu <no-reply@terpadu.localhost>")
if PROFILE == "demo" and not os.environ.get("EMAIL_BACKEND"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "outbox")

# The instance's Ed25519 key signs audit checkpoints. Production must provide it.
AUDIT_SIGNING_KEY_FILE = Path(env("AUDIT_SIGNING_KEY_FILE", str(DATA_DIR / "keys" / "audit-ed25519.pem")))
AUDIT_SIGNING_KEY_AUTOCREATE = env_bool("AUDIT_SIGNING_KEY_AUTOCREATE", not IS_PRODUCTION)
AUDIT_CHECKPOINT_CRON = env("AUDIT_CHECKPOINT_CRON", "0 * * * *")

# Electronic signatures (tte). The instance CA's private key: `terpadu tte init-ca` creates it (never overwrites).
TERPADU_TTE_CA_KEY_FILE = Path(env("TERPADU_TTE_CA_KEY_FILE", str(DATA_DIR / "keys" / "tte-ca.pem")))
TERPADU_TTE_CA_VALIDITY_DAYS = env_int("TERPADU_TTE_CA_VALIDITY_DAYS", 3650)
TERPADU_TTE_CERT_VALIDITY_DAYS = env_int("TERPADU_TTE_CERT_VALIDITY_DAYS", 730)
TERPADU_TTE_KEY_TYPE = env("TERPADU_TTE_KEY_TYPE", "ec")
if TERPADU_TTE_KEY_TYPE not in ("ec", "rsa"):
    raise ImproperlyConfigured("TERPADU_TTE_KEY_TYPE must be ec or rsa")
TERPADU_TTE_PASSPHRASE_MIN_LENGTH = env_int("TERPADU_TTE_PASSPHRASE_MIN_LENGTH", 10)
TERPADU_TTE_TRUST_ROOTS_FILE = env("TERPADU_TTE_TRUST_ROOTS_FILE", "")
TERPADU_TTE_BSRE_URL = env("TERPADU_TTE_BSRE_URL", "")
TERPADU_TTE_BSRE_USER = env("TERPADU_TTE_BSRE_USER", "")
TERPADU_TTE_BSRE_PASSWORD = env("TERPADU_TTE_BSRE_PASSWORD", "")
TERPADU_TTE_BSRE_TIMEOUT = env_int("TERPADU_TTE_BSRE_TIMEOUT", 30)

# Monev early warning: a sub kegiatan whose cumulative realisation lags its cumulative anggaran kas by more than
# this many percentage points of its pagu is flagged (monev.services_evaluasi.periksa_peringatan).
TERPADU_MONEV_MARGIN = env_int("TERPADU_MONEV_MARGIN", 10)
if not 0 < TERPADU_MONEV_MARGIN <= 100:
    raise ImproperlyConfigured("TERPADU_MONEV_MARGIN must be between 1 and 100 (percentage points)")

# `make bench` mounts its floor views (bench/floor_views.py) under /_bench/; never set it in a deployment.
BENCH = env_bool("TERPADU_BENCH", False)

SITE_NAME = env("SITE_NAME", "Terpadu")
# Links in e-mails. Production defaults to https:// and the first ALLOWED_HOSTS name.
_first_host = next((h.lstrip(".") for h in ALLOWED_HOSTS if h != "*"), "localhost")
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", f"https://{_first_host}" if IS_PRODUCTION else "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "terpadu.accounts.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["terpadu.core.drf.GatePermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "terpadu.core.drf.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "terpadu.core.drf.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", "120/minute")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Terpadu API",
    "DESCRIPTION": "REST API of the Terpadu SPBE platform. Every endpoint passes the same "
    "authorization gate as the web pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Many models have a "status" or "jenis" choice set; each gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "NaskahStatusEnum": "terpadu.naskah.models.Naskah.Status",
        "NomorCadanganStatusEnum": "terpadu.naskah.models.NomorCadangan.Status",
        "NomorCadanganJenisEnum": "terpadu.naskah.models.NomorCadangan.Jenis",
        "VerifikasiStatusEnum": "terpadu.naskah.models.Verifikasi.Status",
        "DisposisiStatusEnum": "terpadu.naskah.models.Disposisi.Status",
        "BerkasStatusEnum": "terpadu.arsip.models.Berkas.Status",
        "IsiBerkasStatusEnum": "terpadu.arsip.models.IsiBerkas.Status",
        "BeritaAcaraJenisEnum": "terpadu.arsip.models.BeritaAcara.Jenis",
        "KeyakinanEnum": "terpadu.arsip.models.Keyakinan",
        "SertifikatStatusEnum": "terpadu.tte.models.SertifikatPenandatangan.Status",
        "PemdaJenisEnum": "terpadu.organisasi.models.Pemda.Jenis",
        "JabatanJenisEnum": "terpadu.organisasi.models.Jabatan.Jenis",
        "PegawaiStatusEnum": "terpadu.organisasi.models.Pegawai.Status",
        "PenugasanJenisEnum": "terpadu.organisasi.models.PenugasanSementara.Jenis",
        # perencanaan's choice sets are module-level and shared (Keyakinan also by anggaran, monev and spbe
        # reference data; Level by Nomenklatur and RenstraItem; Status by Rpjmd, Renstra and Renja)
        "PerencanaanKeyakinanEnum": "terpadu.perencanaan.models.Keyakinan",
        "PerencanaanLevelEnum": "terpadu.perencanaan.models.Level",
        "PerencanaanStatusEnum": "terpadu.perencanaan.models.Status",
        "KodeRekeningLevelEnum": "terpadu.anggaran.models.RekeningLevel",
        "RkaStatusEnum": "terpadu.anggaran.models.Rka.Status",
        "AdendumJenisEnum": "terpadu.kontrak.models.Adendum.Jenis",
        "TahapAnggaranJenisEnum": "terpadu.anggaran.models.TahapAnggaran.Jenis",
        "Sp2dJenisEnum": "terpadu.realisasi.models.Sp2d.Jenis",
        "AplikasiJenisEnum": "terpadu.spbe.models.Aplikasi.Jenis",
        "PenilaianJenisEnum": "terpadu.spbe.models.Penilaian.Jenis",
    },
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}}

LOG_FORMAT = env("LOG_FORMAT", "json" if IS_PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "terpadu.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "terpadu.core.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "procrastinate": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # its INFO lines narrate every rendering step
        "fontTools": {"level": "WARNING"},
    },
}

# Production hardening (manage.py check --deploy is clean with these).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", IS_PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", IS_PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", IS_PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
