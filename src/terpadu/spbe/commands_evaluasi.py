"""`terpadu spbe load-frameworks [--kode SPBE_2020 …]`: load the shipped evaluation frameworks (data/)."""

from __future__ import annotations

from django.core.management.base import CommandError


def _arguments(parser) -> None:
    parser.add_argument("--kode", action="append", help="only this framework code (repeatable)")


def _load(command, options) -> None:
    from django.core.exceptions import ValidationError

    from terpadu.core.context import acting
    from terpadu.spbe import services_evaluasi as sv

    codes = options.get("kode") or sv.shipped_codes()
    with acting(None, via="command"):
        try:
            results = [sv.muat_kerangka(kode) for kode in codes]
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
    for kerangka, outcome in results:
        command.stdout.write(
            f"{kerangka.kode}: {outcome} ({kerangka.indikator.count()} indicators, {kerangka.aspek.count()} aspects, "
            f"{kerangka.domain.count()} domains, {kerangka.predikat.count()} predikat bands)"
        )


SUBCOMMANDS = {"load-frameworks": ("Load the shipped SPBE / Pemdi evaluation frameworks.", _arguments, _load)}
