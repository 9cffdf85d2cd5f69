"""Inline forwards and replies: who wrote which part of a message body.

A body often carries earlier messages below the sender's own words: a reply quoting the
clerk's question and the agent's first request ("-----Original Message-----" and an
Outlook header block), a forward ("---------- Forwarded message ---------", "Begin
forwarded message:", "De: … Enviado: … Para: … Asunto:"), or Gmail-style quotes ("On …,
X wrote:" followed by "> " lines). :func:`split_thread` cuts a body into segments, each with
the author named in its header block, so that inference reads the original requester's
words and not the forwarding colleague's or the clerk's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from resguardo.intake.message import Mailbox, parse_address, parse_addresses

__all__ = ["Segment", "parse_address", "parse_addresses", "split_thread"]

_BANNER = re.compile(
    r"^[ \t>]*(?:"
    r"-{2,}[ \t]*(?:original message|forwarded message|mensaje original|mensaje reenviado|"
    r"message d'origine|message transféré|ursprüngliche nachricht)[ \t]*-*"
    r"|begin forwarded message:?|inicio del mensaje reenviado:?"
    r"|_{10,}|-{5,}[ \t]*forwarded by .*"
    r")[ \t]*$",
    re.IGNORECASE,
)
_FROM = re.compile(r"^[ \t]*\*?(?:from|de|von|envoyé par|expéditeur)\*?[ \t]*:[ \t]*(.*)$", re.I)
_FIELD = re.compile(
    r"^[ \t]*\*?(sent|date|to|cc|bcc|subject|enviado(?: el)?|fecha|para|asunto|cc|cco|"
    r"envoyé|à|objet|gesendet|an|betreff|importance|importancia)\*?[ \t]*:[ \t]*(.*)$",
    re.I,
)
_WROTE = re.compile(
    r"^[ \t]*(?:on\b.{4,200}?\bwrote|el\b.{4,200}?\bescribió|le\b.{4,200}?\ba écrit)[ \t]*:[ \t]*$",
    re.I | re.S,
)
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.I)
_FIELD_NAMES = {
    "sent": "date",
    "date": "date",
    "enviado": "date",
    "enviado el": "date",
    "fecha": "date",
    "envoyé": "date",
    "gesendet": "date",
    "to": "to",
    "para": "to",
    "à": "to",
    "an": "to",
    "cc": "cc",
    "cco": "cc",
    "bcc": "cc",
    "subject": "subject",
    "asunto": "subject",
    "objet": "subject",
    "betreff": "subject",
}
_MAX_QUOTE_DEPTH = 12


@dataclass(frozen=True, slots=True)
class Segment:
    """A part of a body written by one person.

    The first segment is the message sender's own text (``author`` ``None``: the From
    header says who). Later segments come from a header block or a "wrote:" line, which
    names the ``author`` (``None`` when it could not be read) and may name recipients and a
    subject. ``how`` is ``forward``, ``reply`` or ``quote``; ``header`` is the block as
    found, for evidence.
    """

    text: str
    author: Mailbox | None = None
    to: tuple[Mailbox, ...] = ()
    subject: str | None = None
    how: str = "own"
    header: str = ""


def _header_block(lines: list[str], i: int) -> int:
    """If a header block starts at line ``i`` (a From line followed by other fields), the
    index just past it; else ``i``."""
    if not _FROM.match(lines[i]):
        return i
    j = i + 1
    fields = 0
    while j < len(lines) and j <= i + 12:
        line = lines[j]
        if _FIELD.match(line):
            fields += 1
            j += 1
            continue
        # A long To: list wraps onto indented lines.
        if fields and line[:1] in (" ", "\t") and line.strip() and not _FROM.match(line):
            j += 1
            continue
        break
    return j if fields else i


def _parse_block(lines: list[str]) -> tuple[Mailbox | None, tuple[Mailbox, ...], str | None]:
    author: Mailbox | None = None
    to: list[Mailbox] = []
    subject: str | None = None
    key: str | None = None
    values: dict[str, str] = {}
    for line in lines:
        fm = _FROM.match(line)
        if fm and "from" not in values:
            key = "from"
            values[key] = fm.group(1)
            continue
        m = _FIELD.match(line)
        if m:
            key = _FIELD_NAMES.get(m.group(1).lower(), m.group(1).lower())
            values[key] = (values.get(key, "") + " " + m.group(2)).strip()
            continue
        if key:
            values[key] = values[key] + " " + line.strip()
    if "from" in values:
        author = parse_address(values["from"])
    to.extend(parse_addresses(values.get("to", "")))
    to.extend(parse_addresses(values.get("cc", "")))
    if "subject" in values:
        subject = " ".join(values["subject"].split())
    return author, tuple(to), subject


def _how(banner: str, subject: str | None) -> str:
    lowered = banner.lower()
    if any(w in lowered for w in ("forward", "reenviado", "transféré")):
        return "forward"
    if subject and re.match(r"\s*(fw|fwd|rv|tr)\s*:", subject, re.I):
        return "forward"
    return "reply"


def _attribution(text: str) -> Mailbox | None:
    flat = " ".join(text.split())
    m = _ADDRESS.search(flat)
    if m:
        name = flat[: m.start()]
        name = re.sub(
            r"^(on|el|le)\b.*?(\d{1,2}:\d{2}\s*(am|pm|a\.\s?m\.|p\.\s?m\.)?|\d{4})[, ]*",
            "",
            name,
            flags=re.I,
        )
        name = name.strip(" ,<([\"'")
        return Mailbox(name, m.group(0).lower())
    m2 = re.match(r"^(?:on|el|le)\b.*?,\s*([^,]+?)\s+(?:wrote|escribió|a écrit)", flat, re.I)
    return Mailbox(m2.group(1).strip(), "") if m2 else None


def split_thread(body: str) -> list[Segment]:
    """The body cut into the sender's own text and the earlier messages below it."""
    return _split(body, 0)


def _split(body: str, depth: int) -> list[Segment]:
    lines = body.split("\n")
    segments: list[Segment] = []
    current: list[str] = []
    author: Mailbox | None = None
    to: tuple[Mailbox, ...] = ()
    subject: str | None = None
    how = "own"
    header = ""
    i = 0

    def close() -> None:
        text = "\n".join(current).strip("\n")
        if text.strip() or how != "own" or not segments:
            segments.append(Segment(text, author, to, subject, how, header))

    while i < len(lines):
        line = lines[i]
        banner = bool(_BANNER.match(line))
        start = i + 1 if banner else i
        # A blank line may sit between a banner and its header block.
        while banner and start < len(lines) and not lines[start].strip():
            start += 1
        end = _header_block(lines, start) if start < len(lines) else start
        if end > start:
            close()
            block = lines[start:end]
            author, to, subject = _parse_block(block)
            how = _how(line if banner else "", subject)
            header = "\n".join(x.strip() for x in block)
            current = []
            i = end
            continue
        if banner and end == start and re.search(r"[a-z]", line, re.I):
            # A banner with no readable header block: an earlier message by someone unknown.
            # (A bare rule of underscores is a separator only above a header block: legal
            # documents pasted into a message are full of signature rules.)
            close()
            author, to, subject, how, header = None, (), None, "forward", line.strip()
            current = []
            i += 1
            continue
        # "On <date>, <name> <address> wrote:" possibly wrapped over two lines, then quotes.
        for span in (1, 2, 3):
            chunk = "\n".join(lines[i : i + span])
            if _WROTE.match(chunk) and i + span < len(lines) and depth < _MAX_QUOTE_DEPTH:
                j = i + span
                while j < len(lines) and not lines[j].strip():
                    j += 1
                if j < len(lines):
                    quoted: list[str] = []
                    if lines[j].lstrip().startswith(">"):
                        while j < len(lines) and (
                            lines[j].lstrip().startswith(">") or not lines[j].strip()
                        ):
                            quoted.append(re.sub(r"^\s*> ?", "", lines[j]))
                            j += 1
                    else:
                        # An HTML reply turned into text has no ">" marks: everything below
                        # the "wrote:" line is the quoted message.
                        quoted = lines[j:]
                        j = len(lines)
                    close()
                    inner = _split("\n".join(quoted), depth + 1)
                    first = inner[0]
                    segments.append(
                        Segment(
                            first.text,
                            _attribution(chunk),
                            (),
                            None,
                            "quote",
                            " ".join(chunk.split()),
                        )
                    )
                    segments.extend(inner[1:])
                    # Text after the quote (bottom posting) belongs to whoever wrote above.
                    author, to, subject, how, header = None, (), None, "own", ""
                    current = []
                    i = j
                    break
        else:
            if line.lstrip().startswith(">") and depth < _MAX_QUOTE_DEPTH:
                j = i
                quoted = []
                while j < len(lines) and lines[j].lstrip().startswith(">"):
                    quoted.append(re.sub(r"^\s*> ?", "", lines[j]))
                    j += 1
                close()
                inner = _split("\n".join(quoted), depth + 1)
                segments.append(Segment(inner[0].text, None, (), None, "quote", ""))
                segments.extend(inner[1:])
                author, to, subject, how, header = None, (), None, "own", ""
                current = []
                i = j
                continue
            current.append(line)
            i += 1
            continue
        continue
    close()
    return _merge_own(segments)


def _merge_own(segments: list[Segment]) -> list[Segment]:
    """Text after a quote (bottom posting) is the sender's again: fold it into the first
    segment, which is the sender's own."""
    if not segments:
        return [Segment("")]
    first = segments[0]
    rest: list[Segment] = []
    extra: list[str] = []
    for s in segments[1:]:
        if s.how == "own" and s.author is None:
            if s.text.strip():
                extra.append(s.text)
            continue
        rest.append(s)
    if extra:
        first = Segment(
            "\n\n".join([first.text, *extra]).strip("\n"),
            first.author,
            first.to,
            first.subject,
            first.how,
            first.header,
        )
    return [first, *rest]
