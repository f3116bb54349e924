"""Fixtures for the members' area's tests: the shared personas (tests/conftest.py),
signed in."""

import pytest


@pytest.fixture
def signed_in_member(client, personas):
    """The Cumbria member persona, signed in."""
    client.force_login(personas.member)
    return personas.member


@pytest.fixture
def signed_in_coordinator(client, personas):
    """The Cumbria coordinator persona, signed in."""
    client.force_login(personas.coordinator)
    return personas.coordinator
