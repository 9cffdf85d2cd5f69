"""A short-lived cache of API tokens found valid, shared by one worker's requests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from resguardo.store.types import utcnow

if TYPE_CHECKING:
    from resguardo.web.deps import Principal

__all__ = ["TokenCache"]


class TokenCache:
    """Tokens found valid in the last few seconds, by the hash of their secret.

    Looking a token up was most of the cost of a busy integration's call (a database round
    trip per request). A token stays cached for at most ``ttl_s`` and never past its expiry;
    revoking a token through this process clears the cache, and a revocation made elsewhere
    (another worker, the CLI) takes effect within ``ttl_s``. ``ttl_s = 0`` turns caching off.
    """

    def __init__(
        self,
        ttl_s: float,
        *,
        max_entries: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()
        # Bumped by clear(): a lookup that began before a revocation must not cache what it
        # read, or the revoked token would come back for another ttl_s.
        self.generation = 0

    def get(self, key: str) -> Principal | None:
        """The cached principal for ``key``, if still fresh."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            with self._lock:
                self._entries.pop(key, None)
            return None
        return entry[1]

    def put(self, key: str, principal: Principal, *, generation: int) -> None:
        """Remember a token found valid by a lookup that began at ``generation`` (read
        :attr:`generation` before looking the token up)."""
        if self.ttl_s <= 0:
            return
        until = self._clock() + self.ttl_s
        token = principal.token
        if token is not None and token.expires_at is not None:
            left = (token.expires_at - utcnow()).total_seconds()
            until = min(until, self._clock() + left)
        with self._lock:
            if generation != self.generation:
                return
            if len(self._entries) >= self.max_entries:
                self._entries.clear()  # rare (thousands of live tokens); start afresh
            self._entries[key] = (until, principal)

    def clear(self) -> None:
        """Forget every token (after a revocation)."""
        with self._lock:
            self._entries.clear()
            self.generation += 1
