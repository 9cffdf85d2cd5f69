"""Audit events from many concurrent requests appended in shared transactions.

Each append locks the chain head and each commit waits for the database to make it
durable, so a busy API that logs every call in its own transaction spends most of its time
queueing on that one lock. A :class:`GroupCommitter` has one thread that takes every event
waiting at that moment and appends them in one transaction: the lock and the durable write
are paid once per batch. Batches form by themselves: while one is being written the next
one gathers, so an idle server writes each event at once and a busy one writes many
together, with no timer to tune.

Nothing is acknowledged early: :meth:`GroupCommitter.submit` returns a future that resolves
only after the batch holding the event has committed, and fails if that batch failed.
Callers answer their own client only then (fail closed: no answer without its log entry).

The writer keeps one connection of its own rather than checking one out of the pool per
batch: the pool pings every connection it hands out (a round trip), which was a tenth of a
busy server's time. A connection that broke in the meantime (a database restart) fails its
batch, and the batch is tried once more on a new connection.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from concurrent.futures import Future

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from resguardo.audit.chain import AuditEntry
from resguardo.audit.log import AuditError, Event, append_events
from resguardo.store.engine import Store

__all__ = ["GroupCommitter"]

_Item = tuple[Event, "Future[AuditEntry]"]


class GroupCommitter:
    """Append :class:`~resguardo.audit.log.Event` objects through ``store`` in batches of
    at most ``max_batch``; thread-safe. The writer thread starts on the first event and
    owns the writer's connection."""

    def __init__(self, store: Store, *, max_batch: int = 256) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.store = store
        self.max_batch = max_batch
        # None asks the writer to stop once it has written what came before.
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, event: Event) -> Future[AuditEntry]:
        """Queue ``event``; the future gives its entry once committed (or the error)."""
        future: Future[AuditEntry] = Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="resguardo-audit-writer", daemon=True
                )
                self._thread.start()
            self._queue.put((event, future))
        return future

    def append(self, event: Event, *, timeout: float | None = None) -> AuditEntry:
        """Queue ``event`` and wait until it is committed; its entry."""
        return self.submit(event).result(timeout=timeout)

    def close(self, timeout: float | None = 30.0) -> None:
        """Write what is queued, then stop the writer thread and close its connection.

        A later :meth:`submit` starts a new writer: an application's lifespan may begin and
        end more than once in one process (tests do this).
        """
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is None:
                return
            self._queue.put(None)
        thread.join(timeout)

    def _run(self) -> None:
        link = _Link(self.store)
        try:
            stopping = False
            while not stopping:
                first = self._queue.get()
                if first is None:
                    return
                batch = [first]
                while len(batch) < self.max_batch:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is None:
                        stopping = True
                        break
                    batch.append(item)
                _write(link, batch)
        finally:
            link.drop()


class _Link:
    """A writer thread's own connection, opened when needed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.connection: Connection | None = None

    def append(self, events: list[Event]) -> list[AuditEntry]:
        if self.connection is None:
            self.connection = self.store.engine.connect()
        with Session(bind=self.connection) as session, session.begin():
            return append_events(session, events)

    def drop(self) -> None:
        if self.connection is not None:
            # Already broken, perhaps; a new one is opened for the next batch anyway.
            with contextlib.suppress(Exception):
                self.connection.close()
            self.connection = None


def _write(link: _Link, batch: list[_Item]) -> None:
    pending = [(event, future) for event, future in batch if future.set_running_or_notify_cancel()]
    if not pending:
        return
    events = [event for event, _ in pending]
    for attempt in (1, 2):
        try:
            entries = link.append(events)
        except DBAPIError as exc:
            link.drop()
            if exc.connection_invalidated and attempt == 1:
                # A broken connection: try once more on a fresh one. Had it broken during
                # the commit itself, the events may end up logged twice, which loses
                # nothing; the opposite choice could.
                continue
            _fail(pending, exc)
            return
        except Exception as exc:  # every waiting caller must hear of it; none may hang
            link.drop()
            _fail(pending, exc)
            return
        break
    for (_, future), entry in zip(pending, entries, strict=True):
        future.set_result(entry)


def _fail(pending: list[_Item], exc: Exception) -> None:
    error = AuditError(f"the audit log could not be written: {exc}")
    error.__cause__ = exc
    for _, future in pending:
        future.set_exception(error)
