"""The JSON API, ``/api/v1``: stateless decisions and scans, requests and reviews, audit.

Authentication: a bearer API token (``Authorization: Bearer rsg_...``) limited to its
scopes, or, for same-origin use, the session cookie of a logged-in person (whose role
gives the scopes, see :data:`resguardo.web.deps.ROLE_SCOPES`); a cookie-authenticated call
that changes anything must also send the session's CSRF token in ``X-CSRF-Token``.

Reviews are decided by a person: ``POST /requests/{id}/review`` takes a reviewer's session,
never a token, so an integration can never both file a request and approve it.
"""

from __future__ import annotations

from resguardo.web.api.routes import router

__all__ = ["router"]
