"""Helpers shared by the policy tests."""

from __future__ import annotations

from typing import Any

from resguardo.policy import Request


def make_request(**overrides: Any) -> Request:
    """A valid request with sensible defaults; keyword arguments replace fields."""
    data: dict[str, Any] = {
        "requester": {
            "agency": "ICE Enforcement and Removal Operations",
            "kind": "federal_immigration",
        },
        "purpose": "immigration_enforcement",
        "legal_process": [],
        "scope": "individual",
        "record_system": "motor_vehicles",
        "categories": ["street_address"],
    }
    data.update(overrides)
    return Request.model_validate(data)
