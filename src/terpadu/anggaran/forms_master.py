"""Forms of the anggaran master pages (the kode rekening pages use perencanaan/forms_master.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class StandarHargaImportForm(forms.Form):
    tahun = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("File (CSV or XLSX)"))
    dry_run = forms.BooleanField(label=_("Dry run: only check, write nothing"), required=False, initial=True)
