"""Physical progress: cumulative 0–100, a lower figure needs a reason, locked monev months are refused,
photos are images only (type sniffed from the content) with EXIF location and time."""

from __future__ import annotations

import sys
import types
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from terpadu.core.context import acting
from terpadu.core.models import AuditEvent
from terpadu.realisasi import services
from terpadu.realisasi.models import FotoProgres, ProgresFisik
from terpadu.realisasi.tests.conftest import jpeg_with_gps


def report(sub, bulan, persen, **extra):
    with acting(None, via="command"):
        return services.lapor_progres(sub_kegiatan=sub, bulan=bulan, persen=persen, **extra)


def lock_months(monkeypatch, locked):
    """monev's periode_terkunci(tahun, bulan), real or (until that part lands) a stand-in module."""
    fn = lambda tahun, bulan: (tahun, bulan) in locked  # noqa: E731
    try:
        from terpadu.monev import services_evaluasi
    except ImportError:
        fake = types.ModuleType("terpadu.monev.services_evaluasi")
        fake.periode_terkunci = fn
        monkeypatch.setitem(sys.modules, "terpadu.monev.services_evaluasi", fake)
        import terpadu.monev

        monkeypatch.setattr(terpadu.monev, "services_evaluasi", fake, raising=False)
    else:
        monkeypatch.setattr(services_evaluasi, "periode_terkunci", fn)


def test_report_and_correct_a_month(chain):
    first = report(chain.sub, 2, "12.5", narasi="Persiapan")
    assert (first.unit, first.tahun, first.persen) == (chain.sub.unit, 2026, Decimal("12.5"))
    again = report(chain.sub, 2, 15, narasi="Persiapan selesai")
    assert again.pk == first.pk and ProgresFisik.objects.count() == 1
    actions = list(AuditEvent.objects.filter(object_type="realisasi.progresfisik").values_list("action", flat=True))
    assert actions == ["realisasi.progres_dilaporkan", "realisasi.progres_diubah"]
    report(chain.sub, 4, 40)
    assert services.progres_fisik(chain.sub, 3) == Decimal("15")
    assert services.progres_fisik(chain.sub, 4) == Decimal("40")
    assert services.progres_fisik(chain.sub, 1) is None


def test_progress_bounds_and_future_month(chain):
    for bad in ("-1", "100.01", "abc", "NaN"):
        with pytest.raises(ValidationError) as caught:
            report(chain.sub, 3, bad)
        assert "persen" in caught.value.message_dict
    with pytest.raises(ValidationError):
        report(chain.sub, 13, 10)
    report(chain.sub, 3, 100)
    assert ProgresFisik.objects.count() == 1


def test_future_month_refused(chain, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 5, 20))
    report(chain.sub, 5, 10)
    with pytest.raises(ValidationError) as caught:
        report(chain.sub, 6, 20)
    assert "bulan" in caught.value.message_dict


def test_lower_figure_needs_a_reason(chain):
    report(chain.sub, 3, 50)
    with pytest.raises(ValidationError) as caught:
        report(chain.sub, 4, 45)
    assert "alasan_koreksi" in caught.value.message_dict
    with pytest.raises(ValidationError):  # raising an earlier month above a later one is a drop too
        report(chain.sub, 2, 60)
    fixed = report(chain.sub, 4, 45, alasan_koreksi="Volume pekerjaan dihitung ulang")
    assert fixed.alasan_koreksi and fixed.persen == 45
    assert ProgresFisik.objects.count() == 2


def test_locked_month_refused(chain, monkeypatch):
    lock_months(monkeypatch, {(2026, 3)})
    with pytest.raises(ValidationError) as caught:
        report(chain.sub, 3, 30)
    assert "locked" in " ".join(caught.value.messages)
    assert not ProgresFisik.objects.exists()
    report(chain.sub, 4, 30)


def test_monev_helper_missing_means_unlocked(chain, monkeypatch):
    monkeypatch.setitem(sys.modules, "terpadu.monev.services_evaluasi", None)  # import fails
    assert services.periode_terkunci(2026, 3) is False


def test_photo_upload_types_and_exif(chain, upload):
    progres = report(chain.sub, 3, 20, foto=[(upload(), "Lokasi")])
    assert progres.foto.count() == 1
    with pytest.raises(ValidationError) as caught:  # a PDF named .jpg: the content decides
        report(chain.sub, 3, 25, foto=[(upload("foto.jpg", b"%PDF-1.4 bukan foto", "image/jpeg"), "")])
    assert "foto" in caught.value.message_dict
    assert ProgresFisik.objects.get().persen == 20  # the whole report was refused
    with pytest.raises(ValidationError):
        report(chain.sub, 3, 25, foto=[(upload("catatan.txt", b"teks biasa", "text/plain"), "")])
    with acting(None, via="command"):
        foto = services.tambah_foto(progres, upload("kamera.jpg", jpeg_with_gps(), "image/jpeg"), "Pondasi")
    assert foto.lat == Decimal("-6.910000") and foto.lon == Decimal("107.600000")
    assert foto.diambil is not None and foto.diambil.day == 14
    assert FotoProgres.objects.count() == 2
    assert AuditEvent.objects.filter(action="realisasi.foto_ditambahkan").count() == 2


def test_photo_locked_month_refused(chain, upload, monkeypatch):
    progres = report(chain.sub, 3, 20)
    lock_months(monkeypatch, {(2026, 3)})
    with pytest.raises(ValidationError):
        with acting(None, via="command"):
            services.tambah_foto(progres, upload(), "")
    assert not FotoProgres.objects.exists()
