"""Fixtures for module tests that read English (Bahasa Indonesia is the platform default):
`from tests.english import city, english_client  # noqa: F401` in the module's tests/conftest.py."""

import pytest


@pytest.fixture
def city(city):
    from terpadu.accounts.models import User

    User.objects.update(language="en")
    return city


@pytest.fixture(autouse=True)
def english_client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
