"""Legal-process document recognition: what kind of process a requester produced.

``classify_process(text)`` reads a warrant, subpoena, order, detainer, consent or look-alike
and says which kind it is (NOTES section 10), with the markers that decided: form number,
title, issuer, signer's title, statutes. It is pure: no I/O except loading its own marker
data file, ``markers.yaml``.
"""

from resguardo.legal.classify import classify_process
from resguardo.legal.consent import ConsentCheck, SignatureStatus, detect_consent
from resguardo.legal.kinds import COMPULSORY_COURT_KINDS, ProcessClassification, ProcessKind

__all__ = [
    "COMPULSORY_COURT_KINDS",
    "ConsentCheck",
    "ProcessClassification",
    "ProcessKind",
    "SignatureStatus",
    "classify_process",
    "detect_consent",
]
