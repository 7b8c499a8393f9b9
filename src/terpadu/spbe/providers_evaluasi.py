"""Evidence providers of the evaluasi part: proposals from the governance data itself (architecture, Peta Rencana,
application catalogue) and, as an example outside spbe, signed naskah for the kearsipan indicator.

Registered from register_evaluasi.register(); the other parts (and later modules) register their own through
services_evaluasi.register_evidence_provider."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from terpadu.spbe.services_evaluasi import Proposal


def arsitektur(penilaian, indikator) -> list[Proposal]:
    """Architecture elements per domain (current / target / retired)."""
    from terpadu.spbe.models import Domain, ElemenArsitektur

    counts = {
        (r["domain"], r["status"]): r["n"]
        for r in ElemenArsitektur.objects.values("domain", "status").annotate(n=Count("pk"))
    }
    if not counts:
        return []
    rows = []
    for domain in Domain:
        row = {"domain": str(domain.label)}
        for status in ElemenArsitektur.Status:
            row[str(status.label)] = counts.get((domain.value, status.value), 0)
        row[_("total")] = sum(counts.get((domain.value, s.value), 0) for s in ElemenArsitektur.Status)
        rows.append(row)
    total = sum(counts.values())
    return [
        Proposal(
            _("Arsitektur SPBE: %(n)s elements in the city's architecture, per domain") % {"n": total},
            _("Counted from the architecture registry on the day of the proposal."),
            rows,
        )
    ]


def peta_rencana(penilaian, indikator) -> list[Proposal]:
    """Peta Rencana items per section and year, with their estimated cost."""
    from terpadu.spbe.models import Muatan, PetaRencanaItem

    data = (
        PetaRencanaItem.objects.values("tahun", "muatan")
        .annotate(n=Count("pk"), biaya=Sum("perkiraan_biaya"), selesai=Count("pk", filter=Q(status="selesai")))
        .order_by("tahun", "muatan")
    )
    labels = dict(Muatan.choices)
    rows = [
        {
            _("year"): r["tahun"],
            _("section"): str(labels.get(r["muatan"], r["muatan"])),
            _("items"): r["n"],
            _("done"): r["selesai"],
            _("estimated cost"): r["biaya"],
        }
        for r in data
    ]
    if not rows:
        return []
    years = sorted({r["tahun"] for r in data})
    return [
        Proposal(
            _("Peta Rencana SPBE %(a)s–%(b)s: %(n)s items in %(m)s sections")
            % {"a": years[0], "b": years[-1], "n": sum(r["n"] for r in data), "m": len({r["muatan"] for r in data})},
            _("Items per section and year from the roadmap registry."),
            rows,
        )
    ]


def naskah_elektronik(penilaian, indikator) -> list[Proposal]:
    """Naskah dinas signed electronically in the assessment year, per kind.

    Belongs to the naskah module: move it to naskah's own registration once that module registers providers."""
    from terpadu.naskah.models import Naskah

    signed = Naskah.objects.filter(
        status__in=[Naskah.Status.DITANDATANGANI, Naskah.Status.TERKIRIM], ditandatangani__year=penilaian.tahun
    )
    data = list(signed.values("jenis__nama").annotate(n=Count("pk")).order_by("-n", "jenis__nama"))
    if not data:
        return []
    total = sum(r["n"] for r in data)
    return [
        Proposal(
            _("%(n)s naskah dinas signed electronically in %(t)s") % {"n": total, "t": penilaian.tahun},
            _("Signed with TTE through the naskah module (status signed or sent), per kind of naskah."),
            [{_("kind of naskah"): r["jenis__nama"], _("signed electronically"): r["n"]} for r in data],
        )
    ]


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from terpadu.spbe.services_evaluasi import register_evidence_provider

    register_evidence_provider(
        "spbe.arsitektur", _("Architecture registry"), {"SPBE_2020": [1, 11], "PEMDI_2026": [1]}, arsitektur
    )
    register_evidence_provider("spbe.peta_rencana", _("Peta Rencana"), {"SPBE_2020": [2, 12]}, peta_rencana)
    # The catalogue's own provider ("spbe.katalog.ringkasan") is registered by the katalog part.
    # Belongs to the naskah module later (it will register it from its own apps.py); kept here as the example.
    register_evidence_provider("naskah.tte", _("Naskah signed electronically"), {"SPBE_2020": [37]}, naskah_elektronik)
