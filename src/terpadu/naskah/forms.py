"""Forms of outgoing naskah: the draft (with the template's own fields), recipients, the paraf chain, signing,
access grants and the public copy check."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect, PickerWidget
from terpadu.naskah.models import JenisNaskah, Naskah, Penerima, Sifat, Urgensi
from terpadu.organisasi.models import Jabatan, Pegawai, UnitKerja


def klasifikasi_queryset():
    from terpadu.arsip.models import Klasifikasi

    return Klasifikasi.objects.filter(versi__aktif=True, aktif=True).order_by("kode")


class KlasifikasiField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.kode} {obj.nama}"


class NaskahForm(forms.Form):
    """The metadata of a draft. The template's own fields are added as `isi_<name>` by `add_template_fields`."""

    jenis = forms.ModelChoiceField(JenisNaskah.objects.filter(aktif=True), label=_("Kind"))
    klasifikasi = KlasifikasiField(queryset=None, label=_("Classification"), widget=LongSelect)
    sifat = forms.ChoiceField(choices=Sifat.choices, label=_("Security"), initial=Sifat.BIASA)
    urgensi = forms.ChoiceField(choices=Urgensi.choices, label=_("Urgency"), initial=Urgensi.BIASA)
    hal = forms.CharField(label=_("Subject (hal)"), max_length=500)
    ringkasan = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    penandatangan_jabatan = forms.ModelChoiceField(
        Jabatan.objects.current(), label=_("Signing position"), widget=PickerWidget("jabatan")
    )
    atas_nama = forms.ChoiceField(choices=Naskah.AtasNama.choices, label=_("On behalf"), required=False)
    atas_nama_jabatan = forms.ModelChoiceField(
        Jabatan.objects.current(),
        label=_("On behalf of position (a.n./u.b.)"),
        required=False,
        widget=PickerWidget("jabatan"),
    )
    dokumen = forms.FileField(
        label=_("Upload the naskah as PDF"),
        required=False,
        help_text=_("Instead of a template. The number is printed in a header line on the first page at signing."),
    )
    lampiran = forms.FileField(label=_("Add an attachment (PDF)"), required=False)
    lampiran_judul = forms.CharField(label=_("Attachment title"), max_length=255, required=False)
    catatan = forms.CharField(label=_("Note on this version"), max_length=500, required=False)

    def __init__(self, *args, template=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klasifikasi"].queryset = klasifikasi_queryset()
        self.template_field_names: list[str] = []
        if template is not None:
            self.add_template_fields(template)

    def add_template_fields(self, template) -> None:
        for spec in template.fields or []:
            name = f"isi_{spec.get('name')}"
            kind = spec.get("type", "text")
            widget = forms.Textarea(attrs={"rows": 5}) if kind in ("textarea", "html", "longtext") else None
            field = forms.DateField if kind == "date" else forms.CharField
            options = {"label": spec.get("label") or spec.get("name"), "required": bool(spec.get("required"))}
            if widget is not None:
                options["widget"] = widget
            self.fields[name] = field(**options)
            self.template_field_names.append(name)

    def isi(self) -> dict:
        return {
            name.removeprefix("isi_"): (value.isoformat() if hasattr(value, "isoformat") else value)
            for name in self.template_field_names
            if (value := self.cleaned_data.get(name)) not in (None, "")
        }

    def clean(self):
        data = super().clean()
        if data.get("atas_nama") and not data.get("atas_nama_jabatan"):
            self.add_error("atas_nama_jabatan", _("Choose the position signed on behalf of (a.n./u.b.)."))
        if data.get("lampiran") and not data.get("lampiran_judul"):
            data["lampiran_judul"] = data["lampiran"].name
        return data

    def data_for_service(self) -> dict:
        keys = ("jenis", "klasifikasi", "sifat", "urgensi", "hal", "ringkasan", "penandatangan_jabatan")
        data = {key: self.cleaned_data[key] for key in keys}
        data["atas_nama"] = self.cleaned_data.get("atas_nama") or ""
        data["atas_nama_jabatan"] = self.cleaned_data.get("atas_nama_jabatan") if data["atas_nama"] else None
        data["isi"] = self.isi()
        if self.cleaned_data.get("dokumen"):
            data["sumber"] = Naskah.Sumber.UNGGAH
        return data


class PenerimaForm(forms.Form):
    peran = forms.ChoiceField(choices=Penerima.Peran.choices, label=_("Role"), initial=Penerima.Peran.TUJUAN)
    jabatan = forms.ModelChoiceField(
        Jabatan.objects.current(), label=_("Position"), required=False, widget=PickerWidget("jabatan")
    )
    unit = forms.ModelChoiceField(
        UnitKerja.objects.current(), label=_("Unit"), required=False, widget=PickerWidget("unit")
    )
    nama = forms.CharField(label=_("Name / position (outside)"), max_length=255, required=False)
    instansi = forms.CharField(label=_("Agency (outside)"), max_length=255, required=False)
    email = forms.EmailField(label=_("E-mail (outside)"), required=False)


PenerimaFormSet = formset_factory(PenerimaForm, extra=2, max_num=50)


class ChainForm(forms.Form):
    jabatan = forms.ModelChoiceField(
        Jabatan.objects.current(), label=_("Verifier position"), required=False, widget=PickerWidget("jabatan")
    )


ChainFormSet = formset_factory(ChainForm, extra=2, max_num=20)


class CatatanForm(forms.Form):
    catatan = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    catatan = forms.CharField(label=_("What must change"), widget=forms.Textarea(attrs={"rows": 3}))


class SignForm(forms.Form):
    backend = forms.ChoiceField(label=_("Signing method"))
    credential_id = forms.CharField(required=False, widget=forms.HiddenInput)
    passphrase = forms.CharField(
        label=_("Passphrase"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["backend"].choices = list(options)


class GrantForm(forms.Form):
    pegawai = forms.ModelChoiceField(
        Pegawai.objects.filter(aktif=True), label=_("Employee"), widget=PickerWidget("pegawai")
    )
    alasan = forms.CharField(label=_("Reason"), max_length=500)
    sampai = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class VerifyCopyForm(forms.Form):
    file = forms.FileField(label=_("Your copy (PDF)"))
