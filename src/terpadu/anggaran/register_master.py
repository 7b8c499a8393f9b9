"""What the master part registers with the platform (menu, search, pickers, gate)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def _current_rekening():
    from terpadu.anggaran.services_master import current_rekening

    return current_rekening()


def _current_standar_harga():
    from terpadu.anggaran.services_master import current_standar_harga

    return current_standar_harga()


def register() -> None:
    from terpadu.anggaran.models import KodeRekening, StandarHarga
    from terpadu.core import pickers, registry, search
    from terpadu.perencanaan.register_master import reference_visibility

    reference_visibility(KodeRekening, "anggaran.view")
    reference_visibility(StandarHarga, "anggaran.view")
    search.register_search(
        search.SearchSpec(
            key="kode_rekening",
            label=_("Kode rekening"),
            model=KodeRekening,
            text_fields=("nama",),
            code_fields=("kode",),
            action="anggaran.view",
            url=lambda obj: _url("anggaran:rekening_detail", obj),
        )
    )
    search.register_search(
        search.SearchSpec(
            key="standar_harga",
            label=_("Standard prices (SSH/SBU)"),
            model=StandarHarga,
            text_fields=("uraian", "spesifikasi"),
            code_fields=("kode",),
            action="anggaran.view",
            url=lambda obj: _url("anggaran:ssh_detail", obj),
        )
    )
    # Budgetable codes (sub rincian objek in use) of the current edition; the items of the current year's list.
    pickers.register_picker(
        pickers.Picker(
            "rekening",
            KodeRekening,
            "anggaran.view",
            "kode_rekening",
            describe=lambda k: f"{k.kode} — {k.nama}",
            base=_current_rekening,
        )
    )
    pickers.register_picker(
        pickers.Picker(
            "standar_harga",
            StandarHarga,
            "anggaran.view",
            "standar_harga",
            describe=lambda s: f"{s.kode} — {s.uraian} / {s.satuan} ({s.harga:,.2f})",
            base=_current_standar_harga,
        )
    )
    group = _("Budget")
    for label, url_name, action, icon, order in (
        (_("Kode rekening"), "anggaran:rekening_list", "anggaran.view", "list-numbers", 77),
        (_("Standard prices (SSH/SBU)"), "anggaran:ssh_list", "anggaran.view", "tag", 78),
    ):
        registry.register_menu(registry.MenuItem(label, url_name, action, icon, order, group))


def _url(name: str, obj) -> str:
    from django.urls import reverse

    return reverse(name, args=[obj.pk])
