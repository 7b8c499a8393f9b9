"""`terpadu`: every manage.py command, plus demo, worker, audit, backup and restore."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terpadu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["terpadu", *sys.argv[1:]])


if __name__ == "__main__":
    main()
