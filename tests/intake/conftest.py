"""Fixtures for the intake tests."""

from __future__ import annotations

import sys
from pathlib import Path

# The dev set's vocabulary mapping lives with the policy tests (tests/policy/policy_devset.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "policy"))
