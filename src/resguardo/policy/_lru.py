"""A bounded least-recently-used table, for the engine's memo and the rendering caches.

A long-running gateway decides and renders millions of requests; any table keyed by what
requests contain must have a size cap, or it is a memory leak.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

__all__ = ["LRU"]

K = TypeVar("K")
V = TypeVar("V")


class LRU(OrderedDict[K, V], Generic[K, V]):
    """An ``OrderedDict`` of at most ``maxsize`` entries; the least recently used go first.

    ``fetch``/``store`` never raise on a race between threads (an entry evicted by one
    thread while another reads it): losing a cached value only costs recomputing it.
    ``maxsize`` 0 disables the table (``store`` keeps nothing).
    """

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize

    def fetch(self, key: K) -> V | None:
        """The value for ``key`` (marked as just used), or None."""
        value = self.get(key)
        if value is not None:
            try:
                self.move_to_end(key)
            except KeyError:  # evicted by another thread meanwhile: still a good value
                return value
        return value

    def store(self, key: K, value: V) -> V:
        """Keep ``value`` under ``key``, evicting the least recently used beyond the cap."""
        if self.maxsize <= 0:
            return value
        self[key] = value
        while len(self) > self.maxsize:
            try:
                self.popitem(last=False)
            except KeyError:  # emptied by another thread meanwhile
                break
        return value

    def resize(self, maxsize: int) -> None:
        """Change the cap (0 disables the table), evicting entries beyond it."""
        self.maxsize = maxsize
        if maxsize <= 0:
            self.clear()
        while len(self) > max(maxsize, 0):
            self.popitem(last=False)
