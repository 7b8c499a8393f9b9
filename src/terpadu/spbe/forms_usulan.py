"""Forms of the usulan part (Pasal 39 proposals, review, pertimbangan)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja
from terpadu.spbe import services_usulan as svc
from terpadu.spbe.models import UsulanAplikasi


class UsulanForm(forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("OPD"), queryset=UnitKerja.objects.none(), widget=LongSelect)

    class Meta:
        model = UsulanAplikasi
        fields = ["unit", "nama_aplikasi", "bidang", *UsulanAplikasi.SEVEN_ITEMS, "sub_kegiatan"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in UsulanAplikasi.SEVEN_ITEMS}

    def __init__(self, *args, units=None, sub_kegiatan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else UnitKerja.objects.none()
        if self.instance.pk:
            self.fields["unit"].disabled = True
        if sub_kegiatan is not None:
            self.fields["sub_kegiatan"].queryset = sub_kegiatan
        self.fields["sub_kegiatan"].widget = LongSelect(choices=self.fields["sub_kegiatan"].choices)
        for name in UsulanAplikasi.SEVEN_ITEMS:
            self.fields[name].help_text = _("Required before submission.")

    def _post_clean(self):  # the service validates and writes; the form only parses
        pass


class AjukanForm(forms.Form):
    konfirmasi = forms.BooleanField(label=_("I have seen the overlapping applications listed above"), required=False)
    justifikasi = forms.CharField(
        label=_("Why the application is needed despite these applications"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewForm(forms.Form):
    catatan_review = forms.CharField(
        label=_("Notes for the OPD"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, checklist: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for item in svc.checklist_items():
            self.fields[f"cek_{item.kode}"] = forms.BooleanField(
                label=item.uraian, required=False, initial=bool((checklist or {}).get(item.kode))
            )

    def checklist(self) -> dict:
        return {item.kode: bool(self.cleaned_data.get(f"cek_{item.kode}")) for item in svc.checklist_items()}


class SuratForm(forms.Form):
    penandatangan_jabatan = forms.ModelChoiceField(
        label=_("Signing position (default: the Wali Kota)"), queryset=None, required=False, widget=LongSelect
    )
    klasifikasi = forms.ModelChoiceField(
        label=_("Classification (default: the kind of naskah's)"), queryset=None, required=False, widget=LongSelect
    )

    def __init__(self, *args, **kwargs):
        from terpadu.arsip.models import Klasifikasi
        from terpadu.organisasi.models import Jabatan

        super().__init__(*args, **kwargs)
        self.fields["penandatangan_jabatan"].queryset = Jabatan.objects.filter(is_kepala_unit=True).order_by(
            "unit__path"
        )
        self.fields["klasifikasi"].queryset = Klasifikasi.objects.filter(versi__aktif=True, aktif=True).order_by("kode")


class PertimbanganForm(forms.Form):
    keputusan = forms.ChoiceField(
        label=_("KemenPANRB's decision"),
        choices=[
            ("", "—"),
            (UsulanAplikasi.Status.DISETUJUI, _("Approved")),
            (UsulanAplikasi.Status.DITOLAK, _("Rejected")),
        ],
        required=False,
    )
    pertimbangan_nomor = forms.CharField(label=_("Number"), max_length=100, required=False)
    pertimbangan_tanggal = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    pertimbangan_dokumen = forms.FileField(label=_("Letter (PDF)"), required=False)
