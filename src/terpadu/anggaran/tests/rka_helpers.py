"""Shared helpers of the rka tests: roles for personas, a round being drafted on top of the chain fixture."""

from __future__ import annotations

from decimal import Decimal


def give_role(user, code: str, unit=None):
    from terpadu.accounts import services as access
    from terpadu.accounts.models import Role
    from terpadu.core import authz
    from terpadu.core.context import acting

    with acting(None, via="command"):
        access.assign_role(user, Role.objects.get(code=code), unit)
    authz.forget(user)
    return user


def make_ssh(tahun, kode, harga, rekening, satuan="rim", uraian="Kertas HVS A4"):
    from terpadu.anggaran.models import StandarHarga

    item = StandarHarga.objects.create(tahun=tahun, kode=kode, uraian=uraian, satuan=satuan, harga=Decimal(harga))
    item.rekening.set(rekening)
    return item


def open_round(chain, jenis="pergeseran"):
    """A pergeseran round on top of the chain's adopted murni round (a copy of its RKA, as drafts)."""
    from terpadu.anggaran import services_rka as svc
    from terpadu.core.context import acting

    with acting(None, via="command"):
        return svc.buka_tahap(None, chain.tahun, jenis)


def line(kode="5.1.02.01.01.0024", **extra) -> dict:
    data = {
        "kode_rekening": kode,
        "uraian": "Map plastik",
        "volume": "10",
        "satuan": "buah",
        "harga_satuan": "15000",
        "justifikasi": "Tidak ada di SSH 2026",
    }
    data.update(extra)
    return data


def make_drafting(chain):
    """(chain, the pergeseran round, its copy of chain.rka)"""
    tahap = open_round(chain)
    rka = tahap.rka.get(sub_kegiatan=chain.sub)
    return chain, tahap, rka
