"""Forms of the belanja part (entered lines, links, DPA registration, import)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja
from terpadu.spbe.models import Aplikasi, BelanjaTik, ElemenArsitektur, PetaRencanaItem


class _LinkFields(forms.Form):
    elemen = forms.ModelChoiceField(
        label=_("Architecture element"), queryset=ElemenArsitektur.objects.none(), required=False, widget=LongSelect
    )
    peta_rencana = forms.ModelChoiceField(
        label=_("Peta Rencana item"), queryset=PetaRencanaItem.objects.none(), required=False, widget=LongSelect
    )
    aplikasi = forms.ModelChoiceField(
        label=_("Application (optional)"), queryset=Aplikasi.objects.none(), required=False, widget=LongSelect
    )

    def __init__(self, *args, tahun: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Links point at the city-wide architecture: every element, roadmap item and application may be chosen.
        self.fields["elemen"].queryset = ElemenArsitektur.objects.order_by("domain", "kode")
        rencana = PetaRencanaItem.objects.order_by("tahun", "muatan", "nama")
        self.fields["peta_rencana"].queryset = rencana
        self.fields["aplikasi"].queryset = Aplikasi.objects.order_by("nama")


class BelanjaForm(_LinkFields):
    tahun = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label=_("OPD"), queryset=UnitKerja.objects.none(), widget=LongSelect)
    uraian = forms.CharField(label=_("Description"), max_length=300)
    kategori = forms.ChoiceField(label=_("Category"), choices=BelanjaTik.Kategori.choices)
    nilai = forms.DecimalField(label=_("Amount (Rp)"), max_digits=20, decimal_places=2, min_value=0)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else UnitKerja.objects.current().order_by("path")


class TautanForm(_LinkFields):
    uraian = forms.CharField(label=_("Description"), max_length=300)
    kategori = forms.ChoiceField(label=_("Category"), choices=BelanjaTik.Kategori.choices)
    nilai = forms.DecimalField(label=_("Amount (Rp)"), max_digits=20, decimal_places=2, min_value=0, required=False)


class DaftarDpaForm(_LinkFields):
    kategori = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("Guess from the kode rekening")), *BelanjaTik.Kategori.choices],
        required=False,
    )


class ImportForm(forms.Form):
    berkas = forms.FileField(label=_("File (CSV or XLSX)"))
    dry_run = forms.BooleanField(label=_("Check only (dry run)"), required=False, initial=True)
