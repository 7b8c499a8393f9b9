"""Forms of the application catalogue (saved through services_katalog, never form.save())."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.core import authz
from terpadu.organisasi.models import UnitKerja
from terpadu.spbe.models import Aplikasi, AplikasiNasional, DataAplikasi, Domain, ElemenArsitektur, IntegrasiAplikasi

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BidangInput(forms.TextInput):
    """A text box with a datalist of the known bidang (the template renders the <datalist id="bidang-list">)."""

    def __init__(self, attrs=None):
        super().__init__({"list": "bidang-list", "autocomplete": "off", **(attrs or {})})


class AplikasiForm(forms.ModelForm):
    layanan = forms.ModelMultipleChoiceField(
        label=_("Services it serves (layanan)"), queryset=ElemenArsitektur.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    url = forms.URLField(label=_("URL"), required=False, assume_scheme="https")
    alasan = forms.CharField(
        label=_("Reason (when moving the status back)"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    class Meta:
        model = Aplikasi
        fields = [
            "nama", "singkatan", "jenis", "aplikasi_nasional", "unit", "fungsi_bisnis", "bidang", "pengguna",
            "hosting", "teknologi", "url", "status", "tanggal_usulan", "tanggal_operasi", "tanggal_dihentikan",
            "audit_keamanan_terakhir", "time", "publik",
        ]  # fmt: skip
        widgets = {
            "fungsi_bisnis": forms.Textarea(attrs={"rows": 3}),
            "bidang": BidangInput(),
            "tanggal_usulan": DATE,
            "tanggal_operasi": DATE,
            "tanggal_dihentikan": DATE,
            "audit_keamanan_terakhir": DATE,
        }
        help_texts = {
            "bidang": _("The national function it covers, in the vocabulary of the national applications."),
            "aplikasi_nasional": _("Required for an aplikasi umum in use; empty for an aplikasi khusus."),
            "status": _("A status change sets its date (today unless you give it); going back needs a reason."),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = UnitKerja.objects.all()
        manage = authz.restrict(units, user, "spbe.manage")
        propose = authz.restrict(units, user, "spbe.propose")
        self.fields["unit"].queryset = (manage | propose).distinct().order_by("path")
        # Ownerless entries: Diskominfo with a whole-pemda grant only.
        self.fields["unit"].required = not authz.scope(user, "spbe.manage").whole
        self.fields["aplikasi_nasional"].queryset = AplikasiNasional.objects.order_by("nama")
        self.fields["layanan"].queryset = authz.restrict(
            ElemenArsitektur.objects.filter(domain=Domain.LAYANAN).exclude(status=ElemenArsitektur.Status.DIHENTIKAN),
            user,
            "spbe.view",
        ).order_by("kode")
        if self.instance.pk:
            self.fields["layanan"].initial = list(self.instance.layanan.values_list("pk", flat=True))
        else:
            self.fields.pop("alasan")

    def _post_clean(self):
        """Model validation is the service's job (it returns every error by field); keep the instance untouched."""


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New lifecycle status"), choices=Aplikasi.Status.choices)
    tanggal = forms.DateField(label=_("Date (default today)"), required=False, widget=DATE)
    alasan = forms.CharField(label=_("Reason (required when going back)"), required=False, max_length=500)


class DataForm(forms.Form):
    nama = forms.CharField(label=_("Data"), max_length=200)
    klasifikasi = forms.ChoiceField(label=_("Classification"), choices=DataAplikasi.Klasifikasi.choices)
    elemen = forms.ModelChoiceField(
        label=_("Data element of the architecture"), queryset=ElemenArsitektur.objects.none(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elemen"].queryset = authz.restrict(
            ElemenArsitektur.objects.filter(domain=Domain.DATA), user, "spbe.view"
        ).order_by("kode")


class IntegrasiForm(forms.Form):
    ke = forms.ModelChoiceField(label=_("Integrates with"), queryset=Aplikasi.objects.none())
    metode = forms.ChoiceField(label=_("Method"), choices=IntegrasiAplikasi.Metode.choices)
    keterangan = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, dari=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Any catalogue entry may be the other end (the list shows names only, no details of other OPDs).
        queryset = Aplikasi.objects.order_by("nama")
        self.fields["ke"].queryset = queryset.exclude(pk=dari.pk) if dari else queryset


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    dry_run = forms.BooleanField(label=_("Dry run: only check, write nothing"), required=False, initial=True)
