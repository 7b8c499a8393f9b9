"""Forms of the master-data pages (nomenklatur here; the kode rekening pages reuse them with their own tree).
They only collect values; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.perencanaan.models import Keyakinan

KEYAKINAN_BADGE = {
    Keyakinan.OFFICIAL: "bg-green-lt",
    Keyakinan.MULTI: "bg-green-lt",
    Keyakinan.SECONDARY: "bg-yellow-lt",
    Keyakinan.UNCONFIRMED: "bg-red-lt",
    Keyakinan.LOCAL: "bg-blue-lt",
    Keyakinan.DEMO: "bg-purple-lt",
}
# Codes that need no badge: they come from the regulation or the city itself.
NO_BADGE = (Keyakinan.OFFICIAL, Keyakinan.LOCAL)
EXTRA_LABELS = {
    "kinerja": _("Output (kinerja)"),
    "indikator": _("Output indicator"),
    "satuan": _("Unit of measure"),
}


class VersiForm(forms.Form):
    tahun = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    nama = forms.CharField(label=_("Name"), max_length=200)
    dasar_hukum = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    copy_from = forms.ModelChoiceField(
        label=_("Copy the codes of"),
        queryset=None,
        required=False,
        help_text=_("Copies the codes in use and maps each old code to its copy. Leave empty for an empty edition."),
    )

    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = tree.versi_model.objects.order_by("-tahun")


class KodeCreateForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"))
    kode = forms.CharField(label=_("Code"), max_length=24)
    nama = forms.CharField(label=_("Name"), max_length=500)
    parent_kode = forms.CharField(
        label=_("Parent code"), max_length=24, required=False, help_text=_("Empty: the start of the code.")
    )

    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level, tree.level_labels[level]) for level in tree.levels]
        self.fields["kode"].help_text = " · ".join(
            f"{tree.level_labels[level]}: {tree.examples[level]}" for level in tree.levels
        )
        for name in tree.extra_fields:
            self.fields[name] = forms.CharField(label=EXTRA_LABELS.get(name, name), max_length=500, required=False)


class KodeEditForm(forms.Form):
    nama = forms.CharField(label=_("Name"), max_length=500)
    keyakinan = forms.ChoiceField(label=_("Confidence"), choices=Keyakinan.choices)
    sumber = forms.CharField(label=_("Source"), max_length=500, required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        for name in tree.extra_fields:
            self.fields[name] = forms.CharField(label=EXTRA_LABELS.get(name, name), max_length=500, required=False)


class ImportForm(forms.Form):
    versi = forms.ModelChoiceField(label=_("Edition"), queryset=None)
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    dry_run = forms.BooleanField(label=_("Dry run: only check, write nothing"), required=False, initial=True)

    def __init__(self, *args, versi_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["versi"].queryset = versi_queryset


class PemetaanForm(forms.Form):
    dari = forms.CharField(label=_("Old code"), max_length=24)
    ke = forms.CharField(label=_("New code"), max_length=24)
    catatan = forms.CharField(label=_("Note"), max_length=300, required=False)
