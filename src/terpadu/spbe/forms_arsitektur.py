"""Forms of the arsitektur part. They only collect input: services_arsitektur validates and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect
from terpadu.organisasi.models import UnitKerja
from terpadu.spbe.models import (
    MODEL_OF_DOMAIN,
    ElemenArsitektur,
    Kebutuhan,
    Muatan,
    PetaRencanaItem,
    ReferensiArsitektur,
)

META_PREFIX = "meta_"


def _units():
    return UnitKerja.objects.current().order_by("path")


class LoadEditionForm(forms.Form):
    tahun = forms.IntegerField(label=_("In force from (year)"), min_value=2000, max_value=2100)
    nama = forms.CharField(label=_("Name"), max_length=200, required=False)


class KodeKotaForm(forms.Form):
    parent = forms.CharField(label=_("Parent code (national level 2 or a city code)"), max_length=40)
    kode = forms.CharField(label=_("Code"), max_length=40, required=False,
                           help_text=_("Parent code + .NN; leave empty for the next free number."))  # fmt: skip
    nama = forms.CharField(label=_("Name"), max_length=300)


class KodeKotaEditForm(forms.Form):
    nama = forms.CharField(label=_("Name"), max_length=300)


class ElemenForm(forms.Form):
    kode = forms.CharField(label=_("Code (SIA-SPBE ID)"), max_length=40)
    nama = forms.CharField(label=_("Name"), max_length=300)
    uraian = forms.CharField(label=_("Description (uraian)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    unit = forms.ModelChoiceField(label=_("Owner OPD"), queryset=UnitKerja.objects.none(), required=False,
                                  widget=LongSelect)  # fmt: skip
    referensi = forms.ModelChoiceField(label=_("Reference code"), queryset=ReferensiArsitektur.objects.none(),
                                       required=False, widget=LongSelect)  # fmt: skip
    status = forms.ChoiceField(
        label=_("State"), choices=[c for c in ElemenArsitektur.Status.choices if c[0] != "dihentikan"]
    )
    kondisi_saat_ini = forms.CharField(label=_("Current state"), widget=forms.Textarea(attrs={"rows": 2}),
                                       required=False)  # fmt: skip
    kondisi_target = forms.CharField(label=_("Target state"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    sasaran = forms.ModelChoiceField(label=_("RPJMD target (sasaran)"), queryset=None, required=False,
                                     widget=LongSelect)  # fmt: skip
    sub_kegiatan = forms.ModelChoiceField(label=_("Sub kegiatan (Renja)"), queryset=None, required=False,
                                          widget=LongSelect)  # fmt: skip
    aplikasi = forms.ModelChoiceField(label=_("Catalogue application"), queryset=None, required=False,
                                      widget=LongSelect)  # fmt: skip

    def __init__(self, *args, domain: str, units=None, **kwargs):
        from terpadu.perencanaan.models import RenjaSubKegiatan, Sasaran
        from terpadu.spbe import services_arsitektur as services
        from terpadu.spbe.models import Aplikasi

        super().__init__(*args, **kwargs)
        self.domain = domain
        self.fields["unit"].queryset = units if units is not None else _units()
        versi = services.current_versi()
        self.fields["referensi"].queryset = ReferensiArsitektur.objects.filter(
            versi=versi, model=MODEL_OF_DOMAIN[domain], aktif=True
        ).order_by("kode")
        self.fields["sasaran"].queryset = Sasaran.objects.order_by("pk")
        self.fields["sub_kegiatan"].queryset = RenjaSubKegiatan.objects.select_related("unit").order_by("-tahun", "pk")
        if domain == "aplikasi":
            self.fields["aplikasi"].queryset = Aplikasi.objects.order_by("nama")
        else:
            del self.fields["aplikasi"]
        self.meta_keys = []
        for spec in services.metadata_fields(domain):
            name = META_PREFIX + spec.key
            self.meta_keys.append((name, spec.key))
            label = spec.label if spec.keyakinan not in ("unconfirmed",) else f"{spec.label} ({_('unconfirmed')})"
            if spec.type == "choice":
                field = forms.ChoiceField(label=label, choices=[("", "—"), *[(c, c) for c in spec.choices]],
                                          required=False)  # fmt: skip
            elif spec.type == "date":
                field = forms.CharField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
            else:
                field = forms.CharField(label=label, required=False, max_length=2000)
            field.help_text = spec.note
            field.widget.is_required = spec.required  # the label shows it; the service enforces it
            self.fields[name] = field

    @classmethod
    def initial_for(cls, elemen: ElemenArsitektur) -> dict:
        initial = {f: getattr(elemen, f) for f in ("kode", "nama", "uraian", "status", "kondisi_saat_ini",
                                                   "kondisi_target")}  # fmt: skip
        initial.update({"unit": elemen.unit_id, "referensi": elemen.referensi_id, "sasaran": elemen.sasaran_id,
                        "sub_kegiatan": elemen.sub_kegiatan_id, "aplikasi": elemen.aplikasi_id})  # fmt: skip
        initial.update({META_PREFIX + k: v for k, v in (elemen.metadata or {}).items()})
        return initial

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith(META_PREFIX)}
        data["domain"] = self.domain
        data["metadata"] = {key: self.cleaned_data.get(name) or "" for name, key in self.meta_keys}
        data["metadata"] = {k: v for k, v in data["metadata"].items() if v}
        return data


class RelasiForm(forms.Form):
    ARAH = [("keluar", _("from this element to …")), ("masuk", _("from … to this element"))]
    arah = forms.ChoiceField(label=_("Direction"), choices=ARAH)
    lain = forms.ModelChoiceField(label=_("Other element"), queryset=ElemenArsitektur.objects.none(),
                                  widget=LongSelect)  # fmt: skip
    keterangan = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, elemen_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if elemen_qs is not None:
            self.fields["lain"].queryset = elemen_qs.order_by("domain", "kode")
            self.fields["lain"].label_from_instance = lambda e: f"[{e.get_domain_display()}] {e.kode} {e.nama}"


class KesenjanganForm(forms.Form):
    uraian = forms.CharField(label=_("Gap"), widget=forms.Textarea(attrs={"rows": 3}))
    kondisi_saat_ini = forms.CharField(label=_("Current state"), widget=forms.Textarea(attrs={"rows": 2}),
                                       required=False)  # fmt: skip
    kondisi_target = forms.CharField(label=_("Target state"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class KebutuhanForm(forms.Form):
    uraian = forms.CharField(label=_("Need"), widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.ModelChoiceField(label=_("Responsible OPD"), queryset=UnitKerja.objects.none(), widget=LongSelect)
    tahun_target = forms.IntegerField(label=_("Target year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()


class RencanaForm(forms.Form):
    muatan = forms.ChoiceField(label=_("Section"), choices=Muatan.choices)
    nama = forms.CharField(label=_("Programme / activity"), max_length=300)
    uraian = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    tahun = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    tahun_selesai = forms.IntegerField(label=_("Until year"), min_value=2000, max_value=2100, required=False)
    unit = forms.ModelChoiceField(label=_("Owner OPD"), queryset=UnitKerja.objects.none(), widget=LongSelect)
    target_keluaran = forms.CharField(label=_("Output target"), max_length=300)
    perkiraan_biaya = forms.DecimalField(label=_("Estimated cost (Rp)"), max_digits=20, decimal_places=2, min_value=0,
                                         required=False)  # fmt: skip
    status = forms.ChoiceField(label=_("Status"), choices=PetaRencanaItem.Status.choices)
    elemen = forms.ModelMultipleChoiceField(label=_("Architecture elements"), queryset=ElemenArsitektur.objects.none(),
                                            required=False, widget=forms.SelectMultiple(attrs={"size": 8}))  # fmt: skip
    kebutuhan = forms.ModelChoiceField(label=_("Need (kebutuhan) it meets"), queryset=Kebutuhan.objects.none(),
                                       required=False, widget=LongSelect)  # fmt: skip

    def __init__(self, *args, units=None, elemen_qs=None, kebutuhan_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else _units()
        if elemen_qs is not None:
            self.fields["elemen"].queryset = elemen_qs.order_by("domain", "kode")
            self.fields["elemen"].label_from_instance = lambda e: f"[{e.get_domain_display()}] {e.kode} {e.nama}"
        if kebutuhan_qs is not None:
            self.fields["kebutuhan"].queryset = kebutuhan_qs
            self.fields["kebutuhan"].label_from_instance = lambda k: f"{k.tahun_target or ''} {k.uraian[:80]}"

    @classmethod
    def initial_for(cls, item: PetaRencanaItem) -> dict:
        initial = {f: getattr(item, f) for f in ("muatan", "nama", "uraian", "tahun", "tahun_selesai",
                                                 "target_keluaran", "perkiraan_biaya", "status")}  # fmt: skip
        initial.update({"unit": item.unit_id, "kebutuhan": item.kebutuhan_id,
                        "elemen": list(item.elemen.values_list("pk", flat=True))})  # fmt: skip
        return initial
