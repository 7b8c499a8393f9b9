"""Production settings: `terpadu check --deploy` is clean, missing essentials fail loudly, defaults are
safe, and the deployment files (deploy/) agree with the settings they depend on."""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
SETTINGS = REPO / "src" / "terpadu" / "settings.py"
DEPLOY = REPO / "deploy"


def production_env(tmp_path: Path, **overrides: str | None) -> dict:
    """The environment of a production process: only what the test gives, nothing from this test run."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "VIRTUAL_ENV")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="terpadu.settings",
        TERPADU_PROFILE="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="terpadu.example.go.id",
        TERPADU_DATA_DIR=str(tmp_path),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(env: dict, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd or REPO, capture_output=True, text=True, timeout=300, check=False
    )


def settings_values(env: dict, *names: str) -> dict:
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    done = run(env, "-c", script)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    done = run(production_env(tmp_path), "-m", "terpadu", "check", "--deploy", "--fail-level", "WARNING")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stdout + done.stderr
    assert "ERROR" not in done.stdout + done.stderr


def test_production_without_a_secret_key_fails_loudly(tmp_path):
    done = run(production_env(tmp_path, SECRET_KEY=None), "-m", "terpadu", "check", "--deploy")

    assert done.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set in production" in done.stderr


def test_production_without_allowed_hosts_fails_loudly(tmp_path):
    done = run(production_env(tmp_path, ALLOWED_HOSTS=None), "-m", "terpadu", "check", "--deploy")

    assert done.returncode != 0
    assert "ALLOWED_HOSTS must be set in production" in done.stderr


def test_an_empty_secret_key_counts_as_missing(tmp_path):
    done = run(production_env(tmp_path, SECRET_KEY=""), "-m", "terpadu", "check")
    assert done.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set in production" in done.stderr


def test_the_profile_defaults_to_production(tmp_path):
    done = run(production_env(tmp_path, TERPADU_PROFILE=None, SECRET_KEY=None), "-m", "terpadu", "check")
    assert done.returncode != 0
    assert "must be set in production" in done.stderr


def test_production_defaults_are_the_safe_ones(tmp_path):
    values = settings_values(
        production_env(tmp_path, DEBUG="true"),
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "AUDIT_SIGNING_KEY_AUTOCREATE",
        "LOG_FORMAT",
        "PUBLIC_BASE_URL",
        "PASSWORD_HASHERS",
        "STORAGES",
        "X_FRAME_OPTIONS",
        "SESSION_COOKIE_HTTPONLY",
    )
    assert values["DEBUG"] is False  # DEBUG=true is ignored outside the demo
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["AUDIT_SIGNING_KEY_AUTOCREATE"] is False
    assert values["LOG_FORMAT"] == "json"
    assert values["PUBLIC_BASE_URL"] == "https://terpadu.example.go.id"
    assert "MD5" not in " ".join(values["PASSWORD_HASHERS"])
    assert values["PASSWORD_HASHERS"][0].endswith("Argon2idHasher")
    assert "Manifest" in values["STORAGES"]["staticfiles"]["BACKEND"]
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SESSION_COOKIE_HTTPONLY"]


def test_debug_is_only_ever_on_in_the_demo(tmp_path):
    base = production_env(tmp_path, SECRET_KEY=None, ALLOWED_HOSTS=None, DEBUG="true")
    assert settings_values({**base, "TERPADU_PROFILE": "demo"}, "DEBUG") == {"DEBUG": True}
    assert settings_values({**base, "TERPADU_PROFILE": "test"}, "DEBUG") == {"DEBUG": False}
    assert settings_values({**base, "TERPADU_PROFILE": "demo", "DEBUG": "false"}, "DEBUG") == {"DEBUG": False}


def test_secrets_can_come_from_files(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(secrets.token_urlsafe(50) + "\n")
    env = production_env(tmp_path, SECRET_KEY=None, SECRET_KEY_FILE=str(secret))
    assert settings_values(env, "SECRET_KEY") == {"SECRET_KEY": secret.read_text().strip()}


def test_malformed_values_fail_loudly_instead_of_being_guessed(tmp_path):
    done = run(production_env(tmp_path, SESSION_IDLE_SECONDS="half an hour"), "-m", "terpadu", "check")
    assert done.returncode != 0
    assert "SESSION_IDLE_SECONDS must be a whole number, not 'half an hour'" in done.stderr
    done = run(production_env(tmp_path, TERPADU_PROFILE="staging"), "-m", "terpadu", "check")
    assert "TERPADU_PROFILE must be demo, test or production, not 'staging'" in done.stderr


# -- deploy/ agrees with the settings --------------------------------------------------------------------


def settings_read_from_the_environment() -> set[str]:
    text = SETTINGS.read_text()
    names = set(re.findall(r'\benv(?:_bool|_int|_list)?\(\s*"([A-Z][A-Z0-9_]*)"', text))
    names |= set(re.findall(r'os\.environ(?:\.get\(|\[)\s*"([A-Z][A-Z0-9_]*)"', text))
    return names


def test_the_environment_file_example_lists_every_setting(tmp_path):
    example = (DEPLOY / "terpadu.env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    read = settings_read_from_the_environment()
    assert {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "UPLOAD_MAX_BYTES"} <= read  # the parser still works
    assert read - listed == set(), "add these settings to deploy/terpadu.env.example"


def test_the_environment_file_example_passes_the_deploy_check(tmp_path):
    """The example's uncommented lines (with a real secret) are a working production configuration."""
    env = production_env(tmp_path, SECRET_KEY=None, ALLOWED_HOSTS=None)
    for line in (DEPLOY / "terpadu.env.example").read_text().splitlines():
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            key, value = line.split("=", 1)
            env[key] = value.strip('"')
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        TERPADU_DATA_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "s"),
        MEDIA_ROOT=str(tmp_path / "m"),
        AUDIT_SIGNING_KEY_FILE=str(tmp_path / "k.pem"),
    )
    done = run(env, "-m", "terpadu", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_nginx_accepts_uploads_as_large_as_django_does(tmp_path):
    upload_max = settings_values(production_env(tmp_path), "UPLOAD_MAX_BYTES")["UPLOAD_MAX_BYTES"]
    nginx = (DEPLOY / "nginx" / "terpadu.conf").read_text()
    (size,) = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", nginx, flags=re.MULTILINE)
    assert int(size) == math.ceil(upload_max / 1048576) + 1  # the file plus 1 MiB for the rest of the form


def test_nginx_serves_static_files_but_never_the_private_media(tmp_path):
    nginx = (DEPLOY / "nginx" / "terpadu.conf").read_text()
    assert re.search(r"location /static/ \{\s*alias /var/lib/terpadu/static/;", nginx)
    assert re.search(r"location /media/ \{\s*return 404;", nginx)
    assert "proxy_set_header X-Request-ID $request_id;" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx


def test_the_gunicorn_configuration_loads_and_takes_the_workers_from_the_environment(tmp_path):
    env = production_env(tmp_path, GUNICORN_WORKERS="3", GUNICORN_TIMEOUT="45")
    done = run(env, "-m", "gunicorn", "--print-config", "-c", str(DEPLOY / "gunicorn.conf.py"), cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    config = dict(re.findall(r"^(\w+)\s+= (.*)$", done.stdout, flags=re.MULTILINE))
    assert config["workers"] == "3"
    assert config["timeout"] == "45"
    assert config["wsgi_app"] == "terpadu.wsgi:application"
    assert "JsonAccessLogger" in config["logger_class"]
    assert config["control_socket_disable"] == "True"
