"""Forms of the evaluasi part."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.spbe.models import Kerangka

KEYAKINAN_BADGE = {
    "official": "bg-green-lt",
    "local": "bg-blue-lt",
    "multi": "bg-teal-lt",
    "secondary": "bg-yellow-lt",
    "unconfirmed": "bg-orange-lt",
    "demo": "bg-purple-lt",
}


class PenilaianForm(forms.Form):
    kerangka = forms.ModelChoiceField(label=_("Framework"), queryset=Kerangka.objects.all())
    tahun = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class HasilResmiForm(forms.Form):
    kerangka = forms.ModelChoiceField(label=_("Framework"), queryset=Kerangka.objects.all())
    tahun = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    indeks = forms.DecimalField(label=_("Published index"), max_digits=12, decimal_places=8)
    predikat = forms.CharField(label=_("Published predikat (checked against the bands)"), required=False)
    keputusan = forms.CharField(label=_("Decree"), max_length=200, required=False)
    sumber = forms.CharField(label=_("Source"), max_length=500, required=False)


class NilaiForm(forms.Form):
    nilai = forms.CharField(label=_("Level / score"), required=False, max_length=10)
    nilai_eksternal = forms.CharField(label=_("External index value"), required=False, max_length=12)
    justifikasi = forms.CharField(label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class BuktiForm(forms.Form):
    keterangan = forms.CharField(label=_("Description"), max_length=500)
    file = forms.FileField(label=_("File (PDF, image, XLSX or CSV)"))


class TinjauForm(forms.Form):
    keputusan = forms.ChoiceField(label=_("Decision"), choices=[("terima", _("Accept")), ("kembalikan", _("Return"))])
    catatan = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class KerangkaUnggahForm(forms.Form):
    kode = forms.RegexField(label=_("Code"), regex=r"^[A-Za-z0-9_]{3,20}$", max_length=20)
    nama = forms.CharField(label=_("Name"), max_length=200)
    instrumen = forms.CharField(label=_("Instrument (regulation)"), max_length=300, required=False)
    tahun_mulai = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    tahun_selesai = forms.IntegerField(label=_("Until year"), min_value=2000, max_value=2100, required=False)
    skala = forms.ChoiceField(label=_("Score scale"), choices=Kerangka.Skala.choices)
    nilai_min = forms.DecimalField(label=_("Lowest score"), initial=1, max_digits=4, decimal_places=2)
    nilai_maks = forms.DecimalField(label=_("Highest score"), initial=5, max_digits=4, decimal_places=2)
    sumber = forms.CharField(label=_("Source"), max_length=500, required=False)
    indikator = forms.FileField(label=_("Indicators (CSV/XLSX shaped like spbe2020_indicators.csv)"))
    predikat = forms.FileField(label=_("Predikat bands (CSV/XLSX shaped like pemdi2026_predikat.csv)"))
    dry_run = forms.BooleanField(label=_("Dry run (check only)"), required=False, initial=True)


class TetapkanForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Responsible OPD"), queryset=None, required=False)
    asesor = forms.ModelChoiceField(label=_("Internal assessor"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        from terpadu.core.forms import PickerWidget
        from terpadu.organisasi.models import Pegawai, UnitKerja

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = UnitKerja.objects.filter(parent__isnull=False, parent__parent__isnull=True)
        self.fields["asesor"].queryset = Pegawai.objects.filter(aktif=True)
        self.fields["asesor"].widget = PickerWidget("spbe-asesor")
