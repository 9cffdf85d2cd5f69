"""Fixtures for the policy tests."""

from __future__ import annotations

import pytest

from resguardo.policy import Pack, PackRegistry, default_registry


@pytest.fixture(scope="session")
def registry() -> PackRegistry:
    """The shipped packs."""
    return default_registry()


@pytest.fixture(scope="session")
def packs(registry: PackRegistry) -> dict[str, Pack]:
    """Every shipped pack, loaded (loading errors fail here, naming file/line/field)."""
    return {p.id: p for p in registry.all()}
