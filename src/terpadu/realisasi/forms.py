"""Forms of the realisasi pages (the services validate the domain rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.realisasi.models import Sp2d

MONTH_CHOICES = [(m, f"{m:02d}") for m in range(1, 13)]


class Sp2dForm(forms.Form):
    nomor = forms.CharField(label=_("SP2D number"), max_length=100)
    tanggal = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    jenis = forms.ChoiceField(label=_("Kind"), choices=Sp2d.Jenis.choices, initial=Sp2d.Jenis.LS)
    unit = forms.ModelChoiceField(label=_("OPD"), queryset=None, widget=LongSelect)
    uraian = forms.CharField(label=_("Description"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].widget.attrs.update({"hx-target": "#dpa-lines", "hx-trigger": "change"})


class LineForm(forms.Form):
    baris = forms.CharField(
        label=_("DPA line (sub kegiatan.kode rekening)"),
        max_length=60,
        widget=forms.TextInput(attrs={"list": "dpa-lines", "autocomplete": "off", "class": "font-monospace"}),
    )
    nilai = forms.DecimalField(label=_("Amount"), max_digits=20, decimal_places=2, min_value=0.01)
    nomor_kontrak = forms.CharField(label=_("Contract number"), max_length=100, required=False)
    termin = forms.IntegerField(label=_("Termin"), min_value=1, required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("nomor_kontrak")) != bool(data.get("termin")):
            raise forms.ValidationError(_("Give both the contract number and the termin, or neither."))
        return data


LineFormSet = forms.formset_factory(LineForm, extra=3, min_num=1, validate_min=True, max_num=50)


class CancelForm(forms.Form):
    alasan = forms.CharField(label=_("Reason for the cancellation"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(label=_("Dry run (check only, write nothing)"), required=False, initial=True)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the Django documentation's recipe); cleans to a list."""

    def clean(self, data, initial=None):
        if not data:
            return []
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)]


class ProgresForm(forms.Form):
    bulan = forms.TypedChoiceField(label=_("Month"), choices=MONTH_CHOICES, coerce=int)
    persen = forms.DecimalField(
        label=_("Cumulative physical progress (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", "min": "0", "max": "100"}),
    )
    narasi = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    alasan_koreksi = forms.CharField(
        label=_("Reason, if lower than an earlier month"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    foto = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment", "multiple": True}),
    )
    keterangan = forms.CharField(label=_("Photo caption"), max_length=300, required=False)
