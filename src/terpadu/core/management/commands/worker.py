"""`terpadu worker`: run background jobs and periodic schedules."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from terpadu.core import jobs


class Command(BaseCommand):
    help = "Run the job worker (procrastinate on PostgreSQL; the scheduler only with the eager backend)."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="append", dest="queues", help="Queues to serve (default: all).")
        parser.add_argument("--concurrency", type=int, default=1)

    def handle(self, *args, **options):
        jobs.run_worker(options["queues"], options["concurrency"])
