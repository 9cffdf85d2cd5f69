"""The reader's and the classifier's explanations, stored with a case and shown in the
page's language.

The request reader and the legal-document classifier explain themselves with
:class:`~resguardo.messages.Msg` sentences: English strings that know their message key and
parameters. A case stores the English (``Inference.to_dict()``,
``ProcessClassification.to_dict()``: what the CLI and the JSON contracts show) and, beside
it under ``"structured"``, the same sentences as keys and parameters, so that the case page
can show them in Spanish. Cases stored before there was a structured form, or with a key
no catalog has any more, show the stored English: an old row never breaks a page.

The API returns the stored data without the ``"structured"`` part (:func:`public`): its
contract is the English one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from resguardo.intake import Inference
from resguardo.legal import ProcessClassification
from resguardo.messages import Joined, Msg, Term, from_json, render, to_json
from resguardo.web.i18n import Translator

__all__ = [
    "STRUCTURED",
    "Explained",
    "classification_view",
    "inference_view",
    "public",
    "stored_classification",
    "stored_inference",
]

#: The key under which the structured sentences are stored beside the English ones.
STRUCTURED = "structured"
# The label group of an evidence line's field ("requester.kind"), which the confirmation
# form names as its own field ("field.requester_kind").
_EVIDENCE_FIELD = "evidence_field"


def stored_inference(inference: Inference) -> dict[str, Any]:
    """What a case stores of an inference: ``to_dict()`` and the structured sentences."""
    data = inference.to_dict()
    data[STRUCTURED] = {
        "evidence": [
            {"field": e.field, "value": to_json(e.value), "reason": to_json(e.reason)}
            for e in inference.evidence
        ],
        "unknowns": [to_json(u) for u in inference.unknowns],
        "notes": [to_json(n) for n in inference.notes],
    }
    return data


def stored_classification(result: ProcessClassification) -> dict[str, Any]:
    """What a case stores of a classification: ``to_dict()`` and the structured sentences."""
    data = result.to_dict()
    data[STRUCTURED] = {
        "evidence": [to_json(e) for e in result.evidence],
        "signed_by": to_json(result.signed_by) if result.signed_by is not None else None,
    }
    return data


def public(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Stored inference or classification data as the API shows it (the English only)."""
    if data is None:
        return None
    return {k: v for k, v in data.items() if k != STRUCTURED}


# --------------------------------------------------------------------------- pages


class Explained:
    """Renders stored sentences in one language, enum values by the page's labels."""

    def __init__(self, translator: Translator) -> None:
        self.translator = translator
        # English text -> sentence, for values in the request the reader wrote ("the
        # person named", "document pasted in the message"), found in the stored sentences.
        self._known: dict[str, str] = {}

    def render(self, value: str) -> str:
        """``value`` in the page's language (a plain string as written)."""
        return render(value, self.translator.lang, self._label)

    def _label(self, group: str, value: str) -> str:
        if group == _EVIDENCE_FIELD:
            return self.translator.label("field", value.replace(".", "_"))
        return self.translator.label(group, value)

    def learn(self, values: Sequence[str]) -> None:
        """Remember the sentences in ``values`` (and those nested in them) by their
        English, so that :meth:`said` can render the same words met elsewhere."""
        for value in values:
            for msg in _nested(value):
                self._known.setdefault(str(msg), msg)

    def said(self, text: object) -> str:
        """A value of the request as shown (``document``, ``signed_by``): in the page's
        language when the reader or the classifier wrote it, else as written."""
        if text is None:
            return ""
        known = self._known.get(str(text))
        return self.render(known) if known is not None else str(text)


def _nested(value: str) -> Iterator[Msg]:
    if isinstance(value, Msg):
        yield value
        for param in value.params.values():
            yield from _nested(param)
    elif isinstance(value, Joined):
        for item in value.items:
            yield from _nested(item)


def _decode(english: Sequence[Any], structured: Any) -> list[str]:
    """The stored sentences with their structure, or the English ones when the structure
    is missing (an older case) or does not match them."""
    plain = [str(e) for e in english]
    if not isinstance(structured, list) or len(structured) != len(plain):
        return plain
    out: list[str] = []
    for text, data in zip(plain, structured, strict=True):
        try:
            value = from_json(data)
        except (KeyError, ValueError, TypeError, IndexError):
            value = text
        # A catalog edited since the case was stored may word it differently; the
        # structure is only trusted when it still says what was stored.
        out.append(value if str(value) == text else text)
    return out


def _evidence(data: Mapping[str, Any], structured: Mapping[str, Any]) -> list[str]:
    plain = [str(e) for e in data.get("evidence") or []]
    rows = structured.get("evidence")
    if not isinstance(rows, list) or len(rows) != len(plain):
        return plain
    out: list[str] = []
    for text, row in zip(plain, rows, strict=True):
        try:
            line = Msg(
                "intake.evidence",
                field=Term(_EVIDENCE_FIELD, str(row["field"])),
                value=from_json(row["value"]),
                reason=from_json(row["reason"]),
            )
        except (KeyError, ValueError, TypeError, IndexError):
            out.append(text)
            continue
        out.append(line if str(line) == text else text)
    return out


def inference_view(data: Mapping[str, Any] | None, explained: Explained) -> dict[str, list[str]]:
    """The evidence, unknowns and notes of a stored inference, in the page's language."""
    if not data:
        return {"evidence": [], "unknowns": [], "notes": []}
    structured = data.get(STRUCTURED)
    if not isinstance(structured, Mapping):
        structured = {}
    evidence = _evidence(data, structured)
    unknowns = _decode(data.get("unknowns") or [], structured.get("unknowns"))
    notes = _decode(data.get("notes") or [], structured.get("notes"))
    explained.learn([*evidence, *unknowns, *notes])
    return {
        "evidence": [explained.render(e) for e in evidence],
        "unknowns": [explained.render(u) for u in unknowns],
        "notes": [explained.render(n) for n in notes],
    }


def classification_view(data: Mapping[str, Any] | None, explained: Explained) -> dict[str, Any]:
    """The evidence and signer of a stored classification, in the page's language."""
    if not data:
        return {"evidence": [], "signed_by": None}
    structured = data.get(STRUCTURED)
    if not isinstance(structured, Mapping):
        structured = {}
    evidence = _decode(data.get("evidence") or [], structured.get("evidence"))
    signed_by = data.get("signed_by")
    if signed_by is not None:
        signer = _decode([signed_by], [structured.get("signed_by")])[0]
        explained.learn([signer])
        signed_by = explained.render(signer)
    return {"evidence": [explained.render(e) for e in evidence], "signed_by": signed_by}
