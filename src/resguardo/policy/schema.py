"""The JSON Schema of ``Request``, committed as ``docs/request.schema.json``.

Request inference (and any other producer of requests) validates against this file; a test
checks that the committed copy matches the model. Regenerate with::

    .venv/bin/python -m resguardo.policy.schema
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from resguardo.policy.request import Request

__all__ = ["SCHEMA_PATH", "render_request_schema", "request_json_schema", "write_request_schema"]

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "request.schema.json"


def request_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a request, as pydantic generates it."""
    schema = Request.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://resguardo.example/schemas/request.schema.json",
        **schema,
    }


def render_request_schema() -> str:
    """The schema as the committed file's text (stable key order, trailing newline)."""
    return json.dumps(request_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_request_schema(path: Path = SCHEMA_PATH) -> Path:
    """Write the schema file and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_request_schema(), encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    print(write_request_schema())
