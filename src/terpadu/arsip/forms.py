"""Forms of the arsip pages. They only collect values; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.arsip.models import BeritaAcara, Berkas, Keyakinan, Klasifikasi, KlasifikasiVersi
from terpadu.core.forms import LongSelect, PickerWidget


class KlasifikasiForm(forms.ModelForm):
    class Meta:
        model = Klasifikasi
        fields = [
            "nama",
            "retensi_aktif",
            "retensi_inaktif",
            "nasib_akhir",
            "skkaad",
            "keterangan",
            "jra_keyakinan",
            "jra_sumber",
            "catatan",
        ]
        widgets = {"catatan": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jra_keyakinan"].help_text = _(
            "Leave unchanged when you edit the retention: it becomes 'set by the city'."
        )


class KlasifikasiCreateForm(KlasifikasiForm):
    class Meta(KlasifikasiForm.Meta):
        fields = ["kode", "parent", *KlasifikasiForm.Meta.fields]
        widgets = {**KlasifikasiForm.Meta.widgets, "parent": LongSelect}

    def __init__(self, *args, versi=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = Klasifikasi.objects.filter(versi=versi, aktif=True) if versi else Klasifikasi.objects.none()
        self.fields["parent"].queryset = codes.order_by("kode")
        self.fields["parent"].required = False

    def _post_clean(self):
        # The service validates against the edition (the model's unique check needs `versi`).
        pass


class VersiForm(forms.ModelForm):
    class Meta:
        model = KlasifikasiVersi
        fields = ["nama", "dasar_hukum", "berlaku_mulai", "catatan"]
        widgets = {
            "berlaku_mulai": forms.DateInput(attrs={"type": "date"}),
            "catatan": forms.Textarea(attrs={"rows": 3}),
        }


class ImportForm(forms.Form):
    versi = forms.ModelChoiceField(label=_("Edition"), queryset=KlasifikasiVersi.objects.all())
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    dry_run = forms.BooleanField(label=_("Dry run (check only, write nothing)"), required=False, initial=True)


class BerkasForm(forms.ModelForm):
    class Meta:
        model = Berkas
        fields = ["unit", "klasifikasi", "uraian", "tahun", "lokasi", "kurun_mulai", "kurun_selesai"]
        widgets = {
            "unit": LongSelect,
            "klasifikasi": PickerWidget("klasifikasi"),
            "kurun_mulai": forms.DateInput(attrs={"type": "date"}),
            "kurun_selesai": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        if self.instance.pk:
            del self.fields["unit"]
            del self.fields["tahun"]
        if "tahun" in self.fields:
            self.fields["tahun"].required = False

    def _post_clean(self):
        pass  # the services validate (numbering needs the counter)


class MoveForm(forms.Form):
    berkas = forms.ModelChoiceField(label=_("Move to file"), queryset=Berkas.objects.none(), widget=LongSelect)

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["berkas"].queryset = targets if targets is not None else Berkas.objects.none()
        self.fields["berkas"].label_from_instance = lambda b: b.label


class BeritaAcaraForm(forms.Form):
    jenis = forms.ChoiceField(label=_("Kind"), choices=BeritaAcara.Jenis.choices)
    berkas = forms.ModelMultipleChoiceField(
        label=_("Files"), queryset=Berkas.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    nomor = forms.CharField(label=_("Number"), max_length=100)
    tanggal = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    dasar = forms.CharField(label=_("Basis (approval, appraisal)"), widget=forms.Textarea(attrs={"rows": 3}))
    dokumen = forms.FileField(label=_("Signed berita acara (PDF)"))
    confirm = forms.BooleanField(
        label=_("I confirm: the content of these files will be destroyed or handed over, and this cannot be undone."),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["berkas"].queryset = candidates if candidates is not None else Berkas.objects.none()
        self.fields["berkas"].label_from_instance = lambda b: f"{b.label} ({b.unit})"


KEYAKINAN_BADGE = {
    Keyakinan.OFFICIAL: "bg-green-lt",
    Keyakinan.MULTI: "bg-green-lt",
    Keyakinan.SECONDARY: "bg-yellow-lt",
    Keyakinan.UNCONFIRMED: "bg-red-lt",
    Keyakinan.LOCAL: "bg-blue-lt",
}
