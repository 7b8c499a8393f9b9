"""The platform's state-changing services, one module each (import them from here or directly):

- audit: record, verify, make_checkpoint
- jobs: defer (and the @task / @periodic declarations)
- events: publish (and @subscribe)
- notifications: notify, queue_email, mark_read
- files: store (checked uploads)
- tabular: run_import (all-or-nothing CSV/XLSX import)
"""

from terpadu.core import audit, events, files, jobs, notifications, tabular  # noqa: F401
