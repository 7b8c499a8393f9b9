"""Settings for the test suite: the normal settings with the test profile and a throw-away data dir.

DATABASE_URL decides the database: unset = SQLite (a fresh machine), postgres://… in CI.
"""

import os
import tempfile

os.environ.setdefault("TERPADU_PROFILE", "test")
os.environ.setdefault("TERPADU_DATA_DIR", tempfile.mkdtemp(prefix="terpadu-test-"))

from terpadu.settings import *  # noqa: E402, F403

# WhiteNoise warns about a missing STATIC_ROOT on every request; tests serve static files from the apps.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
