"""Forms of the planning documents. They only shape input; the services validate the planning rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terpadu.core.forms import LongSelect, PickerWidget
from terpadu.organisasi import reference
from terpadu.organisasi.models import Pegawai, UnitKerja
from terpadu.perencanaan.models import Polaritas, Rpjmd, Sasaran, SasaranPd, Tujuan

MONEY = {"max_digits": 20, "decimal_places": 2, "min_value": 0}


def opd_units():
    return UnitKerja.objects.current().filter(jenis__in=reference.opd_kinds()).order_by("path")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.kode} {obj.nama}"


class RpjmdForm(forms.Form):
    nama = forms.CharField(label=_("Name"), max_length=200)
    tahun_awal = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    tahun_akhir = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)
    visi = forms.CharField(label=_("Vision (visi)"), widget=forms.Textarea(attrs={"rows": 3}))
    dasar_hukum = forms.CharField(label=_("Legal basis"), max_length=300, required=False)


class MisiForm(forms.Form):
    nomor = forms.IntegerField(label=_("Number"), min_value=1, max_value=99)
    uraian = forms.CharField(label=_("Mission (misi)"), widget=forms.Textarea(attrs={"rows": 3}))


class KodeUraianForm(forms.Form):
    kode = forms.CharField(label=_("Code"), max_length=20)
    uraian = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))


class TujuanPdForm(KodeUraianForm):
    tujuan_rpjmd = forms.ModelChoiceField(label=_("RPJMD goal served"), queryset=Tujuan.objects.none(), required=False)

    def __init__(self, *args, rpjmd: Rpjmd, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tujuan_rpjmd"].queryset = Tujuan.objects.filter(misi__rpjmd=rpjmd).order_by("kode")


class SasaranPdForm(KodeUraianForm):
    sasaran_rpjmd = forms.ModelChoiceField(label=_("RPJMD target served"), queryset=Sasaran.objects.none())

    def __init__(self, *args, rpjmd: Rpjmd, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sasaran_rpjmd"].queryset = Sasaran.objects.filter(tujuan__misi__rpjmd=rpjmd).order_by("kode")


def _year_fields(form: forms.Form, prefix: str, label: str, years: list[int], initial: dict, money: bool) -> None:
    for tahun in years:
        if money:
            field = forms.DecimalField(label=f"{label} {tahun}", required=False, **MONEY)
        else:
            field = forms.DecimalField(label=f"{label} {tahun}", required=False, max_digits=20, decimal_places=4)
        field.initial = initial.get(tahun)
        form.fields[f"{prefix}_{tahun}"] = field


class IndikatorForm(forms.Form):
    uraian = forms.CharField(label=_("Indicator"), max_length=500)
    satuan = forms.CharField(label=_("Unit of measure"), max_length=60)
    polaritas = forms.ChoiceField(label=_("Polarity"), choices=Polaritas.choices, initial=Polaritas.NAIK)
    baseline = forms.DecimalField(label=_("Baseline"), required=False, max_digits=20, decimal_places=4)
    tahun_baseline = forms.IntegerField(label=_("Baseline year"), required=False, min_value=2000, max_value=2100)
    definisi = forms.CharField(
        label=_("Definition / formula"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, years: list[int], targets: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        _year_fields(self, "target", str(_("Target")), years, targets or {}, money=False)

    def data_and_targets(self) -> tuple[dict, dict]:
        data = {name: self.cleaned_data[name] for name in ("uraian", "satuan", "polaritas", "baseline",
                                                            "tahun_baseline", "definisi")}  # fmt: skip
        targets = {tahun: self.cleaned_data.get(f"target_{tahun}") for tahun in self.years}
        return data, targets


class ProgramPrioritasForm(forms.Form):
    kode = forms.CharField(label=_("Program code"), max_length=24, help_text=_("e.g. 2.16.03"))
    unit = UnitChoiceField(label=_("Responsible OPD"), queryset=UnitKerja.objects.none(), required=False,
                           widget=LongSelect)  # fmt: skip
    pagu_indikatif = forms.DecimalField(label=_("Indicative ceiling (5 years)"), required=False, **MONEY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = opd_units()


class RenstraCreateForm(forms.Form):
    rpjmd = forms.ModelChoiceField(label=_("RPJMD"), queryset=Rpjmd.objects.all())
    unit = UnitChoiceField(label=_("OPD"), queryset=UnitKerja.objects.none(), widget=LongSelect)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RenstraItemForm(forms.Form):
    kode = forms.CharField(label=_("Code"), max_length=24)

    def __init__(self, *args, renstra, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        self.years = renstra.rpjmd.tahun_list
        if parent is None:
            self.fields["kode"].help_text = _("A program code, e.g. 2.16.03")
            self.fields["sasaran_pd"] = forms.ModelChoiceField(
                label=_("OPD target served (sasaran PD)"),
                queryset=SasaranPd.objects.filter(tujuan__renstra=renstra).order_by("kode"),
            )
            self.fields["tahun"] = forms.TypedChoiceField(
                label=_("Nomenklatur edition"), coerce=int, choices=[(t, t) for t in self.years],
                initial=renstra.rpjmd.tahun_awal,
            )  # fmt: skip
        else:
            self.fields["kode"].help_text = _("A code below %(kode)s") % {"kode": parent.nomenklatur.kode}
            self.fields["kode"].initial = parent.nomenklatur.kode + "."
        _year_fields(self, "pagu", str(_("Indicative ceiling")), self.years, {}, money=True)

    def service_data(self) -> dict:
        data = {"kode": self.cleaned_data["kode"], "parent": self.parent}
        if self.parent is None:
            data["sasaran_pd"] = self.cleaned_data["sasaran_pd"]
            data["tahun"] = self.cleaned_data["tahun"]
        data["pagu"] = {t: self.cleaned_data.get(f"pagu_{t}") for t in self.years if self.cleaned_data.get(f"pagu_{t}")
                        is not None}  # fmt: skip
        return data


class PaguForm(forms.Form):
    def __init__(self, *args, years: list[int], initial_values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        _year_fields(self, "pagu", str(_("Indicative ceiling")), years, initial_values, money=True)

    def pagu(self) -> dict:
        return {t: self.cleaned_data.get(f"pagu_{t}") for t in self.years}


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class RenjaDrawForm(forms.Form):
    unit = UnitChoiceField(label=_("OPD"), queryset=UnitKerja.objects.none(), widget=LongSelect)
    tahun = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SubKegiatanForm(forms.Form):
    pagu_indikatif = forms.DecimalField(label=_("Indicative ceiling"), required=False, **MONEY)
    prakiraan_maju = forms.DecimalField(label=_("Forward estimate (next year)"), required=False, **MONEY)
    lokasi = forms.CharField(label=_("Location"), max_length=300, required=False)
    sumber_dana = forms.CharField(label=_("Source of funds"), max_length=60, required=False)
    pptk = forms.ModelChoiceField(
        label=_("PPTK (technical officer)"), queryset=Pegawai.objects.all(), required=False,
        widget=PickerWidget("pegawai"),
    )  # fmt: skip


class SubKegiatanAddForm(SubKegiatanForm):
    kode = forms.CharField(label=_("Sub kegiatan code"), max_length=24, help_text=_("e.g. 2.16.03.2.02.0023"))
    alasan = forms.CharField(
        label=_("Why outside the Renstra"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    field_order = ["kode", "alasan"]
