"""Behaviour of the classifier on small constructed texts: the traps of NOTES section 10,
the place of a marker (title, prose, quotation, unticked box), consent, and failing closed."""

from __future__ import annotations

import textwrap

import pytest

from resguardo.legal import (
    COMPULSORY_COURT_KINDS,
    ProcessClassification,
    ProcessKind,
    SignatureStatus,
    classify_process,
    detect_consent,
)


def _c(text: str) -> ProcessClassification:
    return classify_process(textwrap.dedent(text))


DHS_WARRANT = """\
    U.S. DEPARTMENT OF HOMELAND SECURITY
                    WARRANT FOR ARREST OF ALIEN
                                        File No.: A000 000 001
    To: Any immigration officer authorized under sections 236 and 287 of the
    Immigration and Nationality Act.
    YOU ARE COMMANDED to arrest and take into custody the person named above.

        /s/ J. Doe
        ________________________________
        (Signature of Authorized Immigration Officer)
        Supervisory Detention and Deportation Officer

    DHS Form I-200 (Rev. 09/16)
"""

JUDGE_WARRANT = """\
                   UNITED STATES DISTRICT COURT
                             for the
                       District of Oregon
    In the Matter of the Search of                )   Case No. 3:26-mj-00001
    records of one license holder                 )

                   SEARCH AND SEIZURE WARRANT

    To: Any authorized law enforcement officer
    I find probable cause to search the property described in Attachment A.
    YOU ARE COMMANDED to execute this warrant on or before the date below.

    Date and time issued: 01/02/2026            /s/ A. Judge
                                                ____________________________
                                                Judge's signature
    City and state: Portland, Oregon            {title}
                                                Printed name and title
    AO 93 (Rev. 11/13) Search and Seizure Warrant
"""


class TestTraps:
    def test_dhs_warrant_that_commands_is_administrative(self) -> None:
        r = _c(DHS_WARRANT)
        assert r.kind is ProcessKind.ADMINISTRATIVE_WARRANT
        assert r.form == "I-200"
        assert r.signed_by == "Supervisory Detention and Deportation Officer"
        assert r.issuer == "U.S. Department of Homeland Security"

    @pytest.mark.parametrize(
        ("title", "expected"),
        [
            ("United States Magistrate Judge", "United States Magistrate Judge"),
            ("United States District Judge", "United States District Judge"),
        ],
    )
    def test_judges_warrant_is_judicial_and_says_which_judge(
        self, title: str, expected: str
    ) -> None:
        r = _c(JUDGE_WARRANT.format(title=title))
        assert r.kind is ProcessKind.JUDICIAL_WARRANT
        assert r.form == "AO 93"
        assert r.signed_by == expected
        assert r.issuer == "United States District Court for the District of Oregon"

    def test_immigration_judge_signature_is_not_a_court(self) -> None:
        r = _c(
            """\
            EXECUTIVE OFFICE FOR IMMIGRATION REVIEW
            IMMIGRATION COURT
            In the Matter of: respondent                 IN REMOVAL PROCEEDINGS
                              ORDER OF THE IMMIGRATION JUDGE
            It is HEREBY ORDERED that the respondent be removed to the country named.
                                          /s/ Someone
                                          __________________________
                                          Immigration Judge
            """
        )
        assert r.kind is ProcessKind.NONE
        assert r.signed_by == "Immigration Judge"

    def test_agency_subpoena_that_commands_is_administrative(self) -> None:
        r = _c(
            """\
            DEPARTMENT OF HOMELAND SECURITY
            Immigration and Customs Enforcement
                            SUBPOENA
            By the authority of 8 U.S.C. 1225(d)(4)(A), YOU ARE HEREBY COMMANDED to
            produce the records listed below.
            If you fail to comply, the Department may apply to a United States District
            Court for an order requiring compliance.
                    /s/ A. Officer
                    ____________________________
                    Field Office Director
            """
        )
        assert r.kind is ProcessKind.ADMINISTRATIVE_SUBPOENA
        assert r.kind not in COMPULSORY_COURT_KINDS
        # The district court named in the enforcement sentence did not issue this.
        assert r.issuer == "U.S. Department of Homeland Security"

    def test_unticked_judge_box_does_not_count(self) -> None:
        text = """\
            U.S. Department of Homeland Security
                       WARRANT OF REMOVAL/DEPORTATION
            is subject to removal on a final order made by:
              [X] a designated official
              [ ] a United States District or Magistrate Court Judge
            I direct you to take the person named above into custody and to remove
            him from the United States.
                  /s/ A. Officer
                  _____________________________
                  Field Office Director
            """
        r = _c(text)
        assert r.kind is ProcessKind.ADMINISTRATIVE_WARRANT
        assert r.signed_by == "Field Office Director"
        assert not any("Magistrate" in e for e in r.evidence)

    def test_order_to_detain_is_not_a_court_order(self) -> None:
        r = _c(
            """\
            U.S. Department of Homeland Security
                       ORDER TO DETAIN OR RELEASE ALIEN
            [X] Detain the above-named alien.
            /s/ A. Officer
            ____________________
            Deportation Officer
            """
        )
        assert r.kind is ProcessKind.ADMINISTRATIVE_WARRANT


class TestPlace:
    def test_form_number_in_prose_is_a_mention(self) -> None:
        r = _c(
            """\
            Hello, the attached paper is a Form I-200 that our supervisor signed, so
            you are required to send us the address for the person we are looking for.
            Please reply today. Thanks.
            """
        )
        assert r.kind is ProcessKind.NONE
        assert r.form is None

    def test_quoted_operative_words_do_not_make_a_document(self) -> None:
        r = _c(
            """\
            Both court and DHS papers say "YOU ARE COMMANDED" and "IT IS ORDERED", so
            those words do not tell you who signed the paper. Look for the signature.
            """
        )
        assert r.kind is ProcessKind.NONE

    def test_subject_line_names_a_document_without_being_one(self) -> None:
        r = _c(
            """\
            From: Clerk <clerk@agency.example.gov>
            To: Agent <agent@ice.dhs.gov>
            Subject: RE: Administrative subpoena No. 12

            We received your administrative subpoena and will reply next week.
            """
        )
        assert r.kind is ProcessKind.NONE

    def test_agency_names_in_mail_addresses_are_not_issuers(self) -> None:
        r = _c("Write to agent@ice.dhs.gov or see https://www.dhs.gov/forms for details.")
        assert r.kind is ProcessKind.NONE
        assert r.issuer is None

    def test_ocr_noise_and_letter_spacing(self) -> None:
        r = _c(
            DHS_WARRANT.replace(
                "WARRANT FOR ARREST OF ALIEN", "W A R R A N T  F O R  A R R E S T  0 F  A L l E N"
            )
            .replace("Form I-200", "Form l - 2 0 0")
            .replace("Supervisory", "Superv1sory")
            .replace("Homeland", "Horneland")
        )
        assert r.kind is ProcessKind.ADMINISTRATIVE_WARRANT
        assert r.form == "I-200"
        assert r.signed_by == "Supervisory Detention and Deportation Officer"

    def test_form_numbers_need_their_prefix(self) -> None:
        r = _c("Room 1200, Suite 110, 93 Main Street, 442 Elm Road. Meeting at 2:00.")
        assert r.kind is ProcessKind.NONE
        assert r.form is None


class TestDescriptions:
    def test_policy_memo_listing_every_kind_is_none(self) -> None:
        r = _c(
            """\
            MEMORANDUM
            TO: All staff
            RE: Kinds of legal process

            - Search and Seizure Warrant (form AO 93), signed by a judge
            - Warrant for Arrest of Alien (Form I-200), signed by an ICE officer
            - Immigration Detainer - Notice of Action (Form I-247A)
            - Immigration Enforcement Subpoena (Form I-138)
            - Subpoena to Testify Before a Grand Jury (form AO 110)

            If you receive any of these, do not release records. Contact the Office of
            General Counsel.
            """
        )
        assert r.kind is ProcessKind.NONE
        assert r.form is None and r.issuer is None and r.signed_by is None

    def test_plain_text_is_none_with_high_confidence(self) -> None:
        r = _c("Lunch is at noon on Friday. Bring a salad.")
        assert r.kind is ProcessKind.NONE
        assert r.confidence >= 0.9
        assert r.evidence

    def test_empty_text_is_none(self) -> None:
        assert classify_process("").kind is ProcessKind.NONE


class TestFailClosed:
    def test_title_without_any_issuer_is_unknown(self) -> None:
        r = _c("ARREST WARRANT\n\nGive us everything you have on this person.\n")
        assert r.kind is ProcessKind.UNKNOWN
        assert r.confidence <= 0.4

    def test_proposed_order_is_not_an_order(self) -> None:
        r = _c(
            """\
            UNITED STATES DISTRICT COURT
            DISTRICT OF KANSAS
            UNITED STATES OF AMERICA v. SOMEONE            Case No. 2:26-cr-00001
                     [PROPOSED] ORDER GRANTING MOTION TO COMPEL
            IT IS HEREBY ORDERED that the agency produce the records.
                                      ____________________________
                                      United States District Judge
            """
        )
        assert r.kind is ProcessKind.UNKNOWN
        assert any("proposed" in e.lower() for e in r.evidence)

    def test_court_and_agency_markers_in_conflict_are_unknown(self) -> None:
        r = _c(
            """\
            UNITED STATES DISTRICT COURT                U.S. DEPARTMENT OF HOMELAND SECURITY
                                      SEARCH WARRANT
                                  WARRANT FOR ARREST OF ALIEN
            I find probable cause to search the premises described.
            YOU ARE COMMANDED to arrest and take into custody the person named above.
                    /s/ Someone
                    ____________________________
                    United States Magistrate Judge
                    Supervisory Detention and Deportation Officer
            DHS Form I-200
            """
        )
        assert r.kind is ProcessKind.UNKNOWN

    def test_court_document_pasted_into_a_message_is_escalated(self) -> None:
        body = textwrap.dedent(JUDGE_WARRANT.format(title="United States Magistrate Judge"))
        text = (
            "From: Agent <agent@example.gov>\nSent: Monday\nSubject: warrant\n\n"
            "Hi, the warrant is pasted below, please send the records today. Thanks.\n"
            "-----Original Message-----\n" + body
        )
        r = classify_process(text)
        # A court kind inside a message is escalated, since a training guide shows sample
        # forms the same way; the fields still say what was found.
        assert r.kind is ProcessKind.UNKNOWN
        assert r.signed_by == "United States Magistrate Judge"
        assert r.issuer == "United States District Court for the District of Oregon"

    def test_sample_form_in_training_text_is_not_a_warrant(self) -> None:
        body = textwrap.dedent(JUDGE_WARRANT.format(title="United States Magistrate Judge"))
        guide = (
            "Training: how to recognize a judicial warrant\n\n"
            "If you receive a warrant, look for the judge's signature. For example, a "
            "federal search warrant is signed by a United States Magistrate Judge. Staff "
            "should contact the Office of General Counsel before releasing anything.\n\n"
        )
        assert classify_process(guide + body).kind is ProcessKind.UNKNOWN
        assert classify_process("SAMPLE\n\n" + body).kind is ProcessKind.UNKNOWN

    def test_agency_document_pasted_into_a_message_is_found(self) -> None:
        text = (
            "From: Agent <agent@ice.dhs.gov>\nSent: Monday\nSubject: warrant\n\n"
            "Hello, please send his address today. The warrant text is below. Thanks.\n"
            "----------------------------------------\n" + textwrap.dedent(DHS_WARRANT)
        )
        r = classify_process(text)
        assert r.kind is ProcessKind.ADMINISTRATIVE_WARRANT
        assert r.form == "I-200"


class TestConsent:
    SIGNED = """\
        AUTHORIZATION TO RELEASE RECORDS
        I, Jane Q. Public, authorize the Department to release my driving record to my
        attorney. This authorization expires in 90 days; I may revoke it in writing.
        Signature: {signature}            Date: 01/01/2026
        """

    def test_signed_consent(self) -> None:
        r = _c(self.SIGNED.format(signature="/s/ Jane Q. Public"))
        assert r.kind is ProcessKind.WRITTEN_CONSENT
        assert r.signed_by == "person named (data subject)"
        assert r.issuer is None

    def test_blank_signature_line_is_not_consent(self) -> None:
        r = _c(self.SIGNED.format(signature="______________________"))
        assert r.kind is ProcessKind.NONE
        assert any("blank" in e for e in r.evidence)

    def test_only_the_requester_signed(self) -> None:
        text = textwrap.dedent(self.SIGNED.format(signature="_______________")) + (
            "Witness signature: (signed) R. Requester\n"
        )
        assert classify_process(text).kind is ProcessKind.NONE

    def test_consent_without_a_signature_line_is_unknown(self) -> None:
        r = _c(
            """\
            AUTHORIZATION TO RELEASE RECORDS
            I authorize the Department to release my records to my attorney. This
            authorization expires in 90 days.
            """
        )
        assert r.kind is ProcessKind.UNKNOWN

    def test_spanish_consent(self) -> None:
        r = _c(
            """\
            AUTORIZACIÓN PARA DIVULGAR INFORMACIÓN
            Yo, María Pérez, autorizo al Departamento a entregar mi expediente a mi
            abogada. Puedo revocar esta autorización por escrito. Vence en 60 días.
            Firma de la titular: María Pérez            Fecha: 2 de enero de 2026
            """
        )
        assert r.kind is ProcessKind.WRITTEN_CONSENT

    @pytest.mark.parametrize(
        ("line", "status"),
        [
            ("Signature: /s/ Jane Public", SignatureStatus.SIGNED),
            ("Signature: Jane Public      Date: 01/01/2026", SignatureStatus.SIGNED),
            ("Signature of license holder: __________   Date: ______", SignatureStatus.BLANK),
            ("Applicant's signature: ____________", SignatureStatus.BLANK),
            ("Firma del solicitante: (firmado) J. P.", SignatureStatus.SIGNED),
            ("Nothing to sign here.", SignatureStatus.ABSENT),
        ],
    )
    def test_detect_consent_signature(self, line: str, status: SignatureStatus) -> None:
        assert detect_consent("I authorize release of my records.\n" + line).status is status

    def test_letter_signed_by_the_person(self) -> None:
        r = _c(
            """\
            To whom it may concern:
            I, Maria Lopez, give my permission for the Division to release my driving
            record to my attorney for my traffic case.
            Sincerely,
            Maria Lopez
            """
        )
        assert r.kind is ProcessKind.WRITTEN_CONSENT

    @pytest.mark.parametrize(
        "closing",
        ["Sincerely,\n\nA. Agent\nSpecial Agent, HSI", "/s/ A. Agent\nDeportation Officer"],
    )
    def test_a_requesters_signature_is_not_the_persons(self, closing: str) -> None:
        text = "I authorize you to send the records to this office.\n\n" + closing
        assert detect_consent(text).status is SignatureStatus.ABSENT
        assert classify_process(text).kind is not ProcessKind.WRITTEN_CONSENT

    def test_signature_above_its_label(self) -> None:
        text = "I authorize release.\n\n/s/ Jane Public\n____________\nSignature of applicant\n"
        assert detect_consent(text).status is SignatureStatus.SIGNED
        text = "I authorize release.\n\n\n____________\nSignature of applicant\n"
        assert detect_consent(text).status is SignatureStatus.BLANK


def test_civil_subpoena_signed_by_attorney_not_clerk() -> None:
    r = _c(
        """\
                         UNITED STATES DISTRICT COURT
                               for the
                          District of Idaho
        PARTY A, Plaintiff v. PARTY B, Defendant          Civil Action No. 1:26-cv-00001
          SUBPOENA TO PRODUCE DOCUMENTS, INFORMATION, OR OBJECTS IN A CIVIL ACTION
        YOU ARE COMMANDED to produce the following documents.
        Date: 01/02/2026
                        CLERK OF COURT
                                                          OR
            ____________________________              /s/ A. Lawyer
            Signature of Clerk or Deputy Clerk        ______________________
                                                       Attorney's signature
        AO 88B (Rev. 02/14)
        """
    )
    assert r.kind is ProcessKind.COURT_SUBPOENA
    assert r.signed_by == "Attorney"
    assert r.form == "AO 88B"


def test_grand_jury_subpoena_beats_plain_subpoena() -> None:
    r = _c(
        """\
        IN THE DISTRICT COURT OF TRAVIS COUNTY
        GRAND JURY SUBPOENA DUCES TECUM
        YOU ARE COMMANDED to appear before the grand jury and bring the records below.
        Failure to obey may be punished as contempt of court.
                               CLERK OF THE DISTRICT COURT
                               By: /s/ Deputy Clerk
        """
    )
    assert r.kind is ProcessKind.GRAND_JURY_SUBPOENA


def test_notice_to_appear_is_none_but_named() -> None:
    r = _c(
        """\
        U.S. DEPARTMENT OF HOMELAND SECURITY
                          NOTICE TO APPEAR
        In removal proceedings under section 240 of the Immigration and Nationality Act
        YOU ARE ORDERED to appear before an immigration judge on a date to be set.
                  /s/ Officer
                  ___________________
                  Deportation Officer
        DHS Form I-862
        """
    )
    assert r.kind is ProcessKind.NONE
    assert r.form == "I-862"
