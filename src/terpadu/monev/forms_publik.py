from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.organisasi import services as org


class PengecualianForm(forms.Form):
    tahun = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kode = forms.CharField(
        label=_("Program, kegiatan or sub kegiatan code"),
        max_length=24,
        help_text=_("Everything under the code is excepted too, e.g. 2.16.03 hides every kegiatan of the program."),
        widget=forms.TextInput(attrs={"class": "font-monospace", "autocomplete": "off"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Only for this OPD"),
        queryset=None,
        required=False,
        widget=LongSelect,
        help_text=_("Leave empty to except the code for every OPD."),
    )
    alasan = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published in the public list of exceptions (without the item's name)."),
        error_messages={"required": _("The reason is required: it is published in the list of exceptions.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = org.opd_list()
        self.fields["tahun"].initial = timezone.localdate().year
