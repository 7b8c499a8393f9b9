"""Who is a party to a naskah, for the gate: secret naskah are visible to their parties only.

The party index (`PihakNaskah`) is kept by the services; this module only reads it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from terpadu.naskah.models import SIFAT_TERBUKA, PihakNaskah


def my_position_ids(user) -> list[int]:
    """The positions the user's pegawai holds today (definitive, Plt., Plh.), cached for the request."""
    cached = getattr(user, "_terpadu_jabatan_ids", None)
    if cached is None:
        from terpadu.organisasi import services as org

        pegawai = getattr(user, "pegawai", None)
        cached = [jabatan.pk for jabatan, _acting in org.positions_held(pegawai)] if pegawai else []
        user._terpadu_jabatan_ids = cached
    return cached


def parties_filter(user) -> Q:
    """Q on PihakNaskah rows that name this user: their pegawai or a position they hold."""
    pegawai_id = getattr(user, "pegawai_id", None)
    if pegawai_id is None:
        return Q(pk__in=[])
    return Q(pegawai_id=pegawai_id) | Q(jabatan_id__in=my_position_ids(user))


def parties_q(user) -> Q:
    """Q on Naskah: the user is a party to it."""
    return Q(Exists(PihakNaskah.objects.filter(parties_filter(user), naskah=OuterRef("pk"))))


def is_party(user, naskah) -> bool:
    return PihakNaskah.objects.filter(parties_filter(user), naskah=naskah).exists()


def secret_rule_q(user) -> Q:
    """Open naskah pass; secret ones only for their parties."""
    return Q(sifat__in=SIFAT_TERBUKA) | parties_q(user)


def secret_rule_check(user, naskah) -> bool:
    return naskah.sifat in SIFAT_TERBUKA or is_party(user, naskah)
