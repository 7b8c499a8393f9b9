"""Forms of the incoming part: registration of a letter, a disposition, its completion."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.core import authz, pickers
from terpadu.core.forms import LongSelect, PickerWidget
from terpadu.naskah.models import InstruksiDisposisi, JenisNaskah, Sifat, Urgensi
from terpadu.organisasi.models import Jabatan, UnitKerja

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _styled(form: forms.Form) -> None:
    """Tabler classes on the plain widgets (the shared form partial renders widgets as they are)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | PickerWidget):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


def _klasifikasi_field() -> forms.ModelChoiceField:
    from terpadu.arsip.models import Klasifikasi

    current = Klasifikasi.objects.filter(versi__aktif=True, aktif=True).order_by("kode")
    widget = PickerWidget("klasifikasi") if "klasifikasi" in pickers.PICKERS else LongSelect
    return forms.ModelChoiceField(current, label=_("Classification"), widget=widget)


class RegistrasiForm(forms.Form):
    unit = forms.ModelChoiceField(UnitKerja.objects.none(), label=_("Registering unit"), widget=LongSelect)
    dokumen = forms.FileField(
        label=_("Scan or PDF of the letter"), help_text=_("PDF (preferred), PNG or JPG; not password-protected.")
    )
    nomor = forms.CharField(label=_("Sender's number"), max_length=255)
    tanggal = forms.DateField(label=_("Date of the letter"), widget=DATE)
    asal_instansi = forms.CharField(label=_("Sender agency"), max_length=255)
    asal_nama = forms.CharField(label=_("Sender name / position"), max_length=255, required=False)
    hal = forms.CharField(label=_("Subject (hal)"), max_length=500)
    ringkasan = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    jenis = forms.ModelChoiceField(JenisNaskah.objects.filter(aktif=True), label=_("Kind"))
    sifat = forms.ChoiceField(label=_("Security"), choices=Sifat.choices, initial=Sifat.BIASA)
    urgensi = forms.ChoiceField(label=_("Urgency"), choices=Urgensi.choices, initial=Urgensi.BIASA)
    tujuan = forms.ModelMultipleChoiceField(
        Jabatan.objects.none(),
        label=_("Addressed to"),
        required=False,
        help_text=_("Empty: the head of the registering unit."),
    )
    tembusan = forms.ModelMultipleChoiceField(Jabatan.objects.none(), label=_("Copies (tembusan)"), required=False)
    lampiran = MultipleFileField(label=_("Attachments"), required=False)
    # Hidden until the registration meets a duplicate; then shown as a checkbox (see show_duplicate_confirmation).
    konfirmasi_duplikat = forms.BooleanField(
        label=_("Register anyway: this is not the same letter registered before"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = authz.restrict(UnitKerja.objects.current(), user, "naskah.register")
        self.fields["unit"].queryset = units
        heads = Jabatan.objects.current().filter(is_kepala_unit=True).select_related("unit")
        heads = authz.restrict(heads, user, "naskah.register").order_by("unit__path")
        for name in ("tujuan", "tembusan"):
            self.fields[name].queryset = heads
            self.fields[name].label_from_instance = lambda j: f"{j.nama} — {j.unit.nama}"
        self.fields["klasifikasi"] = _klasifikasi_field()
        self.order_fields(
            [
                "unit",
                "dokumen",
                "nomor",
                "tanggal",
                "asal_instansi",
                "asal_nama",
                "hal",
                "ringkasan",
                "jenis",
                "klasifikasi",
                "sifat",
                "urgensi",
                "tujuan",
                "tembusan",
                "lampiran",
                "konfirmasi_duplikat",
            ]
        )
        if len(units) == 1 and not self.is_bound:
            self.initial.setdefault("unit", units[0].pk)
        _styled(self)

    def show_duplicate_confirmation(self, message) -> None:
        self.fields["konfirmasi_duplikat"].widget = forms.CheckboxInput()
        self.add_error("konfirmasi_duplikat", message)

    def clean(self):
        data = super().clean()
        unit = data.get("unit")
        if unit is not None:
            for name in ("tujuan", "tembusan"):
                outside = [str(j) for j in data.get(name) or [] if not j.unit.path.startswith(unit.path)]
                if outside:
                    self.add_error(name, _("Not in the registering unit: %(names)s.") % {"names": ", ".join(outside)})
        return data


class DisposisiForm(forms.Form):
    giver = forms.ChoiceField(label=_("Dispose as"), required=False)  # may be left out when there is one choice
    kepada = forms.ModelMultipleChoiceField(Jabatan.objects.none(), label=_("To"))
    instruksi = forms.ModelMultipleChoiceField(
        InstruksiDisposisi.objects.filter(aktif=True),
        label=_("Instructions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    catatan = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    batas_waktu = forms.DateField(label=_("Deadline"), required=False, widget=DATE)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].choices = [
            (c.key, f"{c.jabatan}" + (f" ({_('continuing a disposition')})" if c.induk else "")) for c in choices
        ]
        if len(choices) == 1:
            self.fields["giver"].widget = forms.HiddenInput()
            self.initial["giver"] = choices[0].key
        targets = {j.pk for c in choices for j in c.targets}
        self.fields["kepada"].queryset = Jabatan.objects.filter(pk__in=targets).select_related("unit")
        self.fields["kepada"].label_from_instance = lambda j: f"{j.nama} — {j.unit.nama}"
        self.fields["kepada"].widget.attrs["size"] = min(10, max(3, len(targets)))
        _styled(self)


class SelesaiForm(forms.Form):
    tindak_lanjut = forms.CharField(label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 3}))
    lampiran = MultipleFileField(label=_("Files"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)
