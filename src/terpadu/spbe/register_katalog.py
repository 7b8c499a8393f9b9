"""What the katalog part registers with the platform (menu, search, picker, admin, evidence providers)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

# SPBE 2020 #4 (kebijakan pembangunan aplikasi), #15 (pembangunan aplikasi), #18 (sistem penghubung layanan);
# PEMDI 2026 #13 (aplikasi Pemdi), #16 (integrasi aplikasi).
EVIDENCE_INDICATORS = {"SPBE_2020": [4, 15, 18], "PEMDI_2026": [13, 16]}


def evidence(penilaian, indikator) -> list:
    """Catalogue figures on 31 Dec of the assessment year (or today, when earlier)."""
    from django.utils import timezone
    from django.utils.translation import gettext

    from terpadu.spbe import services_katalog
    from terpadu.spbe.models import Aplikasi
    from terpadu.spbe.services_evaluasi import Proposal

    if not Aplikasi.objects.exists():
        return []
    on = min(dt.date(penilaian.tahun, 12, 31), timezone.localdate())
    r = services_katalog.ringkasan(today=on)
    labels = [
        (gettext("applications in the catalogue"), r["jumlah"]),
        (gettext("aplikasi umum"), r["umum"]),
        (gettext("aplikasi khusus"), r["khusus"]),
        (gettext("in operation"), r["operasi"]),
        (gettext("in operation, umum"), r["operasi_umum"]),
        (gettext("in operation, khusus"), r["operasi_khusus"]),
        (gettext("in operation and audited within the period"), r["diaudit_dalam_periode"]),
        (gettext("integrated through the SPLP"), r["terintegrasi_splp"]),
        (gettext("in operation and integrated through the SPLP"), r["operasi_terintegrasi_splp"]),
        (gettext("in operation at the PDN or the city data centre"), r["di_pdn_atau_dc_kota"]),
        (gettext("with at least one flag"), r["bertemuan"]),
    ]
    umum, khusus = services_katalog.aturan()["audit_umum"], services_katalog.aturan()["audit_khusus"]
    return [
        Proposal(
            gettext("Application catalogue on %(d)s: %(n)s applications (%(u)s umum, %(k)s khusus), %(o)s in operation")
            % {"d": on.isoformat(), "n": r["jumlah"], "u": r["umum"], "k": r["khusus"], "o": r["operasi"]},
            gettext(
                "Security audit period: %(u)s months for aplikasi umum, %(k)s months for aplikasi khusus "
                "(unconfirmed rule: %(s)s)."
            )
            % {"u": umum.bulan, "k": khusus.bulan, "s": umum.sumber},
            [{gettext("figure"): label, gettext("value"): value} for label, value in labels],
        )
    ]


def register() -> None:
    from terpadu.core import pickers, registry, search
    from terpadu.spbe import admin_katalog  # noqa: F401  (read-only admin)
    from terpadu.spbe.models import Aplikasi

    search.register_search(
        search.SearchSpec(
            key="spbe_aplikasi",
            label=_("Applications (SPBE catalogue)"),
            model=Aplikasi,
            text_fields=("nama", "fungsi_bisnis"),
            code_fields=("singkatan",),
            action="spbe.view",
        )
    )
    pickers.register_picker(
        pickers.Picker("spbe_aplikasi", Aplikasi, "spbe.view", "spbe_aplikasi", describe=lambda a: a.nama)
    )
    group = _("SPBE")
    for label, url_name, icon, order in (
        (_("Application catalogue"), "spbe:aplikasi_list", "apps", 92),
        (_("Catalogue flags"), "spbe:aplikasi_flags", "flag", 93),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, "spbe.view", icon, order, group))
    try:
        from terpadu.spbe import services_evaluasi
    except ImportError:  # the evaluasi part is not there yet
        return
    register_provider = getattr(services_evaluasi, "register_evidence_provider", None)
    if register_provider is not None:
        register_provider("spbe.katalog.ringkasan", _("Application catalogue (katalog)"), EVIDENCE_INDICATORS, evidence)
