from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import PickerWidget
from terpadu.organisasi.models import Jabatan, Pegawai, Pemda, PenugasanSementara, UnitKerja

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def https_url(label):
    return forms.URLField(label=capfirst(label), required=False, assume_scheme="https")


class PemdaForm(forms.ModelForm):
    website = https_url(_("website"))

    class Meta:
        model = Pemda
        fields = [
            "nama",
            "jenis",
            "kode_wilayah",
            "provinsi",
            "alamat",
            "telepon",
            "email",
            "website",
            "kepala_daerah_sebutan",
        ]


class UnitForm(forms.ModelForm):
    website = https_url(_("website"))

    class Meta:
        model = UnitKerja
        fields = [
            "parent",
            "kode",
            "nama",
            "singkatan",
            "jenis",
            "alamat",
            "telepon",
            "email",
            "website",
            "kode_pos",
            "valid_from",
            "valid_to",
        ]
        widgets = {"valid_from": DATE, "valid_to": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = UnitKerja.objects.current()


class JabatanForm(forms.ModelForm):
    class Meta:
        model = Jabatan
        fields = [
            "unit",
            "kode",
            "nama",
            "jenis",
            "eselon",
            "is_kepala_unit",
            "atasan_override",
            "valid_from",
            "valid_to",
        ]
        widgets = {"valid_from": DATE, "valid_to": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = UnitKerja.objects.current()
        self.fields["atasan_override"].queryset = Jabatan.objects.current().filter(is_kepala_unit=True)


class NipField(forms.CharField):
    """A NIP as written on documents ("19850314 201001 1 002"): spaces go before the length is checked."""

    def to_python(self, value):
        return super().to_python(value).replace(" ", "")

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": "21"}  # 18 digits and the customary spaces


class PegawaiForm(forms.ModelForm):
    class Meta:
        model = Pegawai
        fields = [
            "nip",
            "nama",
            "gelar_depan",
            "gelar_belakang",
            "status",
            "golongan",
            "nik",
            "email",
            "telepon",
            "aktif",
        ]
        field_classes = {"nip": NipField}


class AssignJabatanForm(forms.Form):
    jabatan = forms.ModelChoiceField(
        label=_("Position"), queryset=Jabatan.objects.none(), widget=PickerWidget("jabatan")
    )
    tmt_mulai = forms.DateField(label=_("Starting on (TMT)"), widget=DATE)
    nomor_sk = forms.CharField(label=_("Decree number"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jabatan"].queryset = Jabatan.objects.current()  # today's positions, not those at start-up


class ActingForm(forms.Form):
    pegawai = forms.ModelChoiceField(
        label=_("Employee"), queryset=Pegawai.objects.filter(aktif=True), widget=PickerWidget("pegawai")
    )
    jenis = forms.ChoiceField(label=_("Kind"), choices=PenugasanSementara.Jenis.choices)
    mulai = forms.DateField(label=_("From"), widget=DATE)
    selesai = forms.DateField(label=_("Until"), widget=DATE)
    nomor_sk = forms.CharField(label=_("Decree number"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("mulai") and data.get("selesai") and data["selesai"] < data["mulai"]:
            self.add_error("selesai", _("The end date is before the start date."))
        return data


class ImportForm(forms.Form):
    KINDS = [
        ("xlsx", _("Workbook (XLSX) with sheets unit, jabatan, pegawai")),
        ("unit", _("CSV: units")),
        ("jabatan", _("CSV: positions")),
        ("pegawai", _("CSV: employees")),
    ]
    kind = forms.ChoiceField(label=_("File"), choices=KINDS)
    file = forms.FileField(label=_("File to import"))
    dry_run = forms.BooleanField(label=_("Dry run: only check, write nothing"), required=False, initial=True)
