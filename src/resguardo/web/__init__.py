"""The review service: staff pages (Jinja2, no JavaScript needed) and the ``/api/v1`` JSON
API, on FastAPI. Build it with :func:`resguardo.web.app.create_app`; run it with
``resguardo serve`` or ``resguardo demo``.

Importing this package does not import FastAPI: the CLI stays quick for every other
command.
"""

from __future__ import annotations

__all__: list[str] = []
