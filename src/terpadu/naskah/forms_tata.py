"""Forms of tata naskah: a template (body, fields, style, paper) and a disposition instruction."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terpadu.naskah import tata
from terpadu.naskah.models import InstruksiDisposisi, JenisNaskah
from terpadu.organisasi.models import UnitKerja

CODE_ATTRS = {"class": "form-control font-monospace", "spellcheck": "false"}


def fields_to_text(fields: list[dict]) -> str:
    """The fields as the form shows them: one per line, `name | label | type | required`."""
    return "\n".join(
        " | ".join(
            [f["name"], f.get("label", ""), f.get("type", "text"), "required" if f.get("required") else ""]
        ).rstrip(" |")
        for f in fields or []
    )


def text_to_fields(text: str) -> list[dict]:
    fields = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 4:
            raise ValidationError(_("Line %(line)d: give at most name | label | type | required.") % {"line": number})
        parts += [""] * (4 - len(parts))
        required = parts[3].lower()
        if required not in ("", "required", "wajib", "yes", "ya"):
            raise ValidationError(_("Line %(line)d: the fourth part must be 'required' or empty.") % {"line": number})
        fields.append({"name": parts[0], "label": parts[1], "type": parts[2] or "text", "required": bool(required)})
    return fields


class TemplateForm(forms.Form):
    jenis = forms.ModelChoiceField(JenisNaskah.objects.all(), label=gettext_lazy("Kind"))
    unit = forms.ModelChoiceField(
        UnitKerja.objects.none(),  # set per form: "current" depends on the day
        required=False,
        label=gettext_lazy("Unit"),
        help_text=gettext_lazy("Empty: the template of the whole pemda. A unit's own template wins for its subtree."),
    )
    nama = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    isi = forms.CharField(
        label=gettext_lazy("Body"),
        widget=forms.Textarea(attrs={**CODE_ATTRS, "rows": 18}),
        help_text=gettext_lazy(
            "HTML with {{ placeholders }}: the fields below and nomor, tanggal, tempat_tanggal, hal, sifat, "
            "lampiran, tujuan (list of {nama, alamat}), tembusan, paragraf (the summary's paragraphs), pengirim. "
            "Allowed tags: if, for, with, firstof, now, spaceless, comment, autoescape."
        ),
    )
    fields_text = forms.CharField(
        label=gettext_lazy("Fields"),
        required=False,
        widget=forms.Textarea(attrs={**CODE_ATTRS, "rows": 5}),
        help_text=gettext_lazy("One per line: name | label | type (text, textarea, date, number) | required"),
    )
    css = forms.CharField(
        label=gettext_lazy("Extra style (CSS)"),
        required=False,
        widget=forms.Textarea(attrs={**CODE_ATTRS, "rows": 4}),
    )
    paper = forms.ChoiceField(label=gettext_lazy("Paper"), choices=[("A4", "A4"), ("F4", "F4 (215 × 330 mm)")])
    aktif = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = UnitKerja.objects.current()

    @classmethod
    def for_template(cls, template, data=None):
        initial = {}
        if template is not None:
            initial = {
                "jenis": template.jenis_id,
                "unit": template.unit_id,
                "nama": template.nama,
                "isi": template.isi,
                "fields_text": fields_to_text(template.fields),
                "css": tata.css_without_paper(template.css),
                "paper": tata.paper_of(template),
                "aktif": template.aktif,
            }
        return cls(data, initial=initial)

    def clean_isi(self):
        body = self.cleaned_data["isi"]
        try:
            tata.validate_body(body)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("isi", exc.messages)) from exc
        return body

    def clean_fields_text(self):
        try:
            return tata.validate_fields(text_to_fields(self.cleaned_data["fields_text"]))
        except ValidationError as exc:
            raise ValidationError(
                exc.message_dict.get("fields", exc.messages) if hasattr(exc, "error_dict") else exc.messages
            ) from exc

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["fields"] = data.pop("fields_text")
        return data


class InstruksiForm(forms.Form):
    teks = forms.CharField(label=gettext_lazy("Instruction"), max_length=200)

    def __init__(self, *args, instance: InstruksiDisposisi | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {"teks": instance.teks})
        super().__init__(*args, **kwargs)
