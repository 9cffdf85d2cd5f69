"""Small display helpers for the templates: times, durations, sizes."""

from __future__ import annotations

from datetime import UTC, datetime

from resguardo.store.types import utcnow
from resguardo.web.i18n import translate

__all__ = ["duration", "size", "when"]


def when(value: datetime | None) -> str:
    """A timestamp as ``2025-09-10 13:20 UTC`` (the same in both languages)."""
    if value is None:
        return "—"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def duration(lang: str, since: datetime | None, now: datetime | None = None) -> str:
    """How long since ``since``, in days, hours and minutes (``2 d 3 h``)."""
    if since is None:
        return "—"
    seconds = max(0, int(((now or utcnow()) - since).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return translate(lang, "time.days_hours", days=days, hours=hours)
    if hours:
        return translate(lang, "time.hours_minutes", hours=hours, minutes=minutes)
    return translate(lang, "time.minutes", minutes=minutes)


def size(n: int) -> str:
    """A byte count for people (``12.3 KiB``)."""
    value = float(n)
    for unit in ("B", "KiB", "MiB"):
        if value < 1024 or unit == "MiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"
