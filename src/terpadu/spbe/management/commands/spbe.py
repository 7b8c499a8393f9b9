"""`terpadu spbe <subcommand>`: each part of the spbe module adds its subcommands in spbe/commands_<part>.py as
SUBCOMMANDS = {"name": (help, add_arguments(parser), handle(command, options))}; this file only dispatches."""

from __future__ import annotations

import importlib
import pkgutil

from django.core.management.base import BaseCommand, CommandError

import terpadu.spbe


def _subcommands() -> dict:
    found = {}
    for info in pkgutil.iter_modules(terpadu.spbe.__path__):
        if info.name.startswith("commands_"):
            module = importlib.import_module(f"terpadu.spbe.{info.name}")
            found.update(getattr(module, "SUBCOMMANDS", {}))
    return found


class Command(BaseCommand):
    help = "SPBE governance tasks (load-frameworks, …)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, (help_text, add_arguments, _handle) in sorted(_subcommands().items()):
            add_arguments(sub.add_parser(name, help=help_text))

    def handle(self, *args, **options):
        subcommands = _subcommands()
        name = options["subcommand"]
        if name not in subcommands:
            raise CommandError(f"unknown subcommand {name}")
        subcommands[name][2](self, options)
