"""Request inference: read the request an email makes, for the policy engine.

>>> from resguardo.intake import parse_email_bytes, infer_request      # doctest: +SKIP
>>> inference = infer_request(parse_email_bytes(raw_bytes))
>>> inference.request            # a policy Request, with unknowns where unsure
>>> inference.evidence           # how each field was read
>>> inference.unknowns           # what could not be read

Pure functions over message content already in memory: no file is read here (the CLI
reads the file). The tables people edit (sender domains, signature wording, purpose phrases,
request phrases per category, record-system names) are YAML files in ``intake/data/``.
"""

from resguardo.intake.infer import Evidence, Inference, infer_request
from resguardo.intake.message import (
    Attachment,
    BodyPart,
    Mailbox,
    MessageError,
    ParsedMessage,
    parse_email,
    parse_email_bytes,
    parse_msg_bytes,
)

__all__ = [
    "Attachment",
    "BodyPart",
    "Evidence",
    "Inference",
    "Mailbox",
    "MessageError",
    "ParsedMessage",
    "infer_request",
    "parse_email",
    "parse_email_bytes",
    "parse_msg_bytes",
]
