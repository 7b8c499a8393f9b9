"""Numbering of naskah (penomoran): formats per unit and jenis, counters, reserved and inserted numbers.

A number is taken at the moment of signing, inside the signing transaction (`allocate`): the counter row
(`UrutanNomor`) is locked, incremented and the number formatted. If that transaction rolls back (the
signature failed) the increment rolls back with it, so no number is lost: no duplicates, no gaps.
Numbers taken outside signing are explicit `NomorCadangan` rows — reserved (taken from the sequence now,
used later) or inserted (sisipan, 45a, 45b …) — and every one of them is audited, as is every use.

Sequences are per unit (the naskah's unit) and year, and per jenis when the applicable format says
`urut_per_jenis`. Incoming letters take agenda numbers from their own sequence (lingkup "agenda").
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.core import audit
from terpadu.naskah.models import FormatNomor, Naskah, NomorCadangan, UrutanNomor

DATA_FILE = Path(__file__).resolve().parent / "data" / "penomoran.json"
LINGKUP_UNIT = ""  # one sequence for every jenis of the unit
LINGKUP_AGENDA = "agenda"  # agenda numbers of incoming letters
TOKEN = re.compile(r"\{([^{}]*)\}")
ROMAWI = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
MAX_SISIPAN = len(string.ascii_lowercase)  # 45a … 45z


@cache
def reference() -> dict:
    """naskah/data/penomoran.json: the built-in pattern, the allowed tokens, the security codes."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def allowed_tokens() -> dict[str, str]:
    return reference()["token"]


def kode_keamanan(sifat: str) -> str:
    return reference()["kode_keamanan"].get(sifat, "")


@dataclass(frozen=True)
class Nomor:
    text: str
    urut: int
    tahun: int
    lingkup: str
    sisipan: str = ""


# -- formats ------------------------------------------------------------------------------------------


def validate_pola(pola: str) -> None:
    """A pattern must contain {urut} and only known tokens; braces must pair up."""
    pola = pola or ""
    if not pola.strip():
        raise ValidationError(_("The number pattern is empty."), code="empty")
    tokens = TOKEN.findall(pola)
    leftover = TOKEN.sub("", pola)
    if "{" in leftover or "}" in leftover:
        raise ValidationError(_("The number pattern has an unpaired brace { or }."), code="braces")
    unknown = sorted({token for token in tokens if token not in allowed_tokens()})
    if unknown:
        raise ValidationError(
            _("Unknown token(s) in the number pattern: %(unknown)s. Allowed: %(allowed)s.")
            % {
                "unknown": ", ".join(f"{{{t}}}" for t in unknown),
                "allowed": ", ".join(f"{{{t}}}" for t in allowed_tokens()),
            },
            code="unknown_token",
        )
    if "urut" not in tokens:
        raise ValidationError(
            _("The number pattern must contain {urut}, the running number; without it numbers would repeat."),
            code="no_urut",
        )


def format_for(unit, jenis) -> FormatNomor:
    """The format that applies: the unit's own for this jenis, else its own for every jenis, else the
    nearest ancestor's (same order), else the pemda default (unit empty), else the built-in pattern.
    The built-in one is an unsaved FormatNomor (pk None)."""
    chain = _unit_chain(unit)
    jenis_id = getattr(jenis, "pk", jenis)
    depth = {unit_id: position for position, unit_id in enumerate(chain)}
    # A plain statement: read at every signing, where building the ORM query cost more than running it.
    in_chain = f"unit_id IN ({', '.join(['%s'] * len(chain))}) OR " if chain else ""
    candidates = FormatNomor.objects.raw(
        f"SELECT * FROM naskah_formatnomor WHERE ({in_chain}unit_id IS NULL) AND (jenis_id = %s OR jenis_id IS NULL)",  # noqa: S608 (placeholders only)
        [*chain, jenis_id],
    )

    def rank(fmt):
        level = len(chain) if fmt.unit_id is None else depth[fmt.unit_id]
        return (level, fmt.jenis_id is None)

    found = sorted(candidates, key=rank)
    return found[0] if found else FormatNomor(pola=reference()["pola_bawaan"]["value"])


def _unit_chain(unit) -> list[int]:
    """The unit and its ancestors, nearest first (ids): read from the unit's materialised path (one id per
    level, kept by the organisation services, the same path the gate scopes by), without a query per level;
    walking the parents only when the path does not end with the unit itself (e.g. not saved through them)."""
    parts = [part for part in (unit.path or "").split(".") if part] if unit is not None else []
    if parts and all(part.isdigit() for part in parts) and int(parts[-1]) == unit.pk:
        return [int(part) for part in reversed(parts)]
    chain = []
    while unit is not None:
        chain.append(unit.pk)
        unit = unit.parent
    return chain


def lingkup_for(fmt: FormatNomor, jenis) -> str:
    return jenis.kode if fmt.urut_per_jenis and jenis is not None else LINGKUP_UNIT


def render(fmt: FormatNomor, *, urut: int, sisipan: str = "", tahun: int, naskah=None, unit=None, jenis=None) -> str:
    """The number's text. Values come from plain data; tokens are replaced one by one (no str.format)."""
    return _render(fmt, str(urut).zfill(fmt.digit or 0), sisipan, tahun, naskah, unit, jenis)


def _render(fmt: FormatNomor, number: str, sisipan: str, tahun: int, naskah, unit, jenis) -> str:
    unit = unit or (naskah.unit if naskah else None)
    jenis = jenis or (naskah.jenis if naskah else None)
    tanggal = (naskah.tanggal if naskah else None) or timezone.localdate()
    has_sisipan_token = "{sisipan}" in fmt.pola
    values = {
        "urut": number if has_sisipan_token else f"{number}{sisipan}",
        "sisipan": sisipan,
        "klasifikasi": naskah.klasifikasi.kode if naskah is not None and naskah.klasifikasi_id else "",
        "kode_unit": unit.kode if unit else "",
        "tahun": str(tahun),
        "bulan": f"{tanggal.month:02d}",
        "bulan_romawi": ROMAWI[tanggal.month - 1],
        "jenis": (jenis.singkatan or jenis.kode.upper()) if jenis else "",
        "kode_keamanan": kode_keamanan(naskah.sifat) if naskah is not None else "",
    }
    return TOKEN.sub(lambda match: values.get(match.group(1), match.group(0)), fmt.pola)


def next_urut(unit, lingkup: str, tahun: int) -> int:
    """The number the sequence would give next (not taken: someone else may take it first)."""
    last = (
        UrutanNomor.objects.filter(unit=unit, lingkup=lingkup, tahun=tahun).values_list("terakhir", flat=True).first()
    )
    return (last or 0) + 1


def preview(unit, jenis, tahun: int, naskah=None) -> str:
    """The next number of the unit's sequence for `jenis`, formatted, without taking it."""
    fmt = format_for(unit, jenis)
    urut = next_urut(unit, lingkup_for(fmt, jenis), tahun)
    return render(fmt, urut=urut, tahun=tahun, naskah=naskah, unit=unit, jenis=jenis)


# -- counters -----------------------------------------------------------------------------------------


def _require_atomic() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "numbers are taken inside the caller's transaction.atomic(), so a rollback gives them back"
        )


def _lock_audit_head() -> None:
    """Lock order: the audit chain's head first, then the counter. Every numbering transaction audits, and a
    caller may audit before numbering (e.g. the signature); taking the head first means two signers never
    hold one lock each while waiting for the other's (a deadlock), at no cost: auditing serialises anyway."""
    audit._locked_head()


def _create_counter(unit, lingkup: str, tahun: int) -> None:
    """Race-free first use: INSERT … ON CONFLICT DO NOTHING under the unique constraint."""
    UrutanNomor.objects.bulk_create(
        [UrutanNomor(unit=unit, lingkup=lingkup, tahun=tahun, terakhir=0)], ignore_conflicts=True
    )


def _locked_counter(unit, lingkup: str, tahun: int) -> UrutanNomor:
    """The counter row, locked (SELECT … FOR UPDATE) until the transaction ends; created on first use."""
    _require_atomic()
    _lock_audit_head()
    counters = UrutanNomor.objects.select_for_update()
    counter = counters.filter(unit=unit, lingkup=lingkup, tahun=tahun).first()
    if counter is None:
        _create_counter(unit, lingkup, tahun)
        counter = counters.get(unit=unit, lingkup=lingkup, tahun=tahun)
    return counter


TAKE_NEXT_SQL = (
    "UPDATE naskah_urutannomor SET terakhir = terakhir + 1 "
    "WHERE unit_id = %s AND lingkup = %s AND tahun = %s RETURNING id, terakhir"
)


def _take_next(unit, lingkup: str, tahun: int) -> tuple[int, int]:
    """(counter id, the number taken): increments the counter and keeps its row locked until the transaction
    ends. One UPDATE … RETURNING takes the same row lock as SELECT … FOR UPDATE, one round trip fewer: the
    lock is held through the commit, so every statement inside it counts for the allocations per second."""
    _require_atomic()
    _lock_audit_head()
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(TAKE_NEXT_SQL, [unit.pk, lingkup, tahun])
            row = cursor.fetchone()
        if row is not None:
            return row[0], row[1]
        _create_counter(unit, lingkup, tahun)
    raise RuntimeError("the number counter could not be created")


def allocate(naskah: Naskah, *, tahun: int) -> Nomor:
    """Give `naskah` its number, inside the caller's transaction (signing). Uses the reserved or inserted
    number assigned to it, if any; else takes the next number of its sequence. Writes nomor, nomor_urut
    and nomor_tahun on the naskah and audits the use."""
    _require_atomic()
    fmt = format_for(naskah.unit, naskah.jenis)
    cadangan = _reserved_for(naskah)
    if cadangan is not None:
        urutan = cadangan.urutan
        nomor = Nomor(
            render(fmt, urut=cadangan.urut, sisipan=cadangan.sisipan, tahun=urutan.tahun, naskah=naskah),
            cadangan.urut,
            urutan.tahun,
            urutan.lingkup,
            cadangan.sisipan,
        )
        cadangan.status = NomorCadangan.Status.DIPAKAI
        cadangan.save(update_fields=["status"])
    before = naskah.nomor
    if cadangan is None and connection.vendor == "postgresql":
        nomor = _take_next_and_write(naskah, fmt, tahun)
    else:
        if cadangan is None:
            lingkup = lingkup_for(fmt, naskah.jenis)
            _counter_id, urut = _take_next(naskah.unit, lingkup, tahun)
            nomor = Nomor(render(fmt, urut=urut, tahun=tahun, naskah=naskah), urut, tahun, lingkup)
        naskah.nomor, naskah.nomor_urut, naskah.nomor_tahun = nomor.text, nomor.urut, nomor.tahun
        naskah.save(update_fields=["nomor", "nomor_urut", "nomor_tahun", "diubah"])
    changes = {"nomor": [before, nomor.text], "lingkup": nomor.lingkup, "cadangan": cadangan.pk if cadangan else None}
    audit.record(naskah, "naskah.nomor", changes)
    return nomor


RESERVED_SQL = "SELECT id FROM naskah_nomorcadangan WHERE naskah_id = %s AND status = %s ORDER BY id LIMIT 1 FOR UPDATE"


def _reserved_for(naskah: Naskah) -> NomorCadangan | None:
    """The reserved or inserted number assigned to `naskah`, locked; one plain statement, since nearly every
    signing has none (the ORM's query cost more to build than to run)."""
    sql = RESERVED_SQL if connection.features.has_select_for_update else RESERVED_SQL.removesuffix(" FOR UPDATE")
    with connection.cursor() as cursor:  # SQLite locks the whole database for the write transaction anyway
        cursor.execute(sql, [naskah.pk, NomorCadangan.Status.TERSEDIA])
        row = cursor.fetchone()
    return NomorCadangan.objects.select_related("urutan").get(pk=row[0]) if row else None


URUT_MARK = "\x1eurut\x1e"  # stands for the running number in a rendered pattern until the database knows it

# Lock the audit chain's head (first: the lock order of every numbering transaction), take the next number of
# the sequence and write it, formatted, on the naskah — one statement. The counter's UPDATE joins the locked
# head, so its row is locked only after the head's (whatever the plan). Without a counter row (first use of a
# sequence) the head is still locked and returned, the counter columns are NULL.
TAKE_AND_WRITE_SQL = f"""
    WITH head AS ({audit.HEAD_LOCK_SQL}
    ), counter AS (
        UPDATE naskah_urutannomor SET terakhir = terakhir + 1 FROM head
        WHERE unit_id = %(unit)s AND lingkup = %(lingkup)s AND tahun = %(tahun)s
        RETURNING naskah_urutannomor.id, naskah_urutannomor.terakhir
    ), numbered AS (
        UPDATE naskah_naskah SET
            nomor = replace(%(pattern)s, %(mark)s, lpad(counter.terakhir::text,
                greatest(%(digit)s, length(counter.terakhir::text)), '0')),
            nomor_urut = counter.terakhir, nomor_tahun = %(tahun)s, diubah = %(diubah)s
        FROM counter WHERE naskah_naskah.id = %(naskah)s RETURNING naskah_naskah.nomor
    )
    SELECT head.seq, head.hash, counter.id, counter.terakhir, (SELECT nomor FROM numbered)
    FROM head LEFT JOIN counter ON TRUE
"""  # noqa: S608 (constant SQL)


def _take_next_and_write(naskah: Naskah, fmt: FormatNomor, tahun: int) -> Nomor:
    """PostgreSQL: `_lock_audit_head`, `_take_next` and `naskah.save()` of the number in one statement (one
    round trip instead of three; the head stays locked from the first until the commit, so each one counts for
    the allocations per second). The database formats the number from the pattern rendered here (`str.zfill`
    is `lpad` to at least `digit`); the text is checked against `render`. A pattern whose values contain the
    mark falls back to the separate statements."""
    _require_atomic()
    lingkup = lingkup_for(fmt, naskah.jenis)
    pattern = _render(fmt, URUT_MARK, "", tahun, naskah, None, None)
    if pattern.count(URUT_MARK) != fmt.pola.count("{urut}"):
        _counter_id, urut = _take_next(naskah.unit, lingkup, tahun)
        nomor = Nomor(render(fmt, urut=urut, tahun=tahun, naskah=naskah), urut, tahun, lingkup)
        naskah.nomor, naskah.nomor_urut, naskah.nomor_tahun = nomor.text, nomor.urut, nomor.tahun
        naskah.save(update_fields=["nomor", "nomor_urut", "nomor_tahun", "diubah"])
        return nomor
    diubah = timezone.now()
    params = {
        "unit": naskah.unit_id,
        "lingkup": lingkup,
        "tahun": tahun,
        "pattern": pattern,
        "mark": URUT_MARK,
        "digit": fmt.digit or 0,
        "diubah": diubah,
        "naskah": naskah.pk,
    }
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(TAKE_AND_WRITE_SQL, params)
            row = cursor.fetchone()
        if row is None:  # no chain head yet (a new database): create it, locked
            _lock_audit_head()
        elif row[2] is None:  # the head is locked; the sequence's counter does not exist yet
            _create_counter(naskah.unit, lingkup, tahun)
        else:
            break
    else:
        raise RuntimeError("the number counter could not be created")
    head_seq, head_hash, _counter_id, urut, text = row
    audit.note_locked_head(head_seq, head_hash)
    if text is None:
        raise DatabaseError(f"naskah {naskah.pk} was not found to be numbered")
    nomor = Nomor(render(fmt, urut=urut, tahun=tahun, naskah=naskah), urut, tahun, lingkup)
    if text != nomor.text:
        raise RuntimeError(f"the database formatted number {text!r} differs from {nomor.text!r}")
    naskah.nomor, naskah.nomor_urut, naskah.nomor_tahun, naskah.diubah = nomor.text, urut, tahun, diubah
    return nomor


def next_agenda(unit, tahun: int) -> int:
    """The next agenda number of the unit's incoming letters (inside the registering transaction)."""
    _counter_id, urut = _take_next(unit, LINGKUP_AGENDA, tahun)
    return urut


# -- reserved and inserted numbers ---------------------------------------------------------------------


def _sequence(unit, jenis, tahun: int) -> UrutanNomor:
    return _locked_counter(unit, lingkup_for(format_for(unit, jenis), jenis), tahun)


def _check_reason(alasan: str) -> str:
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": _("Give the reason (it is kept in the audit trail).")})
    return alasan[:255]


def reserve(unit, jenis, tahun: int, alasan: str, user) -> NomorCadangan:
    """Take the next number of the sequence now, for a naskah to be signed later."""
    alasan = _check_reason(alasan)
    with transaction.atomic():
        counter_id, urut = _take_next(unit, lingkup_for(format_for(unit, jenis), jenis), tahun)
        cadangan = NomorCadangan.objects.create(
            urutan_id=counter_id, jenis=NomorCadangan.Jenis.CADANGAN, urut=urut, alasan=alasan, dibuat_oleh=_user(user)
        )
        audit.record(cadangan, "nomor.reserve", _describe(cadangan, unit))
    return cadangan


def insert_sisipan(unit, jenis, tahun: int, after_urut: int, alasan: str, user) -> NomorCadangan:
    """Insert a number after one already given: 45 → 45a, then 45b … (the sequence does not move)."""
    alasan = _check_reason(alasan)
    with transaction.atomic():
        counter = _sequence(unit, jenis, tahun)
        if not after_urut or after_urut < 1 or after_urut > counter.terakhir:
            raise ValidationError(
                {
                    "after_urut": _("A number can only be inserted after one already given (1 to %(last)s).")
                    % {"last": counter.terakhir}
                }
            )
        taken = set(counter.cadangan.filter(urut=after_urut).exclude(sisipan="").values_list("sisipan", flat=True))
        free = [letter for letter in string.ascii_lowercase if letter not in taken]
        if not free:
            raise ValidationError(
                {"after_urut": _("No insert suffix is left after %(n)s (a–z used).") % {"n": after_urut}}
            )
        cadangan = NomorCadangan.objects.create(
            urutan=counter,
            jenis=NomorCadangan.Jenis.SISIPAN,
            urut=after_urut,
            sisipan=free[0],
            alasan=alasan,
            dibuat_oleh=_user(user),
        )
        audit.record(cadangan, "nomor.insert", _describe(cadangan, unit))
    return cadangan


def void(cadangan: NomorCadangan, alasan: str, user) -> NomorCadangan:
    """Void a reserved or inserted number that was not used; it stays in the gap report as voided."""
    alasan = _check_reason(alasan)
    with transaction.atomic():
        cadangan = NomorCadangan.objects.select_for_update().get(pk=cadangan.pk)
        if cadangan.status != NomorCadangan.Status.TERSEDIA:
            raise ValidationError(
                _("Only an unused number can be voided (this one is %(status)s).")
                % {"status": cadangan.get_status_display()}
            )
        before = {"status": cadangan.status, "naskah": cadangan.naskah_id}
        cadangan.status, cadangan.naskah = NomorCadangan.Status.DIBATALKAN, None
        cadangan.save(update_fields=["status", "naskah"])
        audit.record(cadangan, "nomor.void", {**_describe(cadangan), "before": before, "alasan_batal": alasan})
    return cadangan


def assign_reserved(naskah: Naskah, cadangan: NomorCadangan, user) -> NomorCadangan:
    """Earmark an available reserved/inserted number for `naskah`; `allocate` uses it at signing."""
    with transaction.atomic():
        cadangan = NomorCadangan.objects.select_for_update().select_related("urutan").get(pk=cadangan.pk)
        if cadangan.status != NomorCadangan.Status.TERSEDIA:
            raise ValidationError(_("This number is no longer available."))
        if cadangan.naskah_id and cadangan.naskah_id != naskah.pk:
            raise ValidationError(_("This number is already earmarked for another naskah."))
        if naskah.nomor_urut is not None and naskah.nomor:
            raise ValidationError(_("This naskah already has a number."))
        urutan = cadangan.urutan
        expected = lingkup_for(format_for(naskah.unit, naskah.jenis), naskah.jenis)
        if urutan.unit_id != naskah.unit_id or urutan.lingkup != expected:
            raise ValidationError(_("This number belongs to another sequence than the naskah's."))
        NomorCadangan.objects.filter(naskah=naskah, status=NomorCadangan.Status.TERSEDIA).exclude(
            pk=cadangan.pk
        ).update(naskah=None)
        cadangan.naskah = naskah
        cadangan.save(update_fields=["naskah"])
        audit.record(cadangan, "nomor.assign", {**_describe(cadangan), "naskah": naskah.pk})
    return cadangan


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _describe(cadangan: NomorCadangan, unit=None) -> dict:
    urutan = cadangan.urutan
    return {
        "unit": urutan.unit_id,
        "lingkup": urutan.lingkup,
        "tahun": urutan.tahun,
        "urut": cadangan.urut,
        "sisipan": cadangan.sisipan,
        "jenis": cadangan.jenis,
        "alasan": cadangan.alasan,
    }


# -- the auditors' view ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GapRow:
    lingkup: str
    urut: int
    sisipan: str
    status: str  # "given", "reserved", "inserted", "voided", "missing"
    nomor: str = ""
    naskah_id: int | None = None
    alasan: str = ""
    cadangan_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.urut}{self.sisipan}"


def gap_report(unit, tahun: int) -> list[GapRow]:
    """Every number of the unit's outgoing sequences in `tahun`: given (with its naskah), reserved,
    inserted, voided — and missing, a number counted but found nowhere (should never happen)."""
    counters = list(UrutanNomor.objects.filter(unit=unit, tahun=tahun).exclude(lingkup=LINGKUP_AGENDA))
    per_jenis = {c.lingkup for c in counters if c.lingkup}
    rows: list[GapRow] = []
    for counter in sorted(counters, key=lambda c: c.lingkup):
        rows.extend(_counter_rows(counter, per_jenis, tahun))
    return rows


def _counter_rows(counter: UrutanNomor, per_jenis: set[str], tahun: int) -> list[GapRow]:
    cadangan = list(counter.cadangan.select_related("naskah"))
    through_cadangan = {c.naskah_id for c in cadangan if c.naskah_id}
    given = Naskah.objects.filter(
        unit_id=counter.unit_id, arah=Naskah.Arah.KELUAR, nomor_tahun=tahun, nomor_urut__isnull=False
    ).exclude(pk__in=through_cadangan)
    given = given.filter(jenis__kode=counter.lingkup) if counter.lingkup else given.exclude(jenis__kode__in=per_jenis)
    by_urut = {}
    for pk, urut, nomor in given.values_list("pk", "nomor_urut", "nomor").order_by("nomor_urut", "pk"):
        by_urut.setdefault(urut, (pk, nomor))
    rows = [_cadangan_row(counter.lingkup, c) for c in cadangan]
    reserved_urut = {c.urut for c in cadangan if c.jenis == NomorCadangan.Jenis.CADANGAN}
    for urut in range(1, counter.terakhir + 1):
        if urut in by_urut:
            pk, nomor = by_urut[urut]
            rows.append(GapRow(counter.lingkup, urut, "", "given", nomor, pk))
        elif urut not in reserved_urut:
            rows.append(GapRow(counter.lingkup, urut, "", "missing"))
    return sorted(rows, key=lambda row: (row.urut, row.sisipan))


def _cadangan_row(lingkup: str, cadangan: NomorCadangan) -> GapRow:
    if cadangan.status == NomorCadangan.Status.DIBATALKAN:
        status = "voided"
    elif cadangan.status == NomorCadangan.Status.DIPAKAI:
        status = "given"
    else:
        status = "inserted" if cadangan.jenis == NomorCadangan.Jenis.SISIPAN else "reserved"
    nomor = cadangan.naskah.nomor if cadangan.naskah_id and status == "given" else ""
    return GapRow(
        lingkup, cadangan.urut, cadangan.sisipan, status, nomor, cadangan.naskah_id, cadangan.alasan, cadangan.pk
    )


# -- format configuration (naskah.configure) -----------------------------------------------------------

FORMAT_FIELDS = ("unit", "jenis", "pola", "urut_per_jenis", "digit")


def save_format(instance: FormatNomor | None, data: dict) -> FormatNomor:
    """Create or change a number format; the pattern is validated, the change audited."""
    validate_pola(data.get("pola", ""))
    with transaction.atomic():
        fmt = instance or FormatNomor()
        before = audit.snapshot(fmt) if fmt.pk else None
        for name in FORMAT_FIELDS:
            if name in data:
                setattr(fmt, name, data[name])
        clash = FormatNomor.objects.filter(unit=fmt.unit, jenis=fmt.jenis).exclude(pk=fmt.pk)
        if clash.exists():  # the unique constraint does not catch two NULLs (the pemda default)
            raise ValidationError({"jenis": _("This unit already has a format for this kind.")})
        fmt.save()
        audit.record(
            fmt, "nomor.format_change" if before else "nomor.format_create", audit.diff(before, audit.snapshot(fmt))
        )
    return fmt
