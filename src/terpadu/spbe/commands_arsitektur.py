"""`terpadu spbe load-reference --tahun N [--file path] [--nama …]`: a national reference architecture edition
(data/arsitektur_referensi.csv) in force from year N; the edition with the latest year becomes the current one."""

from __future__ import annotations

from django.core.management.base import CommandError


def _arguments(parser) -> None:
    parser.add_argument("--tahun", type=int, required=True, help="the first year the edition is in force")
    parser.add_argument("--file", help="a reference CSV other than the shipped data/arsitektur_referensi.csv")
    parser.add_argument("--nama", default="", help="the edition's name")


def _load(command, options) -> None:
    from django.core.exceptions import ValidationError

    from terpadu.core.context import acting
    from terpadu.spbe import services_arsitektur as arsitektur

    with acting(None, via="command"):
        try:
            result = arsitektur.load_reference(options["tahun"], path=options.get("file") or None,
                                               nama=options.get("nama") or "")  # fmt: skip
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
    versi = result["versi"]
    command.stdout.write(
        f"edition {versi.nama} ({versi.tahun_mulai}): {result['codes']} national codes "
        f"({result['generated']} codes assigned locally, not in the source), {result['carried']} city codes carried "
        f"over, {len(result['left_behind'])} left behind; current edition: {result['current'].nama} "
        f"({result['current'].tahun_mulai})"
    )
    for kode in result["left_behind"]:
        command.stdout.write(f"  city code left behind (its parent is not in the new edition): {kode}")


SUBCOMMANDS = {"load-reference": ("Load a national reference architecture edition.", _arguments, _load)}
