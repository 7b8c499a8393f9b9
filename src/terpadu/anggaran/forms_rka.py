"""Forms of the budgeting pages. They only collect values; services_rka validates and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.anggaran.models import TahapAnggaran
from terpadu.core.forms import LongSelect


class TahapForm(forms.Form):
    tahun = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2999)
    jenis = forms.ChoiceField(label=_("Kind"), choices=TahapAnggaran.Jenis.choices)
    nama = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("Leave empty for the usual name (APBD Murni, Pergeseran 1, …)."),
    )
    dasar_hukum = forms.CharField(label=_("Legal basis"), max_length=300, required=False)


class TetapkanForm(forms.Form):
    dasar_hukum = forms.CharField(label=_("Legal basis (Perda/Perkada)"), max_length=300, required=False)


class PaguForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("OPD"), queryset=None, widget=LongSelect)
    nilai = forms.DecimalField(label=_("Ceiling (pagu)"), max_digits=20, decimal_places=2, min_value=0)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RkaCreateForm(forms.Form):
    sub_kegiatan = forms.ModelChoiceField(label=_("Sub kegiatan (Renja)"), queryset=None, widget=LongSelect)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_kegiatan"].queryset = candidates


class RincianForm(forms.Form):
    kode_rekening = forms.CharField(
        label=_("Kode rekening"),
        max_length=24,
        widget=forms.TextInput(attrs={"class": "font-monospace", "list": "rekening-list"}),
    )
    kode_ssh = forms.CharField(
        label=_("SSH/SBU item code"),
        max_length=40,
        required=False,
        help_text=_("When the item is in the standard price list its unit and price are used."),
    )
    uraian = forms.CharField(label=_("Item (uraian)"), max_length=300)
    spesifikasi = forms.CharField(label=_("Specification"), max_length=500, required=False)
    volume = forms.DecimalField(label=_("Volume"), max_digits=16, decimal_places=4)
    satuan = forms.CharField(label=_("Unit (satuan)"), max_length=60, required=False)
    harga_satuan = forms.DecimalField(label=_("Unit price"), max_digits=20, decimal_places=2, required=False)
    justifikasi = forms.CharField(
        label=_("Justification (no SSH item)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    sumber_dana = forms.CharField(label=_("Source of funds"), max_length=60, required=False)

    @staticmethod
    def initial_for(line) -> dict:
        return {
            "kode_rekening": line.rekening.kode,
            "kode_ssh": line.standar_harga.kode if line.standar_harga_id else "",
            "uraian": line.uraian,
            "spesifikasi": line.spesifikasi,
            "volume": format(line.volume.normalize(), "f"),
            "satuan": line.satuan,
            "harga_satuan": line.harga_satuan,
            "justifikasi": line.justifikasi,
            "sumber_dana": line.sumber_dana,
        }


class KasForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bulan in range(1, 13):
            self.fields[f"bulan_{bulan}"] = forms.DecimalField(
                label=_("Month %(n)d") % {"n": bulan}, max_digits=20, decimal_places=2, min_value=0, required=False
            )

    def months(self) -> list:
        return [self.cleaned_data.get(f"bulan_{b}") or 0 for b in range(1, 13)]


class ImportForm(forms.Form):
    tahap = forms.ModelChoiceField(label=_("Budget round"), queryset=TahapAnggaran.objects.filter(status="penyusunan"))
    file = forms.FileField(label=_("CSV or XLSX file"))
    dry_run = forms.BooleanField(label=_("Dry run (check only, write nothing)"), required=False, initial=True)
