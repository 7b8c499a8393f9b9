"""Internationalisation: Bahasa Indonesia by default, English as the source language, a switch per user.

The Indonesian catalog must be complete and compiled (the .mo is committed, so no gettext is needed to
run Terpadu), and must hold every translatable string of the source. After adding strings:
`make messages`, translate the new entries in src/terpadu/locale/id/LC_MESSAGES/django.po, then
`.venv/bin/python scripts/compile_messages.py`.
"""

from __future__ import annotations

import gettext
import importlib.util
import io
import os
import shutil
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[4]
PACKAGE = ROOT / "src" / "terpadu"
PO = PACKAGE / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
REQUIRE_SERVICES = os.environ.get("TERPADU_REQUIRE_SERVICES") == "1"
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")
FIX = "run `make messages`, translate the new entries, then `.venv/bin/python scripts/compile_messages.py`"


def _script(name: str):
    """Load scripts/<name>.py (not a package) as a module."""
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return sys.modules[name]


compile_messages = _script("compile_messages")
check_messages = _script("check_messages")


def _keys(po_path: Path) -> set[str]:
    entries = compile_messages.parse_po(po_path.read_text(encoding="utf-8"))
    return {e.key for e in entries if not e.obsolete and not e.is_header}


# -- (a) the catalog is complete -----------------------------------------------------------


def test_every_entry_of_the_indonesian_catalog_is_translated_and_not_fuzzy():
    problems = check_messages.problems(PO, check_mo=False)
    assert problems == [], "\n".join(problems)


def test_the_catalog_header_declares_indonesian_with_one_plural_form():
    entries = compile_messages.parse_po(PO.read_text(encoding="utf-8"))
    header = next(e for e in entries if e.is_header).msgstr[0]
    assert "Language: id\n" in header
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header
    assert "charset=UTF-8" in header
    assert len(_keys(PO)) > 300  # the whole foundation, not a sample


def test_every_configured_language_is_the_source_or_has_a_catalog():
    for code, _name in settings.LANGUAGES:
        catalog = PACKAGE / "locale" / code / "LC_MESSAGES" / "django.po"
        assert code == "en" or catalog.exists(), f"no catalog for {code}"


# -- (b) the committed .mo is compiled from the .po ----------------------------------------


def test_the_committed_mo_is_up_to_date_with_the_po():
    assert MO.exists(), f"{MO} is missing: run .venv/bin/python scripts/compile_messages.py"
    fresh = gettext.GNUTranslations(io.BytesIO(compile_messages.compile_po(PO)))
    with MO.open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    assert committed._catalog == fresh._catalog, "the .mo is stale: run .venv/bin/python scripts/compile_messages.py"


def test_the_compiler_handles_context_plurals_escapes_and_skips_fuzzy():
    po = "\n".join(
        [
            'msgid ""',
            'msgstr ""',
            '"Content-Type: text/plain; charset=UTF-8\\n"',
            '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
            "",
            'msgctxt "month"',
            'msgid "May"',
            'msgstr "Mei"',
            "",
            'msgid "May"',
            'msgstr "Boleh"',
            "",
            'msgid "%(n)d file"',
            'msgid_plural "%(n)d files"',
            'msgstr[0] "%(n)d berkas"',
            'msgstr[1] "%(n)d berkas!"',
            "",
            'msgid "Say \\"hi\\"\\n"',
            'msgstr ""',
            '"Ucapkan \\"hai\\"\\n"',
            "",
            "#, fuzzy",
            'msgid "Guess"',
            'msgstr "Tebakan"',
            "",
            'msgid "Empty"',
            'msgstr ""',
            "",
            '#~ msgid "Old"',
            '#~ msgstr "Lama"',
            "",
        ]
    )
    entries = compile_messages.parse_po(po)
    catalog = gettext.GNUTranslations(io.BytesIO(compile_messages.make_mo(compile_messages.messages(entries))))
    assert catalog.pgettext("month", "May") == "Mei"
    assert catalog.gettext("May") == "Boleh"
    assert catalog.ngettext("%(n)d file", "%(n)d files", 1) == "%(n)d berkas"
    assert catalog.ngettext("%(n)d file", "%(n)d files", 3) == "%(n)d berkas!"
    assert catalog.gettext('Say "hi"\n') == 'Ucapkan "hai"\n'
    assert catalog.gettext("Guess") == "Guess"  # fuzzy: left out, like msgfmt
    assert catalog.gettext("Empty") == "Empty"
    assert catalog.gettext("Old") == "Old"


# -- (c) the catalog holds every translatable string of the source -------------------------


def test_the_catalog_holds_every_translatable_string_of_the_source(tmp_path, monkeypatch):
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        reason = f"needs GNU gettext ({', '.join(missing_tools)}) to extract strings: apt-get install gettext"
        pytest.fail(reason) if REQUIRE_SERVICES else pytest.skip(reason)
    before = PO.read_bytes()
    copy = tmp_path / "terpadu"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "tests", "__pycache__", "*.mo"))
    monkeypatch.chdir(copy)
    # The same extraction as `make messages`, into the copy (never into the real catalog).
    with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
        call_command(
            "makemessages",
            locale=["id"],
            no_location=True,
            no_wrap=True,
            no_obsolete=True,
            ignore_patterns=["static/*", "*/tests/*"],
            verbosity=0,
        )
    assert PO.read_bytes() == before
    extracted, committed = _keys(copy / "locale" / "id" / "LC_MESSAGES" / "django.po"), _keys(PO)
    missing, stale = sorted(extracted - committed), sorted(committed - extracted)
    assert not missing, f"strings not in the catalog ({FIX}):\n" + "\n".join(missing)
    assert not stale, f"catalog entries no longer in the source ({FIX}):\n" + "\n".join(stale)


# -- (d) pages speak the chosen language ---------------------------------------------------


@pytest.fixture(autouse=True)
def _restore_language():
    """LocaleMiddleware leaves the request's language active in the thread; give back what was there."""
    before = translation.get_language()
    yield
    if before is None:
        translation.deactivate_all()
    else:
        translation.activate(before)


def _page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_login_page_is_indonesian_by_default(client):
    page = _page(client, reverse("accounts:login"))
    assert '<html lang="id">' in page
    assert "Masuk ke Terpadu" in page and "Kata sandi" in page
    assert "Sign in" not in page and "Password" not in page


@pytest.mark.django_db
def test_the_browser_language_does_not_override_the_official_default(client):
    page = _page(client, reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in page
    assert "Masuk ke Terpadu" in page and "Sign in to Terpadu" not in page


@pytest.mark.django_db
def test_the_language_cookie_wins_over_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _page(client, reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="id")
    assert "Sign in to Terpadu" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = _page(client, reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Masuk ke Terpadu" in page


@pytest.mark.django_db
def test_the_language_switch_sets_the_cookie_for_anonymous_visitors(client):
    response = client.post(reverse("set_language_user"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Sign in to Terpadu" in _page(client, reverse("accounts:login"))


@pytest.mark.django_db
def test_a_signed_in_users_saved_language_wins(client, city, login):
    user = city.staff_same
    type(user).objects.filter(pk=user.pk).update(language="en")
    login(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = _page(client, reverse("core:home"), HTTP_ACCEPT_LANGUAGE="id")
    assert '<html lang="en">' in page
    assert "Sign out" in page and "Keluar" not in page
    type(user).objects.filter(pk=user.pk).update(language="id")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _page(client, reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Keluar" in page and "Sign out" not in page


@pytest.mark.django_db
def test_the_language_switch_stores_the_choice_on_the_user(client, city, login):
    user = city.staff_same
    assert user.language == "id"
    login(client, user)
    response = client.post(reverse("set_language_user"), {"language": "en", "next": reverse("core:home")})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert user.language == "en"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    assert "Sign out" in _page(client, reverse("core:home"), HTTP_ACCEPT_LANGUAGE="id")
    client.post(reverse("set_language_user"), {"language": "id", "next": reverse("core:home")})
    user.refresh_from_db()
    assert user.language == "id"


@pytest.mark.django_db
def test_an_unknown_language_falls_back_to_indonesian(client):
    response = client.post(reverse("set_language_user"), {"language": "xx", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "id"
