"""Protected-status detectors: a status counts only where the text states it OF A PERSON.

Every category has pairs: a case-note sentence that discloses the status and a policy,
news, program or notice sentence with the same words that does not (English and Spanish).
None of these sentences comes from the dev corpus.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from resguardo.detect import statuses
from resguardo.detect.base import Detector
from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.lexicon import STATUS_CATEGORIES, load_user_lexicon
from resguardo.detect.patterns import HAVE_HYPERSCAN, PatternSet
from resguardo.detect.scanner import Scanner
from resguardo.detect.statuses import engine

ROOT = Path(__file__).resolve().parents[2]
ORDINARY = ROOT / "tests" / "data" / "ordinary-mail"
SAMPLE_LEXICON = ROOT / "samples" / "lexicons" / "abq-shelters.yaml"


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(statuses.detectors())


def found(scanner: Scanner, text: str, category: str) -> list[Finding]:
    return [f for f in scanner.scan(text) if f.category == category]


# (category, discloses a person's status, same words without a person's status)
PAIRS: list[tuple[str, str, str]] = [
    # immigration_status
    (
        "immigration_status",
        "Per our file, Luis Ortega Baca entered without inspection in 2009, no lawful status.",
        "Applicants who entered without inspection may not be eligible for adjustment of status.",
    ),
    (
        "immigration_status",
        "His mother is a lawful permanent resident; his father is undocumented.",
        "Lawful permanent residents may be eligible for SNAP after five years.",
    ),
    (
        "immigration_status",
        "Ms. Delgado has TPS through September and her EAD is valid.",
        "If the customer has TPS, staff should accept the EAD as proof of identity.",
    ),
    (
        "immigration_status",
        "Defendant has an active ICE detainer and is in removal proceedings.",
        "An ICE detainer (Form I-247) is not signed by a judge and is not a court order.",
    ),
    (
        "immigration_status",
        "Mr. Ruiz is a DACA recipient.",
        "Our office no longer answers questions about DACA status.",
    ),
    (
        "immigration_status",
        "La señora Ramírez es indocumentada y su hijo nació aquí.",
        "Las personas indocumentadas pueden recibir atención de emergencia.",
    ),
    (
        "immigration_status",
        "El Sr. Carrasco fue deportado en 2017 y regresó.",
        "La ley prohíbe compartir información sobre personas deportadas.",
    ),
    # national_origin
    (
        "national_origin",
        "Mr. Fuentes was born in San Pedro Sula, Honduras.",
        "Many residents of the county were born in Mexico, according to the census.",
    ),
    (
        "national_origin",
        "Claimant is a Guatemalan national and speaks Mam.",
        "The Guatemalan consulate will open a mobile office in Las Cruces.",
    ),
    (
        "national_origin",
        "She is originally from Michoacán.",
        "The shipment from Michoacán arrived Tuesday.",
    ),
    (
        "national_origin",
        "El Sr. Peña nació en Oaxaca y llegó en 2004.",
        "La feria de Oaxaca será en el centro comunitario.",
    ),
    (
        "national_origin",
        "Llamó la señora Vidal. Es hondureña y vive con su tía en Anthony.",
        "Trabajo con clientes de Honduras y de toda Centroamérica.",
    ),
    # public_assistance
    (
        "public_assistance",
        "Ms. Torres has been on SNAP since 2015 and the kids are on Medicaid.",
        "SNAP benefits will increase in October for all households.",
    ),
    (
        "public_assistance",
        "He gets food stamps and SSI.",
        "To apply for food stamps, visit your local ISD office.",
    ),
    (
        "public_assistance",
        "Her Section 8 voucher was transferred to Bernalillo County.",
        "The Section 8 waiting list reopens in March for new applicants.",
    ),
    (
        "public_assistance",
        "La familia recibe estampillas de comida y los niños tienen Medicaid.",
        "Los beneficios de Medicaid cambiarán en octubre para todas las familias.",
    ),
    # crime_victim
    (
        "crime_victim",
        "She is a survivor of domestic violence and has a protective order against her ex.",
        "The DV Resource Line is open 24 hours for survivors of domestic violence.",
    ),
    (
        "crime_victim",
        "Client was sexually assaulted in 2018 and is afraid to go home.",
        "He is on probation for a domestic violence charge.",
    ),
    (
        "crime_victim",
        "La señora es víctima de violencia doméstica.",
        "El programa ayuda a víctimas de violencia doméstica.",
    ),
    # sexual_orientation
    (
        "sexual_orientation",
        "He is gay and lives with his partner in Nob Hill.",
        "The gay pride parade is Saturday on Central.",
    ),
    (
        "sexual_orientation",
        "Mr. Baca lives with his same-sex partner.",
        "Same-sex marriage has been legal in New Mexico since 2013.",
    ),
    (
        "sexual_orientation",
        "El Sr. Lucero vive con su pareja del mismo sexo.",
        "La comunidad gay organizó una marcha.",
    ),
    # gender_identity
    (
        "gender_identity",
        "She is a transgender woman and uses the name Valeria.",
        "Transgender people may update their gender marker without a doctor's note.",
    ),
    (
        "gender_identity",
        "Client identifies as nonbinary and uses they/them pronouns.",
        "The form now has a box for nonbinary applicants.",
    ),
    (
        "gender_identity",
        "La Sra. Ibarra es una mujer trans.",
        "We are transitioning to the new case management system.",
    ),
    # disability
    (
        "disability",
        "He has schizophrenia and was hospitalized at the state hospital in 2018.",
        "Centennial Care covers people with serious mental illness.",
    ),
    (
        "disability",
        "Client uses a wheelchair and needs a ground-floor interview room.",
        "The building is wheelchair accessible.",
    ),
    (
        "disability",
        "Mr. Ortiz is HIV positive.",
        "HIV testing is free on Tuesdays.",
    ),
    (
        "disability",
        "She was diagnosed with PTSD after the accident.",
        "Open enrollment for the disability insurance plan closes Friday.",
    ),
    (
        "disability",
        "El Sr. Gallegos tiene esquizofrenia y su hija usa silla de ruedas.",
        "Personas con discapacidad pueden pedir ayuda en la recepción.",
    ),
    # religion
    (
        "religion",
        "He is Muslim and prays five times a day.",
        "Staff must not ask what religion a customer practices.",
    ),
    (
        "religion",
        "The family attends St. Joseph's parish in Socorro.",
        "The church parking lot will be closed Sunday.",
    ),
    (
        "religion",
        "The Sr. Vega es católico y va a misa todos los domingos.",
        "Catholic Charities will hold a legal clinic after Christmas.",
    ),
    # homeless_status
    (
        "homeless_status",
        "He has been homeless since his eviction in March.",
        "The city counted 1,500 people experiencing homelessness.",
    ),
    (
        "homeless_status",
        "She is staying at the Joy Junction shelter.",
        "The homeless shelter is collecting donations of warm coats.",
    ),
    (
        "homeless_status",
        "Client sleeps in his truck behind the Walmart.",
        "Shelter beds are available on a first-come basis.",
    ),
    (
        "homeless_status",
        "El Sr. Jaramillo vive en su carro desde enero.",
        "El albergue para personas sin hogar necesita cobijas.",
    ),
]


@pytest.mark.parametrize(("category", "positive", "negative"), PAIRS)
def test_case_note_discloses_policy_text_does_not(
    scanner: Scanner, category: str, positive: str, negative: str
) -> None:
    assert found(scanner, positive, category), f"missed: {positive}"
    assert not found(scanner, negative, category), f"false alarm: {negative}"


def test_pairs_cover_every_category_in_both_languages() -> None:
    cats = {c for c, _, _ in PAIRS}
    assert cats == set(STATUS_CATEGORIES)


# More phrasings: text-message style, quoted replies, record fields, news and notices.
MORE: list[tuple[str, bool, str]] = [
    ("immigration_status", True, "> he has a green card but his wife's tourist visa expired"),
    ("immigration_status", True, "yeah she's undocumented, came over in 2006"),
    (
        "immigration_status",
        True,
        "The customer presented an I-766 EAD as his lawful presence document.",
    ),
    (
        "immigration_status",
        True,
        "SAVE response: Lawful Permanent Resident. Applicant: Maria Olivas.",
    ),
    ("immigration_status", True, "Juan tiene DACA desde 2015 y trabaja en la construcción."),
    ("immigration_status", False, "The DACA program was created in 2012 by executive action."),
    ("immigration_status", False, "A green card is proof of lawful permanent residence."),
    (
        "immigration_status",
        False,
        "Remind the customer that an expired visa cannot prove identity.",
    ),
    ("national_origin", True, "He's from Juárez originally, been here 10 yrs"),
    ("national_origin", True, "Subject is a citizen of Mexico."),
    ("national_origin", True, "La clienta es de Honduras y tiene dos hijos."),
    ("national_origin", False, "I'm flying back from Guatemala City on Sunday."),
    ("national_origin", False, "Spanish classes start Monday at the library."),
    ("national_origin", False, "Cuban sandwiches are on the menu Friday."),
    ("public_assistance", True, "mom gets WIC for the baby"),
    ("public_assistance", True, "El Sr. Ortega llamó. Está en Medicaid desde el año pasado."),
    ("public_assistance", False, "LIHEAP applications open November 1."),
    ("crime_victim", True, "He was robbed at gunpoint outside the bus station last spring."),
    ("crime_victim", True, "Ms. Olguin told me her ex-husband stalked her for months."),
    ("crime_victim", False, "He was arrested for assault on a household member."),
    ("sexual_orientation", True, "His boyfriend picks him up after his shift."),
    ("sexual_orientation", False, "The bill bans discrimination based on sexual orientation."),
    ("gender_identity", True, "Offender is transgender and requests female staff for searches."),
    ("gender_identity", False, "Our team transitioned to the new phone system in May."),
    ("disability", True, "She is deaf and needs an ASL interpreter at the hearing."),
    ("disability", False, "The account was disabled after three failed logins."),
    ("disability", False, "She explained that clients who have schizophrenia get a caseworker."),
    ("religion", True, "Mr. Haddad observes Ramadan and asked to reschedule his interview."),
    ("religion", False, "Mass transit fares go up in July."),
    ("homeless_status", True, "he's been couch surfing at his cousin's since the eviction"),
    ("homeless_status", False, "Please shelter in place until the all-clear."),
    # record formats: dotted leaders, field labels, Spanish idioms
    (
        "national_origin",
        True,
        "Name ....... MORALES, Ines\nDOB ........ 02/11/1988\nCountry of birth ..... Guatemala",
    ),
    (
        "immigration_status",
        True,
        "Name: PEREZ, Jose\nDOB: 01/01/1990\nEAD category C08, valid to 2021",
    ),
    ("immigration_status", True, "El Sr. Lara sacó la residencia en 2015."),
    ("religion", True, "She practices Islam and asked for a female interviewer."),
    ("religion", False, "The cafeteria now offers halal and kosher options."),
    ("homeless_status", True, "He sleeps under the bridge on 4th most nights."),
    ("homeless_status", False, "The park under the bridge is closed for repairs."),
]


@pytest.mark.parametrize(("category", "expected", "text"), MORE)
def test_more_phrasings(scanner: Scanner, category: str, expected: bool, text: str) -> None:
    assert bool(found(scanner, text, category)) is expected, text


# Shapes an independent corpus writer used that the rules first missed (every sentence here
# is new): Spanish predicates, reported speech and first person, field labels without a
# colon or without record cues, more immigration phrasings, note fragments after a name.
RECALL: list[tuple[str, str]] = [
    # Spanish: reported speech and first person leave the subject unsaid
    ("immigration_status", "Me dijo que es indocumentado y que no quiere problemas."),
    ("immigration_status", "Yo soy indocumentada y tengo miedo de ir a la oficina."),
    ("national_origin", "Me comentó que es hondureño y que llegó en 2016."),
    ("national_origin", "Dice que es de Fresnillo, Zacatecas, pero vive aquí desde niño."),
    ("religion", "Es cristiano evangélico y no trabaja los domingos."),
    ("religion", "Nos dijo que es cristiano evangélico."),
    ("religion", "Sra. Lucero (católica) pidió que la cita no sea en Semana Santa."),
    ("disability", "Mi suegra usa silla de ruedas y no puede subir escaleras."),
    ("disability", "Dice que usa silla de ruedas desde el accidente de trabajo."),
    ("disability", "A mi esposo le dio un derrame cerebral el año pasado."),
    ("disability", "Al señor Baca le dio un derrame y quedó paralizado del lado izquierdo."),
    ("crime_victim", "Se mudó con su hermana por la violencia doméstica."),
    ("crime_victim", "Me separé de él por la violencia doméstica."),
    ("public_assistance", "Ya metí la solicitud de SNAP y de Medicaid."),
    ("public_assistance", "Ya apliqué para SNAP en la oficina de Las Cruces."),
    ("public_assistance", "Recibo SNAP desde el año pasado."),
    ("homeless_status", "Estoy en el albergue de la calle Tercera desde el lunes."),
    ("homeless_status", "Yo duermo en mi carro porque no tengo dónde quedarme."),
    ("homeless_status", "Estuvo durmiendo en la calle dos semanas."),
    # field labels: no colon, abbreviations in the place, no other record cue
    ("national_origin", "ORTIZ, Ramon   DOB 04/17/1985   birthplace Chihuahua, Mexico"),
    ("national_origin", "Name: Ramon ORTIZ\nPlace of birth: Cd. Juarez, Chihuahua, Mexico"),
    ("national_origin", "Place of Birth.......Chihuahua, Mexico"),
    ("national_origin", "Applicant TRAN, Minh: Country of birth VIETNAM; Class of admission RE."),
    ("national_origin", "COUNTRY OF BIRTH: VIETNAM"),
    # immigration phrasings; a birth in the United States is a citizenship fact
    ("immigration_status", "Mario Flores is a Mexican national with a final order."),
    ("immigration_status", "Per EOIR, respondent is under a final order."),
    ("immigration_status", "Brother got picked up by ICE last week."),
    ("immigration_status", "Father: Emeka Abara. Naturalized 2011."),
    ("immigration_status", "He was born in Phoenix."),
    ("immigration_status", "Both parents were born in Chicago, Illinois."),
    ("immigration_status", "MORENO, Diego  DOB 07/07/1999  born in Denver, CO"),
    # note fragments after the name they are about
    ("sexual_orientation", "Probationer Diaz: openly gay, lives with partner."),
    ("sexual_orientation", "Intake for Tomas Reyes, 19.\nOpenly gay; partner is Luis."),
    ("homeless_status", "Spoke with Dennis Yazzie today. Slept in car two nights."),
    (
        "public_assistance",
        "Tenant: Gloria Apodaca, DOB 1/4/1970. Section 8 voucher holder since 2016.",
    ),
    ("public_assistance", "Mrs. Ruiz called back. Applied for LIHEAP in November."),
    # more of the same shapes, other words
    ("immigration_status", "Tiene una orden final de deportación."),
    ("immigration_status", "A mi hermano lo agarró la migra la semana pasada."),
    ("immigration_status", "Se le venció la visa de estudiante en 2015."),
    ("immigration_status", "Nació en Denver y es ciudadano."),
    ("immigration_status", "ICE picked him up at the courthouse on Friday."),
    ("national_origin", "Es originaria de Oaxaca."),
    ("national_origin", "Client's country of birth is El Salvador."),
    ("national_origin", "Nacionalidad: hondureña"),
    ("national_origin", "El joven, hondureño de 17 años, llegó solo en 2019."),
    ("national_origin", "Juan Pérez — hondureño, 34 años, vive en Anthony."),
    ("national_origin", "Place of birth (city, state, country): Chihuahua, Chihuahua, Mexico"),
    ("national_origin", "Country of birth…………VIETNAM"),
    ("national_origin", "SAVE: Country of Citizenship: VIETNAM; Class: LPR"),
    ("religion", "Name: Ana Ruiz\nReligion: Catholic"),
    ("homeless_status", "Me estoy quedando en el albergue."),
    ("homeless_status", "No tiene dónde vivir desde que lo corrieron."),
    ("homeless_status", "Antes de que lo arrestaran dormía en la calle cerca del mercado."),
    ("public_assistance", "She's on Section 8 and works part time."),
]

FALSE_ALARMS: list[tuple[str, str]] = [
    # "sus" is also "your", "los" also the generic article: eligibility statements
    (
        "immigration_status",
        "Preguntas frecuentes\n¿Puedo pedir SNAP para mis hijos?\n"
        "Sí. Sus hijos ciudadanos pueden recibir SNAP aunque usted no califique.",
    ),
    (
        "immigration_status",
        "Los padres indocumentados con hijos ciudadanos pueden solicitar Medicaid.",
    ),
    ("homeless_status", "Las personas que viven en su carro pueden pedir ayuda en el condado."),
    # a business that takes benefits; a health plan named after a denomination
    ("public_assistance", "Ana Lopez runs a food stand that takes SNAP/EBT."),
    ("public_assistance", "Reminder: Sunrise Market now takes SNAP/EBT and WIC."),
    ("religion", "Client Ana Lopez, DOB 02/03/1980, is on Centennial Care (Presbyterian)."),
    ("religion", "MCO: Presbyterian | DOB 02/03/1980 | LOPEZ, Ana"),
    ("religion", "Her MCO is Presbyterian."),
    # leaving "because of DV" is a victim's; an arrest for it is not
    ("crime_victim", "Lo arrestaron por violencia doméstica y salió con fianza."),
    ("crime_victim", "He was arrested because of domestic violence and left the county."),
    # the same words without anyone's status
    ("religion", "Es católica la mayoría de la población del estado, según el censo."),
    ("homeless_status", "Estamos en el albergue de animales los sábados como voluntarios."),
    ("homeless_status", "Tips for winter: never sleep in car with the engine running."),
    ("immigration_status", "Born in Chicago, the program expanded to New Mexico in 2015."),
    ("immigration_status", "Subject: final order\nThe court entered a final order in the divorce."),
    (
        "national_origin",
        "Place of birth Chihuahua, Mexico is printed on the old forms as a sample.",
    ),
    ("national_origin", "Country of birth: ____________   Date of birth: __________"),
    ("sexual_orientation", "The bill protects openly gay teachers from being fired."),
    ("homeless_status", "Antes de la pandemia mucha gente dormía en la calle."),
    ("public_assistance", "Under Section 8 of the contract, the vendor is liable."),
]


@pytest.mark.parametrize(("category", "text"), RECALL)
def test_recall_shapes(scanner: Scanner, category: str, text: str) -> None:
    assert found(scanner, text, category), text


@pytest.mark.parametrize(("category", "text"), FALSE_ALARMS)
def test_false_alarm_shapes(scanner: Scanner, category: str, text: str) -> None:
    assert not found(scanner, text, category), text


def test_a_birth_in_the_us_is_no_national_origin(scanner: Scanner) -> None:
    cats = {f.category for f in scanner.scan("Client was born in Los Angeles, CA.")}
    assert cats == {"immigration_status"}


# --------------------------------------------------------------------------- context rules


@pytest.mark.parametrize(
    ("category", "text"),
    [
        ("homeless_status", "She is not homeless."),
        ("public_assistance", "He does not receive SNAP."),
        ("disability", "She is not disabled."),
        ("religion", "He is not Muslim."),
    ],
)
def test_negation_cancels(scanner: Scanner, category: str, text: str) -> None:
    assert not found(scanner, text, category)


@pytest.mark.parametrize(
    ("text", "span_has"),
    [
        ("He told me he is not a U.S. citizen.", "not"),
        ("Mr. Ledezma is not a qualified alien.", "not"),
        ("Ella no tiene papeles.", "no tiene papeles"),
    ],
)
def test_immigration_negation_is_itself_a_status(
    scanner: Scanner, text: str, span_has: str
) -> None:
    fs = found(scanner, text, "immigration_status")
    assert fs, text
    assert span_has in fs[0].text


def test_us_citizen_is_an_immigration_status(scanner: Scanner) -> None:
    assert found(scanner, "Mr. Aranda is a U.S. citizen.", "immigration_status")


@pytest.mark.parametrize(
    "text",
    [
        "If the applicant is undocumented, refer the case to a supervisor.",
        "Staff may not confirm whether a customer has DACA.",
        "Is he undocumented?",
        "¿Es indocumentado?",
        "Si usted no tiene papeles, no está obligado a dar su estatus migratorio.",
        "Q: The officer says the client has a detainer. Does that change anything?",
        "Is this person a U.S. citizen?   [ ] Yes   [ ] No",
    ],
)
def test_hypotheticals_questions_forms_and_faq_are_not_disclosures(
    scanner: Scanner, text: str
) -> None:
    assert not found(scanner, text, "immigration_status"), text


def test_statistics_and_program_descriptions_are_not_disclosures(scanner: Scanner) -> None:
    table = (
        "Doña Ana County indicators, 2019\n"
        "Active DACA recipients (county est.)      212\n"
        "Households receiving SNAP                 21,980\n"
        "Residents with a disability               15.1%\n"
        "Same-sex couple households                612\n"
    )
    assert scanner.scan(table) == []


def test_case_record_table_discloses(scanner: Scanner) -> None:
    table = (
        "Name | DOB | Country of birth | Program\n"
        "PADILLA ROMO, Ines | 02/11/1988 | El Salvador | SNAP\n"
        "KHAN, Farid | 07/30/1979 | Afghanistan | Medicaid\n"
    )
    cats = {f.category for f in scanner.scan(table)}
    assert {"national_origin", "public_assistance"} <= cats


def test_accent_insensitive_matching(scanner: Scanner) -> None:
    for text in (
        "El Sr. Soto está en situación migratoria irregular.",
        "El Sr. Soto esta en situacion migratoria irregular.",
        "EL SR. SOTO ESTÁ EN SITUACIÓN MIGRATORIA IRREGULAR.",
    ):
        assert found(scanner, text, "immigration_status"), text


def test_spans_are_minimal_phrases(scanner: Scanner) -> None:
    text = "Thanks for calling back. Mr. Ruiz is a DACA recipient and his wife is undocumented."
    fs = found(scanner, text, "immigration_status")
    assert [f.text for f in fs] == ["DACA recipient", "undocumented"]
    for f in fs:
        assert text[f.start : f.end] == f.text


def test_confidence_reflects_person_context(scanner: Scanner) -> None:
    bound = found(scanner, "Mr. Ruiz is a DACA recipient.", "immigration_status")
    record = found(
        scanner,
        "Name: Ruiz, Carlos\nDOB: 01/02/1990\nStatus: DACA recipient\n",
        "immigration_status",
    )
    assert bound and record
    assert bound[0].confidence > record[0].confidence >= 0.5


def test_findings_name_their_rules(scanner: Scanner) -> None:
    fs = scanner.scan("She is homeless and receives SNAP.")
    assert {f.detector for f in fs} == {"statuses.homeless_status", "statuses.public_assistance"}
    assert all(f.evidence for f in fs)


def test_ordinary_words_stay_silent(scanner: Scanner) -> None:
    for text in (
        "We reserved the back room at La Paloma, the Mexican restaurant in Old Mesilla.",
        "Christian Martinez called about his appointment.",
        "My concerns fell on deaf ears.",
        "The printer is disabled until IT fixes it.",
        "oh snap, I forgot my lunch at home",
        "Trans fats are banned in restaurants.",
        "Merry Christmas from all of us at the Cruces office!",
        "The Great Depression shaped the New Deal.",
    ):
        assert scanner.scan(text) == [], text


# --------------------------------------------------------------------------- ordinary mail


def test_ordinary_mail_raises_nearly_no_status_finding(scanner: Scanner) -> None:
    files = sorted(ORDINARY.glob("*.txt"))
    assert len(files) >= 20
    per_message = {f.name: scanner.scan(f.read_text(encoding="utf-8")) for f in files}
    total = sum(len(v) for v in per_message.values())
    assert total / len(files) <= 0.1, {k: [x.text for x in v] for k, v in per_message.items() if v}
    assert all(len(v) <= 1 for v in per_message.values())


# --------------------------------------------------------------------------- user lexicons


@pytest.fixture(scope="module")
def user_scanner() -> Scanner:
    return Scanner(statuses.detectors([load_user_lexicon(SAMPLE_LEXICON)]))


def test_user_lexicon_shelter_needs_a_person(user_scanner: Scanner) -> None:
    stay = "He has been staying at the Westside Emergency Housing Center since May."
    drive = "The Westside Emergency Housing Center is collecting coats this week."
    assert found(user_scanner, stay, "homeless_status")
    assert not found(user_scanner, drive, "homeless_status")


def test_user_lexicon_without_person_context_always_counts(user_scanner: Scanner) -> None:
    text = "Safe Harbor Confidential Family Shelter board meeting is Tuesday."
    assert found(user_scanner, text, "homeless_status")


def test_user_lexicon_program_binds_through_verbs(user_scanner: Scanner) -> None:
    assert found(user_scanner, "She is enrolled in the Sunrise Survivors Program.", "crime_victim")
    assert not found(user_scanner, "The Sunrise Survivors Program is hiring.", "crime_victim")


def test_builtin_scanner_ignores_user_terms(scanner: Scanner) -> None:
    text = "Intake note: referred to Safe Harbor Confidential Family Shelter."
    assert not found(scanner, text, "homeless_status")


# --------------------------------------------------------------------------- detector contract


def test_detector_contract() -> None:
    dets = statuses.detectors()
    assert dets and all(isinstance(d, Detector) for d in dets)
    keys = [p.key for d in dets for p in d.patterns()]
    assert len(keys) == len(set(keys))
    assert all(k.startswith(f"{d.id}.") for d in dets for k in (p.key for p in d.patterns()))
    assert {c for d in dets for c in d.categories} == set(STATUS_CATEGORIES)


@pytest.mark.skipif(not HAVE_HYPERSCAN, reason="needs Hyperscan to compare with")
def test_hyperscan_and_re_backends_agree() -> None:
    det = statuses.detectors()[0]
    hs = PatternSet(det.patterns(), use_hyperscan=True)
    rx = PatternSet(det.patterns(), use_hyperscan=False)
    assert hs.backend == "hyperscan" and rx.backend == "re"
    for _, positive, negative in PAIRS:
        for text in (positive, negative):
            a = [(f.category, f.start, f.end) for f in det.detect(ScanContext(text, hs.scan(text)))]
            b = [(f.category, f.start, f.end) for f in det.detect(ScanContext(text, rx.scan(text)))]
            assert a == b, text


def test_scanner_category_filter(scanner: Scanner) -> None:
    text = "She is homeless and receives SNAP."
    fs = scanner.scan(text, categories=["public_assistance"])
    assert [f.category for f in fs] == ["public_assistance"]


# --------------------------------------------------------------------------- engine machinery


def test_document_cues_are_not_prefiltered() -> None:
    """Record and memo cues (dates, SSN shapes, "training"...) fire thousands of times per MB
    of ordinary mail: the detector looks for them lazily, not in the one-pass prefilter."""
    det = statuses.detectors()[0]
    keys = [p.key for p in det.patterns()]
    assert keys and not [k for k in keys if ".cue." in k]


def test_a_text_without_candidates_builds_no_document_view(scanner: Scanner) -> None:
    text = "Invoice 2019-0412, DOB 01/02/1990, SSN 585-20-1234: the newsletter covers training."
    ctx = ScanContext(text, scanner.patterns.scan(text))
    assert list(scanner.detectors[0].detect(ctx)) == []
    assert engine.DOC_KEY not in ctx._shared


def test_memo_signal_lowers_confidence_lazily(scanner: Scanner) -> None:
    note = "Case note 4471. Client Ana Ruiz, DOB 02/03/1980.\nShe receives SNAP.\n"
    memo = "NEWSLETTER - all staff\nUnsubscribe at www.example.org\n\nShe receives SNAP.\n"
    a = found(scanner, note, "public_assistance")
    b = found(scanner, memo, "public_assistance")
    assert a and b and a[0].confidence > b[0].confidence


def test_sentence_memo_gives_the_same_findings_as_a_fresh_detector() -> None:
    """The second memo (the sentence by the text around a candidate) must not carry one
    text's sentence into another whose bounds differ."""
    texts = [
        "Called Mr. Ruiz. He is undocumented. Will follow up.",
        "Reviewed the file. He is undocumented. Will follow up.",
        "The policy says no one is asked whether he is undocumented. Will follow up.",
        "x" * 400 + " he is undocumented and " + "y" * 400,
        "Call back. he is undocumented and " + "y" * 400,
    ]
    warm = Scanner(statuses.detectors())
    for t in texts * 2:
        fresh = Scanner(statuses.detectors())
        assert warm.scan(t) == fresh.scan(t), t


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Ruiz is a DACA recipient. Dr. Lee saw him on 3/4. U.S. citizen? No.",
        "Place of birth ....... Mexico\nName: Juan O. Perez, Jr.",
        "Hi! Is he here? Yes. He is. Mr. Ruiz... ok!?  x",
        "a.b.c.d.e.f. Go\nnext. line? no!x y",
    ],
)
def test_sentence_span_reads_only_what_it_reports(text: str) -> None:
    """Changing any character outside the reported stretch leaves the bounds as they are."""
    rng = random.Random(7)
    for start in range(0, len(text) - 1, 3):
        end = start + 1
        ss, se, lo, hi = engine.sentence_span(text, start, end)
        assert (ss, se) == engine.sentence_bounds(text, start, end)
        for _ in range(5):
            other = "".join(
                c if lo <= i < hi else rng.choice("ab .\n!?") for i, c in enumerate(text)
            )
            assert engine.sentence_span(other, start, end)[:2] == (ss, se)


def test_person_references_match_the_plain_pattern() -> None:
    """CueSet._references tries the person pattern only where a reference can start; it
    must find exactly what ``finditer`` over every character finds."""
    cues = statuses.detectors()[0].rules("disability").cues
    texts = [
        "mama es indocumentada. Mamá dijo que él no tiene papeles. ÉL sí.",
        "los dos reciben cupones; Ambos viven aqui. hes undocumented, theyre here",
        "the following clients are undocumented. These people. Both of them.",
        "Client: MORALES GARCIA, Ines; client Juan Perez has SNAP; I'm homeless",
        "Sr. Lopez y la Sra. GARCIA. - mom is on WIC\n- Dad has SSI. our client, the defendant",
        "Doña Ana County offices; El esposo de la clienta; doña Rosa vive con su hija",
    ]
    for t in texts:
        want = [(m.start(), m.end(), m.lastgroup) for m in cues.person.finditer(t)]
        got = [(m.start(), m.end(), m.lastgroup) for m in cues._references(t)]
        assert got == want, t


# --- record fields, informal statements and boilerplate (fields.py, lexicon additions) ---

_FIELD_CASES = [
    ("Nombre: Rosa Ibarra\nReligión (opcional): Adventista del Séptimo Día", "religion"),
    ('{"client": "T. Lucero", "gender_identity": "genderfluid"}', "gender_identity"),
    ('{"id": 7, "orientacion_sexual": "lesbiana"}', "sexual_orientation"),
    ("client_dx: bipolar II, hipertensión\nclient_dob: 04/11/1980", "disability"),
    ("¿Ha sido víctima de un delito? Sí - robo con violencia, 2022", "crime_victim"),
    ("HOMELESS? YES\nDOB: 01/02/1970", "homeless_status"),
    ("spouse_citizenship: LPR since 2009", "immigration_status"),
]


@pytest.mark.parametrize(("text", "category"), _FIELD_CASES)
def test_filled_status_fields(text: str, category: str) -> None:
    assert category in {f.category for f in Scanner.default().scan(text)}


_BLANK_FIELDS = [
    "Religion: ________\nGender identity: M / F / X\nVictim of violence? Y / N",
    "Sexual orientation: prefer not to say\nDisability: N/A\nHOMELESS: N",
    "Gender identity: Female",
    "Are you a victim of domestic violence? Call our hotline at any hour.",
]


@pytest.mark.parametrize("text", _BLANK_FIELDS)
def test_blank_or_template_fields_are_silent(text: str) -> None:
    statuses = {"religion", "gender_identity", "crime_victim", "sexual_orientation"}
    statuses |= {"disability", "homeless_status"}
    assert not statuses & {f.category for f in Scanner.default().scan(text)}


_INFORMAL = [
    ("Mrs. Baca and her boys have been living in a motel since March.", "homeless_status"),
    ("Tomás is on an emergency motel voucher through the county.", "homeless_status"),
    ("Doña Elvira está en la calle desde que la corrieron.", "homeless_status"),
    ("Mi hermano no tiene a dónde ir.", "homeless_status"),
    ("Her cousin says he doesn't have papers.", "immigration_status"),
    ("Mi suegro tiene DACA desde 2014.", "immigration_status"),
    ("Renata said her ex threatened her with a bat.", "crime_victim"),
    ("Ella denunció violencia doméstica en marzo.", "crime_victim"),
    ("Mi nieto se identifica como chica desde el año pasado.", "gender_identity"),
]


@pytest.mark.parametrize(("text", "category"), _INFORMAL)
def test_informal_status_statements(text: str, category: str) -> None:
    assert category in {f.category for f in Scanner.default().scan(text)}


_NEAR_MISSES = [
    (
        "No discriminamos sin importar la religión u orientación sexual de nadie.",
        "sexual_orientation",
    ),
    (
        "We serve everyone regardless of sexual orientation or gender identity.",
        "sexual_orientation",
    ),
    ("Duties: outreach to youth experiencing homelessness.", "homeless_status"),
    ("The role includes referrals to Medicaid and housing assistance.", "public_assistance"),
    ("Free diabetes screening at the fair on Saturday.", "disability"),
    ("I'm in the car, see you in ten minutes.", "homeless_status"),
    ("We stayed at a hotel downtown for the conference.", "homeless_status"),
]


@pytest.mark.parametrize(("text", "category"), _NEAR_MISSES)
def test_status_near_misses(text: str, category: str) -> None:
    assert category not in {f.category for f in Scanner.default().scan(text)}


# Second round: tag questions, reported speech, dated events, letters to the reader,
# origin after a name or a claim, quoted examples of wording.
_ROUND2_POSITIVES = [
    # a statement asking only to be confirmed presupposes the status
    ("Ortega 10:12: the tall guy is from Zacatecas, right?", "national_origin"),
    ("Ríos 3:40 PM: es guatemalteca ¿verdad?", "national_origin"),
    ("Beltran: he's the one with the ICE detainer, right?", "immigration_status"),
    ("Luz said her neighbor gets food stamps, doesn't she?", "public_assistance"),
    # Spanish reported speech and object clitics
    ("Hablé con Rosa ayer. Me contó que lo deportaron en 2018.", "immigration_status"),
    ("Vino el Sr. Pacheco. Nos dijo que fue deportado hace años.", "immigration_status"),
    # dated events
    ("Per the file, Mr. Quintana was removed in 2011 and came back.", "immigration_status"),
    ("Her brother was removed on 4/12/2017.", "immigration_status"),
    # predicates in a row after a comma
    ("Talked to Nestor. came in 2005, got deported in 2012", "immigration_status"),
    # a claim of origin, a country after a name in a roster
    ("SHE CLAIMS TO BE FROM GUATEMALA AND HAS NO ID.", "national_origin"),
    ("Mara is from Venezuela and works nights.", "national_origin"),
    ("09:15  ROMERO SOTO, Inés   (El Salvador)   asilo", "national_origin"),
    # a letter to a named person about their own benefits
    (
        "Dear Yolanda Marquez:\n\nYour application for Medicaid has been approved.",
        "public_assistance",
    ),
    (
        "Estimada Sra. Olguín:\n\nSu solicitud de beneficios de SNAP fue aprobada.",
        "public_assistance",
    ),
    # a prohibition's clause ends at a comma before a new subject
    (
        "Please don't tell anyone, my son is in removal proceedings.",
        "immigration_status",
    ),
    # lower-case chat sentences split at a period before "also", "he", "i"
    (
        "hi its Lupe. i didnt say anything. also she has a green card. what do i do??",
        "immigration_status",
    ),
]


@pytest.mark.parametrize(("text", "category"), _ROUND2_POSITIVES)
def test_round2_status_statements(text: str, category: str) -> None:
    assert category in {f.category for f in Scanner.default().scan(text)}


_ROUND2_NEAR_MISSES = [
    # genuine questions and policy questions stay questions
    ("Can we share someone's TPS status with ICE, right?", "immigration_status"),
    ("¿Puede recibir SNAP un residente o no?", "public_assistance"),
    ("Is the applicant from Honduras, right?", "national_origin"),
    # countries and their people are not persons
    ("3. Update: court ruling on Nicaragua and Haiti TPS", "immigration_status"),
    ("i thought Venezuelans couldn't be deported", "immigration_status"),
    # generic statements and statistics
    ("La mayoría son originarios de Oaxaca y Guerrero.", "national_origin"),
    ("Most are from Guatemala, according to the report.", "national_origin"),
    # a letter to no one in particular, a program description
    ("Dear Applicant:\n\nYour application for Medicaid has been approved.", "public_assistance"),
    ("Your application for SNAP will be processed within 30 days.", "public_assistance"),
    # a date alone does not make "removed" an immigration event
    ("The old signage was removed in 2014.", "immigration_status"),
    # quoted examples of wording in a training text
    (
        'Examples of disclosure: a phrase like "the\nclient is undocumented" or "she '
        'is staying at the shelter" in an email.',
        "immigration_status",
    ),
    (
        'Examples of disclosure: a phrase like "the client is undocumented" or "she '
        'is staying at the shelter" in an email.',
        "homeless_status",
    ),
    # a list item mentioning a place in a sentence of its own
    (
        "Parish news:\n- Ana Ruiz, 03/04/1980\n* Blanket drive for the Westside shelter"
        " this Sunday.",
        "homeless_status",
    ),
    # the name of a field is no value
    (
        "Reminders:\n- Juan Perez 01/02/1990\n- Immigration status, DOB and SSN are private.",
        "immigration_status",
    ),
    # a prohibition's complement after a comma is still forbidden wording
    ("Do not write, in any email, that Mr. Ruiz is undocumented.", "immigration_status"),
]


@pytest.mark.parametrize(("text", "category"), _ROUND2_NEAR_MISSES)
def test_round2_near_misses(text: str, category: str) -> None:
    assert category not in {f.category for f in Scanner.default().scan(text)}


# Round 3: sentences wrapped across lines, given names alone, places of worship by name.
_ROUND3_POSITIVES = [
    # a quoted reply hard-wraps a sentence after a preposition and after a verb
    (
        "> Her neighbor told us the whole family arrived as asylum seekers from\n"
        "> Venezuela last spring, and the mother is scared.",
        "national_origin",
    ),
    (
        "> Thanks for calling back about the Montoya family. The youngest boy gets\n"
        "> SNAP through his grandmother now.",
        "public_assistance",
    ),
    # hard-wrapped prose with a lower-case continuation
    (
        "Caseworker note: Mr. Delgado told me yesterday that since the fire he has been\n"
        "sleeping in his car behind the laundromat.",
        "homeless_status",
    ),
    # a given name alone as the subject
    ("Mateo es gay y tiene miedo de volver a casa.", "sexual_orientation"),
    ("Marisol has an IEP for dyslexia at her middle school.", "disability"),
    ("Wendell sleeps in his truck most nights.", "homeless_status"),
    # a place of worship named in its own language
    ("Dice que su esposo va a la Iglesia San Martín de Porres cada domingo.", "religion"),
    ("He goes to Iglesia Bautista Emanuel on Sundays with his kids.", "religion"),
    ("Rosalba is from Peru, attends the Iglesia Cristiana Vida Nueva in Anthony.", "religion"),
]


@pytest.mark.parametrize(("text", "category"), _ROUND3_POSITIVES)
def test_round3_status_statements(text: str, category: str) -> None:
    assert category in {f.category for f in Scanner.default().scan(text)}


_ROUND3_NEAR_MISSES = [
    # a job post wrapped after a comma: programs, not anyone's benefits
    (
        "Duties: screening walk-in families for eligibility; referrals to WIC,\n"
        "Medicaid and rental assistance; outreach at the county fair.",
        "public_assistance",
    ),
    # a benefits notice wrapped after "for": the office, not an employee, has the program
    (
        "- The Employee Assistance Program now offers free sessions every quarter for\n"
        "  depression, anxiety or grief, for you and your household.",
        "disability",
    ),
    # lines of a record are not wrapped prose
    ("Name: Lucia Ortega\nNotes: referred to\nSNAP office", "public_assistance"),
    # a capitalized word that is no name
    ("This is gay pride month.", "sexual_orientation"),
    ("Volunteers are welcome, goes to church.", "religion"),
    ("Estimated undocumented residents: 1,200 (county survey)", "immigration_status"),
    ("The district has an IEP team at every school.", "disability"),
]


@pytest.mark.parametrize(("text", "category"), _ROUND3_NEAR_MISSES)
def test_round3_near_misses(text: str, category: str) -> None:
    assert category not in {f.category for f in Scanner.default().scan(text)}


def test_wrapped_lines_join_but_record_lines_do_not() -> None:
    text = "> The family came here as refugees from\n> Syria in 2016."
    start = text.index("Syria")
    ss, se = engine.sentence_bounds(text, start, start + 5)
    assert text[ss:se].lstrip("> ").startswith("The family")
    rec = "Client name: Ana Ruiz\nCountry: Syria"
    start = rec.index("Syria")
    ss, _ = engine.sentence_bounds(rec, start, start + 5)
    assert rec[ss:].startswith("Country")
    # a different quote depth is another message
    quoted = "I asked her about the family from\n> > Syria, she said yes."
    start = quoted.index("Syria")
    ss, _ = engine.sentence_bounds(quoted, start, start + 5)
    assert quoted[ss:].startswith("> > Syria")


# ------------------------------------------------------------------ structured records
# Checked boxes, XML elements and JSON values (statuses/structured.py).

_FORM_HEAD = "Applicant: Rosalind TAPIA   DOB 03/14/1979   Case # 55-2031\n"


@pytest.mark.parametrize(
    ("line", "category", "span"),
    [
        ("Living situation:  [ ] Rent  [x] Homeless  [ ] Own", "homeless_status", "[x] Homeless"),
        ("Programs:  ☑ Food stamps   ☐ LIHEAP", "public_assistance", "☑ Food stamps"),
        ("Status migratorio:  ☐ Ciudadano   ☒ Asilado", "immigration_status", "☒ Asilado"),
        (
            "Any disability?  (X) Yes  ( ) No   Describe: uses a walker",
            "disability",
            "uses a walker",
        ),
        ("¿Es víctima de un delito?  ☒ Sí  ☐ No", "crime_victim", "☒ Sí"),
        ("<CountryOfBirth>EL SALVADOR</CountryOfBirth>", "national_origin", "EL SALVADOR"),
        ('<Note kind="medical">epileptic, carries meds</Note>', "disability", "epileptic"),
        ('  "programs_active": ["WIC", "TANF"],', "public_assistance", "WIC"),
        ('  "living": "unhoused since June",', "homeless_status", "unhoused"),
    ],
)
def test_structured_record_values(scanner: Scanner, line: str, category: str, span: str) -> None:
    got = found(scanner, _FORM_HEAD + line + "\n", category)
    assert any(span in f.text for f in got), (line, got)


@pytest.mark.parametrize(
    "text",
    [
        # unchecked boxes and a blank template
        _FORM_HEAD + "Living situation:  [ ] Rent  [ ] Homeless  [x] Own\n",
        "Programs:  ☐ Food stamps   ☐ LIHEAP   ☐ WIC\nDisability?  ☐ Yes  ☐ No\n",
        _FORM_HEAD + "Any disability?  ( ) Yes  (X) No   Describe: ________\n",
        _FORM_HEAD + "¿Es víctima de un delito?  ☐ Sí  ☒ No\n",
        # a schema and a job post, not a person's record
        '<Field name="benefits">Select the programs the household receives</Field>\n',
        "MEMO: new intake form. Staff check [X] Homeless only when the client says so.\n"
        "Training slide 4: see https://example.org/forms\n",
    ],
)
def test_structured_negatives(scanner: Scanner, text: str) -> None:
    cats = {f.category for f in scanner.scan(text)}
    assert not cats & {"homeless_status", "public_assistance", "disability", "crime_victim"}, (
        text,
        cats,
    )


def test_spanish_tiene_condition(scanner: Scanner) -> None:
    assert found(scanner, "La maestra dice que la niña tiene autismo y epilepsia.", "disability")
    assert not found(
        scanner, "El folleto explica qué hacer si alguien tiene asma en la escuela.", "disability"
    )


# -- round: initials, auxiliaries, named motels and bridges, example lists, column headers --


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # an initial and a surname as the subject
        (
            "4. R. Atencio (25-11402) is a trans woman and asked for a single cell.",
            "gender_identity",
        ),
        # a given name before an auxiliary, a named motel, a bridge with its street between
        ("Lorena has been staying at the Sun Valley Motel since the fire.", "homeless_status"),
        ("Tomas has been sleeping under the Rio Bravo bridge for a month.", "homeless_status"),
        ("He is camping under the 2nd Street overpass again.", "homeless_status"),
        # the person's own report, a client of a clinic for a condition
        ("Probationer reports anxiety and is on a waitlist for counseling.", "disability"),
        ("She's a patient here for bipolar disorder and sees Dr. Paz monthly.", "disability"),
        ("Ana tiene diagnóstico de trastorno de ansiedad desde 2020.", "disability"),
        ("Ramiro holds a temporary disabled parking placard.", "disability"),
        # Spanish entry without inspection, a program by name, a same-sex partner
        (
            "Nos explicó que su esposo cruzó la frontera sin inspección en 2009.",
            "immigration_status",
        ),
        ("La señora Baca está en el programa de WIC con sus gemelos.", "public_assistance"),
        (
            "Client said she is in a relationship with a woman she met at work.",
            "sexual_orientation",
        ),
        ("Mr. Tso says he is a Native American Church member.", "religion"),
    ],
)
def test_round_positives(scanner: Scanner, text: str, category: str) -> None:
    assert found(scanner, text, category), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # a list of quoted examples of wording in a training handout
        (
            "Phrases that would be a disclosure if said of a real person:\n"
            '  - "The client is undocumented."\n'
            '  - "He has been staying at the family shelter."\n',
            "immigration_status",
        ),
        (
            "Phrases that would be a disclosure if said of a real person:\n"
            '  - "The client is undocumented."\n'
            '  - "He has been staying at the family shelter."\n',
            "homeless_status",
        ),
        # column headers of a count table side by side
        (
            "Region                     Sheltered    Unsheltered    Total\n"
            "Northwest                        210            98      308\n",
            "homeless_status",
        ),
        # a program in a job's duties; a street named for a motel or a bridge
        (
            "Duties: determine eligibility for General Assistance, LIHEAP and SNAP.",
            "public_assistance",
        ),
        ("Her road test is at the Motel Blvd office at 9 am.", "homeless_status"),
        ("ADDRESS ........ 415 BRIDGE ST NW, ALBUQUERQUE NM 87102", "homeless_status"),
        # a given name that is also a place word, in a name column
        ("Name\tDOB\tProgram\nRefugio Tafoya\t1961-04-09\tWIC\n", "homeless_status"),
        # a long policy sentence wrapped after a comma
        (
            "Effective today, staff shall not disclose any client's address, income, benefits,\n"
            "DACA or TPS status, or country of birth to outside callers.\n",
            "immigration_status",
        ),
        ("The bridge on Main St. was closed and we drove under the overpass.", "homeless_status"),
    ],
)
def test_round_negatives(scanner: Scanner, text: str, category: str) -> None:
    assert not found(scanner, text, category), text


# ---------------------------------------------------------------- stamped logs in capitals

_BOOKING_LOG = (
    "SANDOVAL CO DETENTION  ***  INTAKE LOG  ***  03/02/2027\n"
    "0105 RECVD INMATE TSOSIE, MARLON K.  DOB 041188  FROM BCSO\n"
    "0112 MED SCREEN: SEIZURE DISORDER, ON KEPPRA\n"
    "0120 HOME ADDR: NFA / HOMELESS\n"
    "0200 COUNT CLEAR 118\n"
)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # an unnamed entry under its person's intake entry
        (_BOOKING_LOG, "disability"),
        (_BOOKING_LOG, "homeless_status"),
        # an initial and a surname open the entry; the indented line continues it
        (
            "HOPE HOUSE - OVERNIGHT LOG\n"
            "2210 INTAKE R. BACA (F/29), BED 4. STALKING VICTIM, ADVOCATE NOTIFIED.\n"
            "2300 LIGHTS OUT.\n"
            "0045 M. ORTIZ (BED 2) UP, ANXIOUS.\n"
            "     SCHIZOPHRENIA PER SELF, MEDS IN LOCKER.\n",
            "disability",
        ),
        # a surname an earlier entry introduced, alone in a later entry
        (
            "FAMILY SHELTER SHIFT NOTES\n"
            "1900 NEW INTAKE K. YAZZIE + 1 CHILD, BED 6.\n"
            "2000 QUIET.\n"
            "0630 YAZZIE SNAP RECERT DUE FRI.\n",
            "public_assistance",
        ),
        # a dated chrono note about the offender, in lower case
        (
            "03/01/27  OV. Offender on time.\n"
            "03/05/27  HV, no issues.\n"
            "03/09/27  Offender states he has TPS and an EAD through 2028.\n",
            "immigration_status",
        ),
    ],
)
def test_log_entries_bind_their_person(scanner: Scanner, text: str, category: str) -> None:
    assert found(scanner, text, category), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # policy text in capitals, no stamped entries
        (
            "ALL STAFF: DO NOT ASK GUESTS ABOUT DV HISTORY OR DISABILITY AT INTAKE.\n"
            "REFER SNAP QUESTIONS TO THE FRONT DESK.\n",
            "crime_victim",
        ),
        # a meeting agenda with times but no person in any entry
        (
            "0900 WELCOME\n1000 SNAP OUTREACH UPDATE\n1100 TRAINING: PTSD AWARENESS\n1200 LUNCH\n",
            "disability",
        ),
        (
            "0900 WELCOME\n1000 SNAP OUTREACH UPDATE\n1100 TRAINING: PTSD AWARENESS\n1200 LUNCH\n",
            "public_assistance",
        ),
        # a stamped entry that denies the status
        (
            "0105 RECVD INMATE TSOSIE, MARLON K.  DOB 041188\n"
            "0112 MED SCREEN: DENIES DIABETES\n"
            "0200 COUNT CLEAR 118\n",
            "disability",
        ),
        # the role word itself is not a status
        (
            "0100 RESIDENT (BED 3) IN.\n0200 RESIDENT (BED 5) IN.\n0300 QUIET.\n",
            "immigration_status",
        ),
        # only two stamped lines: not a log
        (
            "0900 M. ORTIZ CALLED.\n1000 PTSD GROUP MEETS IN ROOM B.\n",
            "disability",
        ),
    ],
)
def test_log_entries_negatives(scanner: Scanner, text: str, category: str) -> None:
    assert not found(scanner, text, category), text


# ---------------------------------------------------------------- round: holdout-4 families


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # a named chronic condition stated of a person, English and Spanish
        ("My neighbor told me Delia has lupus and misses work some weeks.", "disability"),
        ("3) Tomás has severe asthma; his inhaler stays with the coach.", "disability"),
        ("Dice que el niño tiene pérdida de audición desde que nació.", "disability"),
        ("Comenta que tiene depresión desde la muerte de su esposo.", "disability"),
        ("Student evaluation: Jaylen has a speech-language impairment.", "disability"),
        # a vehicle parked somewhere as the bed; a Spanish shelter entry
        ("Said he's sleeping at a friend's driveway in his van this month.", "homeless_status"),
        ("La señora Pacheco ingresó al albergue anoche con sus dos hijos.", "homeless_status"),
        # a reported question naming a specific person
        ("The caller was asking if Ms. Benally is on WIC at this clinic.", "public_assistance"),
        # two people at once; a noun for someone who moved
        ("Sr. y Sra. Ortiz - ambos de Zacatecas, llegaron el lunes.", "national_origin"),
        ("Per the intake, she is a refugee from Eritrea.", "national_origin"),
    ],
)
def test_round4_positives(scanner: Scanner, text: str, category: str) -> None:
    assert found(scanner, text, category), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # programs or protected classes listed after a topic word
        (
            "Our navigators help tenants apply for Section 8, SNAP, Medicaid and SSI, and\n"
            "refer families to legal aid.",
            "public_assistance",
        ),
        (
            "Protected classes: race, national origin, disability, receipt of public\n"
            "assistance (SNAP, TANF, WIC), religion and crime-victim status.",
            "disability",
        ),
        (
            "Protected classes: race, national origin, disability, receipt of public\n"
            "assistance (SNAP, TANF, WIC), religion and crime-victim status.",
            "public_assistance",
        ),
        # an instruction to ask, not a report of an answer
        ("If the applicant is on WIC, ask for the folder number.", "public_assistance"),
        ("Ask the client if she receives SNAP before scheduling.", "public_assistance"),
        # a probation condition about the offender's victim
        ("Special conditions: no contact w/ victim; curfew 10 pm.", "crime_victim"),
        ("Condiciones: sin contacto con la víctima ni su familia.", "crime_victim"),
        # a bulletin item that opens with a place word
        (
            "Name: Lucía Vigil  DOB: 04/02/1990\n\n"
            "- Misa bilingüe y posada at Holy Family parish, Dec. 14 at 6 pm.\n",
            "religion",
        ),
        # health-fair and statistics wording
        ("Free asthma screenings for kids at the Saturday health fair.", "disability"),
        ("Lupus awareness walk starts at the plaza at 9 am.", "disability"),
        ("The shelter serves refugees from many countries.", "national_origin"),
        ("Participants said the program admitted 40 people in 2019.", "homeless_status"),
    ],
)
def test_round4_negatives(scanner: Scanner, text: str, category: str) -> None:
    assert not found(scanner, text, category), text


# A place given as the value of a field named after it ("listed X as her country of
# birth"), documents held ("has her residencia"), and questions that presuppose the status
# ("is he still on SSI?"), each with a near miss that names no one's status.
FINAL_ROUND_PAIRS: list[tuple[str, str, str]] = [
    (
        "national_origin",
        "At intake she gave Nicaragua as her country of birth.",
        "The importer gave Nicaragua as the country of origin for the coffee.",
    ),
    (
        "national_origin",
        "El detenido dio Honduras como su país de nacimiento.",
        "Los solicitantes que indiquen Honduras como país de nacimiento traen pasaporte.",
    ),
    (
        "immigration_status",
        "Her cousin says she has her residencia since last spring.",
        "The consulate explains how to renew a residencia card.",
    ),
    (
        "immigration_status",
        "Rafael has an ICE detainer from the county jail.",
        "The county adopted an ICE detainer policy in 2018.",
    ),
    (
        "public_assistance",
        "Is he still getting the SSI? I need it for the renewal.",
        "Is SSI still available to new applicants this year?",
    ),
    (
        "immigration_status",
        "Is this the same woman who has the immigration hold?",
        "Does anyone know how an immigration hold works?",
    ),
]


@pytest.mark.parametrize(("category", "positive", "negative"), FINAL_ROUND_PAIRS)
def test_final_round_pairs(scanner: Scanner, category: str, positive: str, negative: str) -> None:
    assert found(scanner, positive, category), positive
    assert not found(scanner, negative, category), negative


# --- ordinary software documentation stays silent on the status categories ----------

_SOFTWARE_PROSE = [
    # a backported fix list (fired before the software-documentation guard)
    "mytool (2.34-3) unstable; urgency=medium\n\n  * Update from the 2.34 branch:\n"
    "    - Fix PR 25447, prevents a potential illegal memory access when parsing\n"
    "      PE binaries.\n    - Fix PR tools/25355, import fixes for the LTO plugin.\n\n"
    " -- Jo Maintainer <jo@example.org>  Mon, 01 Jan 2024 10:00:00 +0100\n",
    # a capitalized technical word before a state word (fired before the guard)
    "k.  When compiled for strict Posix conformance (--enable-strict-posix), history\n"
    "    expansion is disabled by default.\n",
    # translation lists in a NEWS file
    "Release 0.9\n * build: Fix warnings when compiling with --enable-tests\n"
    " * Updated translations: Polish, Ukrainian, Turkish, Indonesian, Swedish,\n"
    "   Hungarian, Czech, Chinese (Simplified)\n * core: drop the unused helper foo()\n",
    # a Debian changelog entry with a man page translation and an 'illegal' access
    "mytool (1.2-3) unstable; urgency=medium\n\n  * Update German man page translation.\n"
    "    Thanks to a contributor. (Closes: #123456)\n"
    "  - Fix PR 31337, prevents an illegal memory access in the parser.\n\n"
    " -- Jo Maintainer <jo@example.org>  Mon, 01 Jan 2024 10:00:00 +0100\n",
    # imperative items and capitalized words before a state word
    "Changes in 5.1 (see CHANGES.md)\n\nk.  When compiled for strict Posix conformance,"
    " history expansion is disabled\n    by default.\n * New options --enable-x and"
    " --disable-x. Default is disabled.\n * Add README.removal describing what is to be"
    " removed after they have been removed upstream.\n * d/rules: make sure both qt5 and"
    " qt6 are disabled.\n",
]


@pytest.mark.parametrize("text", _SOFTWARE_PROSE)
def test_software_documentation_has_no_status(text: str) -> None:
    found = [f for f in Scanner.default().scan(text) if f.category in STATUS_CATEGORIES]
    assert found == []


def test_status_word_in_email_address_is_not_a_status() -> None:
    text = "Contributors:\nChristian Example          christian.example@example.org\n"
    found = [f for f in Scanner.default().scan(text) if f.category in STATUS_CATEGORIES]
    assert found == []


def test_html_title_is_not_a_record_field() -> None:
    text = "<HTML>\n<HEAD>\n<TITLE>Some removed HTML</TITLE>\n</HEAD>\n</HTML>\n"
    found = [f for f in Scanner.default().scan(text) if f.category in STATUS_CATEGORIES]
    assert found == []
