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
    ``maxsize`` 0 disables the table (``store`` keeps nothing). ``hits`` and ``misses``
    count ``fetch`` results (for monitoring and benchmarks).
    """

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        self.maxsize = maxsize
        self.hits = self.misses = 0

    def fetch(self, key: K) -> V | None:
        """The value for ``key`` (marked as just used), or None."""
        value = self.get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
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


class AdmittingLRU(LRU[K, V]):
    """An ``LRU`` that keeps a value only for a key offered a second time (a TinyLFU
    "doorkeeper"): a one-off key costs a hash and a byte, and leaves nothing behind.

    Why: a gateway or a bulk check sees many shapes only once. Keeping them would evict
    the shapes that do repeat, and every object kept is one more for the garbage
    collector to scan again and again (measured: that rescanning cost more than deciding).
    The doorkeeper is a byte table indexed by the key's hash, forgotten after every
    ``door_size // 8`` first sightings; a hash collision only admits a key early.
    """

    def __init__(self, maxsize: int, door_size: int = 1 << 17) -> None:
        super().__init__(maxsize)
        if door_size & (door_size - 1):
            raise ValueError("door_size must be a power of two")
        self._door = bytearray(door_size)
        self._door_left = door_size // 8

    def admit(self, key: K) -> bool:
        """Whether ``key`` was offered before (recently): then its value is worth keeping."""
        door = self._door
        slot = hash(key) & (len(door) - 1)
        if door[slot]:
            return True
        door[slot] = 1
        self._door_left -= 1
        if self._door_left <= 0:
            self._forget()
        return False

    def _forget(self) -> None:
        self._door = bytearray(len(self._door))
        self._door_left = len(self._door) // 8

    def clear(self) -> None:
        """Forget every value and every sighting."""
        super().clear()
        self._forget()
