"""Forms of the kontrak pages. They only collect values; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect, PickerWidget
from terpadu.kontrak.models import Adendum, Jaminan, Kontrak, Paket, Penyedia, Termin
from terpadu.organisasi.models import Pegawai

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 20, "decimal_places": 2, "min_value": 0}


class PenyediaForm(forms.Form):
    nama = forms.CharField(label=_("Name"), max_length=300)
    npwp = forms.CharField(
        label=_("NPWP"),
        max_length=30,
        help_text=_(
            "15 digits (99.999.999.9-999.999) or 16 digits (NIK-based, since 2024). Only the shape and length "
            "are checked: the check digit algorithm is not public."
        ),
    )
    alamat = forms.CharField(label=_("Address"), max_length=500, required=False)
    kualifikasi = forms.ChoiceField(
        label=_("Qualification"), choices=[("", "—"), *Penyedia.Kualifikasi.choices], required=False
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    telepon = forms.CharField(label=_("Phone"), max_length=40, required=False)


class UnitTahunForm(forms.Form):
    """Step one of a new package: the OPD and the year (they decide which DPA lines can fund it)."""

    unit = forms.ModelChoiceField(label=_("OPD"), queryset=None, widget=LongSelect)
    tahun = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PaketForm(forms.Form):
    kode_rup = forms.CharField(label=_("RUP code"), max_length=30, required=False)
    nama = forms.CharField(label=_("Name"), max_length=500)
    metode = forms.ChoiceField(label=_("Method"), choices=Paket.Metode.choices)
    jenis = forms.ChoiceField(label=_("Kind"), choices=Paket.Jenis.choices)
    pagu = forms.DecimalField(
        label=_("Ceiling (pagu)"), help_text=_("Must equal the sum of the DPA funding below."), **MONEY
    )
    sumber_dana = forms.CharField(label=_("Source of funds"), max_length=60, required=False)
    lokasi = forms.CharField(label=_("Location"), max_length=300, required=False)

    def __init__(self, *args, lines=(), **kwargs):
        """`lines`: DpaBaris rows with `.tersedia` set; one amount field per line."""
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"dpa_{line.pk}"] = forms.DecimalField(
                label=f"{line.kode}", required=False, **MONEY, widget=forms.NumberInput(attrs={"step": "0.01"})
            )
            line.field_name = f"dpa_{line.pk}"

    def line_fields(self):
        return [(line, self[line.field_name]) for line in self.lines]

    def main_fields(self):
        return [self[name] for name in ("kode_rup", "nama", "metode", "jenis", "pagu", "sumber_dana", "lokasi")]

    def alokasi(self) -> list:
        return [
            (line, self.cleaned_data[line.field_name]) for line in self.lines if self.cleaned_data.get(line.field_name)
        ]


class KontrakForm(forms.Form):
    nomor = forms.CharField(label=_("Contract number"), max_length=100)
    tanggal = forms.DateField(label=_("Contract date"), widget=DATE)
    penyedia = forms.ModelChoiceField(
        label=_("Supplier"), queryset=Penyedia.objects.all(), widget=PickerWidget("penyedia")
    )
    jenis_kontrak = forms.ChoiceField(label=_("Contract type"), choices=Kontrak.JenisKontrak.choices)
    hps = forms.DecimalField(label=_("Owner's estimate (HPS)"), required=False, **MONEY)
    nilai = forms.DecimalField(label=_("Contract value"), **MONEY)
    mulai = forms.DateField(label=_("Start"), widget=DATE)
    selesai = forms.DateField(label=_("End"), widget=DATE)
    ppk = forms.ModelChoiceField(
        label=_("PPK (commitment officer)"),
        queryset=Pegawai.objects.all(),
        required=False,
        widget=PickerWidget("pegawai"),
    )
    nilai_pdn = forms.DecimalField(label=_("Domestic content value (PDN)"), required=False, **MONEY)
    nilai_umk = forms.DecimalField(label=_("Micro/small business value (UMK)"), required=False, **MONEY)
    lingkup = forms.CharField(label=_("Scope of work"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    dokumen = forms.FileField(label=_("Contract document (PDF)"), required=False)


class KontrakEditForm(KontrakForm):
    """Value and dates change only by an adendum."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("nilai", "mulai", "selesai"):
            del self.fields[name]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"), choices=[c for c in Kontrak.Status.choices if c[0] != Kontrak.Status.BERJALAN]
    )
    tanggal = forms.DateField(label=_("Date"), widget=DATE)
    alasan = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AdendumForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Kind"), choices=Adendum.Jenis.choices)
    nomor = forms.CharField(label=_("Addendum number"), max_length=100)
    tanggal = forms.DateField(label=_("Date"), widget=DATE)
    nilai = forms.DecimalField(label=_("New contract value (value adendum)"), required=False, **MONEY)
    mulai = forms.DateField(label=_("New start (time adendum, optional)"), required=False, widget=DATE)
    selesai = forms.DateField(label=_("New end (time adendum)"), required=False, widget=DATE)
    lingkup = forms.CharField(
        label=_("New scope of work (scope adendum)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    alasan = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    dokumen = forms.FileField(label=_("Addendum document (PDF)"), required=False)


class TerminForm(forms.ModelForm):
    class Meta:
        model = Termin
        fields = ["urutan", "jenis", "persen_fisik", "nilai", "bap_nomor", "bap_tanggal"]
        widgets = {"bap_tanggal": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["urutan"].required = False
        self.fields["urutan"].help_text = _("Leave empty for the next number.")

    def _post_clean(self):
        pass  # the service validates against the contract


class JaminanForm(forms.ModelForm):
    class Meta:
        model = Jaminan
        fields = ["jenis", "penerbit", "nomor", "nilai", "berlaku_sampai"]
        widgets = {"berlaku_sampai": DATE}

    def _post_clean(self):
        pass
