"""The demo seed of the outgoing part: built through the services in the demo city, idempotent."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_seed_drafts_verifies_signs_and_sends_once(settings, tmp_path, today):
    from terpadu.arsip import demo as arsip_demo
    from terpadu.core.context import acting
    from terpadu.demo.accounts import create_demo_accounts
    from terpadu.demo.city import build_city
    from terpadu.naskah import demo_keluar, demo_tata
    from terpadu.naskah.models import Naskah

    settings.TERPADU_TTE_CA_KEY_FILE = str(tmp_path / "keys" / "tte-ca.pem")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with acting(None, via="command"):
        build_city()
        create_demo_accounts()
        demo_tata.seed(today)
        arsip_demo.seed(today)
    demo_keluar.seed(today)
    demo_keluar.seed(today)

    outgoing = Naskah.objects.filter(arah=Naskah.Arah.KELUAR)
    assert outgoing.count() == len(demo_keluar.NASKAH)
    statuses = sorted(outgoing.values_list("status", flat=True))
    assert statuses == sorted(["draf", "draf", "verifikasi", "terkirim"])
    sent = outgoing.get(status="terkirim")
    assert sent.nomor and sent.hash_sha256 and sent.penerima.filter(terkirim__isnull=False).exists()
