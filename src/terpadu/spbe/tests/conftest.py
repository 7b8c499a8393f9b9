"""The module's tests read English: users and the test client use it (Bahasa Indonesia is the default)."""

from tests.english import city, english_client  # noqa: F401
