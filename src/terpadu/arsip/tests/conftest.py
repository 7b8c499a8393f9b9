"""Fixtures of the arsip tests: the naskah fixtures (a small classification, kinds of naskah) and helpers."""

from __future__ import annotations

import datetime as dt

import pytest

from terpadu.naskah.tests.conftest import jenis, klasifikasi  # noqa: F401

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def make_naskah(unit, pembuat, code, kind, **extra):
    """A naskah row made directly (the naskah services are another helper's)."""
    from terpadu.naskah.models import Naskah

    values = {"hal": "Undangan rapat", "tanggal": dt.date(2025, 3, 10), "status": Naskah.Status.DITANDATANGANI}
    values.update(extra)
    return Naskah.objects.create(unit=unit, pembuat=pembuat, klasifikasi=code, jenis=kind, **values)


def make_arsiparis(user, unit):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(user, Role.objects.get(code="arsiparis"), unit)
    authz.forget(user)
    return user


@pytest.fixture
def pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name="ba.pdf", content=PDF):
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make


# The view tests read the English source texts (the Indonesian catalogue is tested in core): the personas
# and the test client use English, as in organisasi's view tests.
@pytest.fixture
def city(city):
    from terpadu.accounts.models import User

    User.objects.update(language="en")
    return city


@pytest.fixture(autouse=True)
def _english_client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
