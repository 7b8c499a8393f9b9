"""Forms of monev evaluasi."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from terpadu.monev.models import EvaluasiSubKegiatan

KEYAKINAN_BADGE = {
    "official": "bg-green-lt",
    "local": "bg-blue-lt",
    "multi": "bg-teal-lt",
    "secondary": "bg-yellow-lt",
    "unconfirmed": "bg-orange-lt",
    "demo": "bg-purple-lt",
}


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput)


class EvaluasiForm(forms.ModelForm):
    class Meta:
        model = EvaluasiSubKegiatan
        fields = ["faktor_pendorong", "faktor_penghambat", "tindak_lanjut"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in fields}


class CapaianForm(forms.Form):
    realisasi = forms.DecimalField(label=_("Realisation (cumulative)"), max_digits=20, decimal_places=4)
    catatan = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PitaForm(forms.Form):
    kategori = forms.CharField(label=_("Category"), max_length=40)
    label = forms.CharField(label=_("Label"), max_length=60, required=False)
    batas_bawah = forms.DecimalField(label=_("Lower bound"), max_digits=9, decimal_places=4, required=False)
    bawah_inklusif = forms.BooleanField(label=_("lower included"), required=False)
    batas_atas = forms.DecimalField(label=_("Upper bound"), max_digits=9, decimal_places=4, required=False)
    atas_inklusif = forms.BooleanField(label=_("upper included"), required=False)
    warna = forms.RegexField(label=_("Colour"), regex=r"^(#[0-9a-fA-F]{6})?$", required=False, max_length=9)


PitaFormSet = formset_factory(PitaForm, extra=1, can_delete=True)


class PeriksaForm(forms.Form):
    tahun = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    bulan = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
