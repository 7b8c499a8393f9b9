"""Evidence the arsitektur part proposes for the evaluation (registered in register_arsitektur): the architecture
elements per domain with their links and complete chains (SPBE 2020 #1, #11; PEMDI 2026 #1, #15) and the Peta
Rencana items per section and year with their links to the architecture (SPBE 2020 #2, #12)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _


def _proposal(*args):
    from terpadu.spbe.services_evaluasi import Proposal

    return Proposal(*args)


CHAIN = ("layanan", "proses_bisnis", "data", "aplikasi", "infrastruktur")


def complete_chains() -> int:
    """Layanan elements in use from which a path of links reaches layanan → proses bisnis → data → aplikasi →
    infrastruktur (every step an element in use)."""
    from terpadu.spbe.models import ElemenArsitektur, RelasiElemen

    live = ElemenArsitektur.objects.exclude(status=ElemenArsitektur.Status.DIHENTIKAN)
    edges: dict[int, set[int]] = {}
    domain_of = dict(live.values_list("pk", "domain"))
    for dari, ke in RelasiElemen.objects.values_list("dari_id", "ke_id"):
        if dari in domain_of and ke in domain_of:
            edges.setdefault(dari, set()).add(ke)

    def reaches(node: int, step: int) -> bool:
        if step == len(CHAIN) - 1:
            return True
        return any(domain_of[n] == CHAIN[step + 1] and reaches(n, step + 1) for n in edges.get(node, ()))

    return sum(1 for pk, domain in domain_of.items() if domain == CHAIN[0] and reaches(pk, 0))


def elemen_dan_relasi(penilaian, indikator) -> list:
    from terpadu.spbe.models import Domain, ElemenArsitektur, RelasiElemen

    live = ElemenArsitektur.objects.exclude(status=ElemenArsitektur.Status.DIHENTIKAN)
    per_domain = {r["domain"]: r for r in live.values("domain").annotate(
        n=Count("pk", distinct=True), opd=Count("unit", distinct=True),
        target=Count("pk", filter=~Q(kondisi_target=""), distinct=True),
        gaps=Count("kesenjangan", distinct=True))}  # fmt: skip
    if not per_domain:
        return []
    links = RelasiElemen.objects.values("dari__domain", "ke__domain").annotate(n=Count("pk"))
    link_count = {(r["dari__domain"], r["ke__domain"]): r["n"] for r in links}
    cross_unit = (
        RelasiElemen.objects.exclude(dari__unit=None).exclude(ke__unit=None).exclude(dari__unit=F("ke__unit")).count()
    )
    rows = []
    for domain in Domain:
        row = per_domain.get(domain.value, {})
        rows.append({
            _("domain"): str(domain.label), _("elements in use"): row.get("n", 0), _("OPD"): row.get("opd", 0),
            _("with a target state"): row.get("target", 0), _("gaps recorded"): row.get("gaps", 0),
            _("links out"): sum(n for (d, _k), n in link_count.items() if d == domain.value),
            _("links in"): sum(n for (_d, k), n in link_count.items() if k == domain.value),
        })  # fmt: skip
    chains = complete_chains()
    total = sum(r.get("n", 0) for r in per_domain.values())
    return [_proposal(
        _("Arsitektur SPBE: %(n)s elements in use in %(d)s domains, %(l)s links, %(c)s complete service chains, "
          "%(x)s links across OPDs") % {"n": total, "d": len(per_domain), "l": sum(link_count.values()),
                                         "c": chains, "x": cross_unit},
        _("A complete chain runs layanan → proses bisnis → data → aplikasi → infrastruktur through links between "
          "elements in use. Counted from the architecture registry on the day of the proposal."),
        rows,
    )]  # fmt: skip


def rencana_per_muatan(penilaian, indikator) -> list:
    from terpadu.spbe.models import Muatan, PetaRencanaItem
    from terpadu.spbe.services_arsitektur import flagged_rencana

    items = PetaRencanaItem.objects.all()
    data = list(items.values("muatan", "tahun").annotate(
        n=Count("pk"), biaya=Sum("perkiraan_biaya"), selesai=Count("pk", filter=Q(status="selesai"))
    ).order_by("tahun", "muatan"))  # fmt: skip
    if not data:
        return []
    linked = {(r["muatan"], r["tahun"]): r["n"] for r in items.filter(elemen__isnull=False).values(
        "muatan", "tahun").annotate(n=Count("pk", distinct=True))}  # fmt: skip
    for r in data:
        r["linked"] = linked.get((r["muatan"], r["tahun"]), 0)
    labels = dict(Muatan.choices)
    rows = [{_("year"): r["tahun"], _("section"): str(labels.get(r["muatan"], r["muatan"])), _("items"): r["n"],
             _("linked to the architecture"): r["linked"], _("done"): r["selesai"],
             _("estimated cost"): r["biaya"] or Decimal("0")} for r in data]  # fmt: skip
    years = sorted({r["tahun"] for r in data})
    sections = {r["muatan"] for r in data}
    flagged = flagged_rencana(items).count()
    return [_proposal(
        _("Peta Rencana SPBE %(a)s–%(b)s: %(n)s items in %(m)s of the 7 sections, %(f)s flagged")
        % {"a": years[0], "b": years[-1], "n": items.count(), "m": len(sections), "f": flagged},
        _("Items per section and year with their estimated cost and links to architecture elements; flagged items "
          "are linked to a retired element or reference code."),
        rows,
    )]  # fmt: skip
