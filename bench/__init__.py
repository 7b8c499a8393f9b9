"""Benchmarks: a city at scale on PostgreSQL, the real WSGI app under gunicorn, and floors to compare with.

- `python -m bench.generate` builds (or reuses) the bench database: 5,000 pegawai in ~600 units per
  `--scale`, written through the organisation services so the audit chain is realistic.
- `python -m bench.run` (`make bench`) starts gunicorn and `terpadu worker` against it, runs every
  registered scenario next to its floor, prints p50/p95/ratio and peak memory, and writes
  `bench/results/latest.json`.
- `bench.scenarios` is the registry (name, request, floor); `bench.floor_views` are the floors, mounted
  only when TERPADU_BENCH=1.

See bench/README.md.
"""
