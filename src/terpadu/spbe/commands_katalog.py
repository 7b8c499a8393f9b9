"""`terpadu spbe load-national-apps [--file path]`: load the national applications (data/aplikasi_nasional.csv)."""

from __future__ import annotations

from django.core.management.base import CommandError


def _arguments(parser) -> None:
    parser.add_argument("--file", help="a national application CSV other than the shipped data/aplikasi_nasional.csv")


def _load(command, options) -> None:
    from django.core.exceptions import ValidationError

    from terpadu.core.context import acting
    from terpadu.spbe import services_katalog

    with acting(None, via="command"):
        try:
            result = services_katalog.load_national_apps(options.get("file") or None)
        except (ValidationError, OSError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
    command.stdout.write(
        f"national applications: {result['created']} created, {result['updated']} updated, {result['total']} in file"
    )


SUBCOMMANDS = {"load-national-apps": ("Load the national applications (aplikasi umum and others).", _arguments, _load)}
