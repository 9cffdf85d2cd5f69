"""Write the intake test emails and their expected inferred requests.

Run from this folder: ``python3 make_emails.py``. Standard library only (the PDF is written
by hand with a text layer in Helvetica). Dates, Message-IDs and MIME boundaries are fixed, so
two runs write identical files. Everything is fictional: people, numbers (phone numbers are
555-01xx), case numbers, addresses. Federal and state agency domains are real so that the
domain table is exercised; local agencies and private parties use reserved domains
(``.example``, ``example.com``/``.net``/``.org``) or a public webmail domain.

The wording is our own and deliberately unlike ``../requests-dev``: these messages test that
request inference generalises, not that it remembers the dev set.
"""

from __future__ import annotations

import email.policy
import io
import json
import zlib
from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).resolve().parent
POLICY = email.policy.default.clone(linesep="\n")


def _msg(
    sender: str,
    to: str,
    subject: str,
    date: str,
    mid: str,
    cc: str | None = None,
) -> EmailMessage:
    m = EmailMessage(policy=POLICY)
    m["From"] = sender
    m["To"] = to
    if cc:
        m["Cc"] = cc
    m["Subject"] = subject
    m["Date"] = date
    m["Message-ID"] = f"<{mid}>"
    return m


def _boundaries(m: EmailMessage, stem: str) -> None:
    for i, part in enumerate(m.walk()):
        if part.is_multipart():
            part.set_boundary(f"=={stem}-{i:02d}==")


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (Helvetica, latin-1)."""
    body = []
    for i, line in enumerate(lines):
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        body.append(b"1 0 0 1 50 %d Tm (%s) Tj" % (760 - 13 * i, esc.encode("latin-1")))
    stream = zlib.compress(b"BT /F1 10 Tf " + b" ".join(body) + b" ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


EMAILS: dict[str, tuple[EmailMessage, dict[str, object]]] = {}


def add(name: str, message: EmailMessage, expected: dict[str, object]) -> None:
    _boundaries(message, name.split(".")[0])
    EMAILS[name] = (message, expected)


# ------------------------------------------------------------------ 1. Spanish, ICE to DWS
m = _msg(
    '"Quintanilla, Rosario" <rosario.quintanilla@ice.dhs.gov>',
    '"Archibeque, Tomás (DWS)" <tomas.archibeque@dws.state.nm.us>',
    "Solicitud de información",
    "Mon, 02 Mar 2026 10:15:00 -0700",
    "es-ice-01@ice.dhs.gov",
)
m.set_content(
    """Buenos días, Sr. Archibeque:

Le escribo porque estamos buscando a un señor que tiene una orden de deportación
pendiente. ¿Me podría enviar el domicilio más reciente que aparece en su reclamo
de desempleo y el nombre de la empresa donde trabaja ahora?

  Nombre: VELARDE ESQUIVEL, Anselmo
  Fecha de nacimiento: 14/06/1984

Muchas gracias por su ayuda.

Rosario Quintanilla
Oficial de Deportación
ICE ERO, Oficina de Albuquerque
(505) 555-0141
"""
)
add(
    "01-es-ice-to-dws.eml",
    m,
    {
        "requester_kind": "federal_immigration",
        "purpose": "immigration_enforcement",
        "process": [],
        "scope": "individual",
        "record_system": "workforce",
        "categories": ["street_address", "employer"],
        "written_consent": False,
    },
)

# ------------------------------------------ 2. inline forward inside HSD of an HSI request
m = _msg(
    '"Lovato, Bernadette (HCA-ISD)" <bernadette.lovato@hca.nm.gov>',
    '"Sena, Roland (HCA-ISD)" <roland.sena@hca.nm.gov>',
    "FW: records question",
    "Tue, 03 Mar 2026 14:02:10 -0700",
    "fwd-hsd-02@hca.nm.gov",
)
m.set_content(
    """Roland - can you look at this one and tell me what we can send? I'd rather
not answer until legal weighs in.

B.

-----Original Message-----
From: Okonjo, Patrice <patrice.okonjo@hsi.dhs.gov>
Sent: Tuesday, March 3, 2026 11:40 AM
To: Lovato, Bernadette (HCA-ISD) <bernadette.lovato@hca.nm.gov>
Subject: records question

Ms. Lovato,

I'm working a case and need to know whether the woman below is getting food
benefits from your office, and the cell number she put on her application.

  ARRIETA BUSTOS, Noelia   DOB 09/30/1992

It's part of an ongoing federal investigation so I can't say much more.

Patrice Okonjo
Special Agent, Homeland Security Investigations
Las Cruces
"""
)
add(
    "02-inline-forward-hsd.eml",
    m,
    {
        "requester_kind": "federal_immigration",
        "purpose": "unknown",
        "process": [],
        "scope": "individual",
        "record_system": "human_services",
        "categories": ["phone_number", "public_assistance"],
        "written_consent": False,
    },
)

# --------------------------------------------- 3. HTML-only, police robbery, plate given
m = _msg(
    '"Det. Quillan Marsh" <qmarsh@riverbendpd.example>',
    "MVD Records <mvd.records@state.nm.us>",
    "Registered owner info",
    "Wed, 04 Mar 2026 09:30:00 -0700",
    "html-pd-03@riverbendpd.example",
)
m.set_content(
    """<html><body>
<p>Good morning,</p>
<p>We are investigating an armed robbery at a pharmacy on March 1. A witness got the
plate of the getaway car. Please send me the registered owner's address and the VIN
for the vehicle below.</p>
<table border="1">
<tr><th>Plate</th><td>NM KTR4481</td></tr>
<tr><th>Make/model</th><td>gray sedan</td></tr>
</table>
<p>Thank you,</p>
<p>Det. Quillan Marsh<br>Riverbend Police Department<br>Robbery Unit<br>(505) 555-0153</p>
</body></html>""",
    subtype="html",
)
add(
    "03-html-only-police.eml",
    m,
    {
        "requester_kind": "local_law_enforcement",
        "purpose": "criminal_investigation",
        "process": [],
        "scope": "individual",
        "record_system": "motor_vehicles",
        "categories": ["street_address", "vin"],
        "written_consent": False,
    },
)

# ------------------------------------------------- 4. FBI with a PDF search warrant
m = _msg(
    '"Harrow, Lydia (AQ) (FBI)" <lharrow@fbi.gov>',
    '"Ulibarri, Dennis (DWS)" <dennis.ulibarri@dws.state.nm.us>',
    "Search warrant for DWS records",
    "Thu, 05 Mar 2026 13:45:00 -0700",
    "pdf-fbi-04@fbi.gov",
)
m.set_content(
    """Mr. Ulibarri,

Attached is a search warrant for Workforce Solutions records in a bank robbery
investigation. The items to be seized are listed on the warrant. You may deliver
them to me electronically.

Thank you,

Lydia Harrow
Special Agent
Federal Bureau of Investigation, Albuquerque
(505) 555-0177
"""
)
warrant = make_pdf(
    [
        "UNITED STATES DISTRICT COURT",
        "for the",
        "District of New Mexico",
        "",
        "In the Matter of the Search of records held by the New Mexico",
        "Department of Workforce Solutions                Case No. 26-MR-0412",
        "",
        "SEARCH AND SEIZURE WARRANT",
        "",
        "To: Any authorized law enforcement officer",
        "",
        "An application by a federal law enforcement officer requests the search of the",
        "property described in Attachment A. I find that the affidavit establishes",
        "probable cause to search the property and seize the items in Attachment B.",
        "",
        "YOU ARE COMMANDED to execute this warrant on or before 03/19/2026.",
        "",
        "Date and time issued: 03/04/2026 3:10 p.m.       /s/ Corinne A. Waite",
        "                                                 Judge's signature",
        "City and state: Albuquerque, New Mexico          Corinne A. Waite,",
        "                                                 United States Magistrate Judge",
        "",
        "ATTACHMENT B -- Items to be seized",
        "  1. Quarterly wage records and the names of all employers, 2024 to present.",
        "  2. Every residential and mailing address of record.",
        "  3. The telephone number on file.",
        "",
        "Form AO 93 -- Search and Seizure Warrant",
    ]
)
m.add_attachment(warrant, maintype="application", subtype="pdf", filename="warrant_26-MR-0412.pdf")
add(
    "04-pdf-warrant-fbi.eml",
    m,
    {
        "requester_kind": "federal_law_enforcement",
        "purpose": "criminal_investigation",
        "process": ["judicial_warrant"],
        "scope": "individual",
        "record_system": "workforce",
        "categories": ["employer", "street_address", "phone_number"],
        "written_consent": False,
    },
)

# ------------------------------------------------------------ 5. vague, from gmail
m = _msg(
    "jr.tafoya77 <jr.tafoya77@gmail.com>",
    "MVD Records <mvd.records@state.nm.us>",
    "quick question",
    "Fri, 06 Mar 2026 22:10:00 -0700",
    "gmail-05@mail.gmail.com",
)
m.set_content(
    """hey, just need his address. name is Dario Pacheco Lumbreras, he drives a
white truck. thanks
"""
)
add(
    "05-gmail-vague.eml",
    m,
    {
        "requester_kind": "private",
        "purpose": "unknown",
        "process": [],
        "scope": "individual",
        "record_system": "motor_vehicles",
        "categories": ["street_address"],
        "written_consent": False,
    },
)

# ------------------------------------------- 6. gmail sender claiming to be a deputy
m = _msg(
    "Deputy R. Ocampo <r.ocampo.deputy@outlook.com>",
    '"Griego, Maribel (NMCD-PPD)" <maribel.griego@state.nm.us>',
    "probationer check",
    "Sat, 07 Mar 2026 08:05:00 -0700",
    "outlook-06@outlook.com",
)
m.set_content(
    """PO Griego,

Can you tell me when your probationer Ismael Corral is due to report next and
where he's living now? Sending from my personal account, work email is down.

Thanks

Deputy R. Ocampo
Sierra Alta County Sheriff's Office
"""
)
add(
    "06-webmail-claims-deputy.eml",
    m,
    {
        "requester_kind": "unknown",
        "purpose": "unknown",
        "process": [],
        "scope": "individual",
        "record_system": "corrections",
        "categories": ["street_address", "scheduled_appearance"],
        "written_consent": False,
    },
)

# ---------------------------------------------------------------- 7. bulk request
m = _msg(
    '"Fairbanks, Colt" <colt.fairbanks@hsi.dhs.gov>',
    '"Director, DWS UI Division" <ui.director@dws.state.nm.us>',
    "Data request - UI claimant file",
    "Mon, 09 Mar 2026 10:00:00 -0600",
    "bulk-07@hsi.dhs.gov",
)
m.set_content(
    """Director,

HSI requests a quarterly extract of all unemployment insurance claimants in Luna,
Hidalgo and Grant counties for 2025, with each claimant's name, home address,
employer and Social Security number. A CSV file is fine.

Regards,

Colt Fairbanks
Group Supervisor
Homeland Security Investigations, Deming
"""
)
add(
    "07-bulk-hsi-dws.eml",
    m,
    {
        "requester_kind": "federal_immigration",
        "purpose": "unknown",
        "process": [],
        "scope": "bulk",
        "record_system": "workforce",
        "categories": ["ssn", "street_address", "employer"],
        "written_consent": False,
    },
)

# ------------------------------------------------ 8. consent, the person herself
m = _msg(
    "Perla Anaya Rivas <perla.anaya@example.net>",
    "MVD Records <mvd.records@state.nm.us>",
    "Request for my driving record",
    "Tue, 10 Mar 2026 17:20:00 -0600",
    "consent-08@example.net",
)
m.set_content(
    """Hello,

I would like a copy of my driving record and the address you have for me sent to my
insurance agent, Walter Benning (wbenning@example.com). My signed authorization is
attached.

Thank you,
Perla Anaya Rivas
"""
)
m.add_attachment(
    """AUTHORIZATION TO RELEASE MOTOR VEHICLE RECORDS

I, Perla Anaya Rivas, born 02/11/1979, authorize the New Mexico Motor Vehicle
Division to release the following records about me to Walter Benning, insurance
agent, Benning Insurance, Albuquerque:

    [X]  My driving record
    [X]  My address of record
    [ ]  My Social Security number

This authorization expires 60 days after the date I sign it.

Signature:  /s/ Perla Anaya Rivas               Date: 03/10/2026
""",
    filename="authorization_signed.txt",
)
add(
    "08-consent-self.eml",
    m,
    {
        "requester_kind": "private",
        "purpose": "unknown",
        "process": ["written_consent"],
        "scope": "individual",
        "record_system": "motor_vehicles",
        "categories": ["drivers_license", "street_address"],
        "written_consent": True,
    },
)

# ----------------------------------------------- 9. consent form nobody signed
m = _msg(
    "Lucas Brandvold <lbrandvold@brandvoldlaw.example>",
    "MVD Records <mvd.records@state.nm.us>",
    "Records request with client authorization",
    "Wed, 11 Mar 2026 09:12:00 -0600",
    "unsigned-09@brandvoldlaw.example",
)
m.set_content(
    """To the records custodian:

Our firm represents a creditor in a collection matter. Please provide the current
residential address and date of birth of Mr. Efrén Cisneros Vidal. An authorization
form is attached.

Lucas Brandvold
Attorney at Law
Brandvold Law Office, Las Cruces
(575) 555-0104
"""
)
m.add_attachment(
    """AUTHORIZATION FOR RELEASE OF INFORMATION

I authorize any agency holding records about me to release my address, date of
birth and driver license information to Brandvold Law Office.

Name (print):        EFREN CISNEROS VIDAL
Signature:           ______________________________
Date:                ______________
""",
    filename="release_form.txt",
)
add(
    "09-consent-unsigned.eml",
    m,
    {
        "requester_kind": "private",
        "purpose": "civil_enforcement",
        "process": [],
        "scope": "individual",
        "record_system": "motor_vehicles",
        "categories": ["date_of_birth", "street_address"],
        "written_consent": False,
    },
)

# ------------------------------------------------------ 10. a court clerk and an order
m = _msg(
    '"Trujillo-Hale, Inez" <inez.trujillohale@nmcourts.gov>',
    '"Records Custodian (DOH)" <doh.records@doh.nm.gov>',
    "Order for records - guardianship proceeding",
    "Thu, 12 Mar 2026 15:30:00 -0600",
    "court-10@nmcourts.gov",
)
m.set_content(
    """Dear Records Custodian,

Enclosed please find an order entered by Judge Ellery in the guardianship matter
below, directing production of the respondent's medical records to the Court.
Please deliver them to the clerk's office under seal.

Inez Trujillo-Hale
Deputy Court Clerk
Seventh Judicial District Court
(575) 555-0119
"""
)
m.add_attachment(
    """STATE OF NEW MEXICO
COUNTY OF SOCORRO
SEVENTH JUDICIAL DISTRICT COURT

IN THE MATTER OF THE GUARDIANSHIP OF
MARGARITA OLGUIN DE LA ROSA, an incapacitated person.      No. D-725-PQ-2026-00031

                 ORDER FOR PRODUCTION OF MEDICAL RECORDS

THIS MATTER came before the Court on the petition of the respondent's daughter.
The Court FINDS that the respondent's medical records are needed to decide the
petition.

IT IS THEREFORE ORDERED that the custodian of records of the New Mexico Department
of Health shall produce to the Clerk of this Court, under seal, within fourteen
days, the respondent's medical and diagnosis records from 2023 to the present.

                                   /s/ Hollis R. Ellery
                                   ______________________________
                                   DISTRICT JUDGE
""",
    filename="order_D-725-PQ-2026-00031.txt",
)
add(
    "10-court-clerk-order.eml",
    m,
    {
        "requester_kind": "court",
        "process": ["court_order"],
        "scope": "individual",
        "record_system": "health",
        "categories": ["disability"],
        "written_consent": False,
    },
)

# ---------------------------------- 11. claims a signed warrant, nothing attached
m = _msg(
    '"Ruelas, Gideon" <gideon.ruelas@ice.dhs.gov>',
    "MVD Law Enforcement Liaison <mvd.le.liaison@state.nm.us>",
    "URGENT",
    "Fri, 13 Mar 2026 07:45:00 -0600",
    "claim-11@ice.dhs.gov",
)
m.set_content(
    """I have a signed warrant for this individual. Need his residential address and
any vehicles in his name ASAP.

  ZAVALA PONCE, Hermenegildo  DOB 12/12/1980

G. Ruelas
Immigration Enforcement Agent
U.S. Immigration and Customs Enforcement
"""
)
add(
    "11-claims-warrant-not-attached.eml",
    m,
    {
        "requester_kind": "federal_immigration",
        "purpose": "immigration_enforcement",
        "process": [],
        "scope": "individual",
        "record_system": "motor_vehicles",
        "categories_include": ["street_address", "license_plate"],
        "written_consent": False,
    },
)

# ------------------------------------ 12. police relaying Border Patrol, no forward
m = _msg(
    '"Sgt. Willa Cordova" <wcordova@mesillapd.example>',
    '"Baca, Orlando (NMCD-PPD)" <orlando.baca@state.nm.us>',
    "parolee address",
    "Mon, 16 Mar 2026 11:00:00 -0600",
    "relay-12@mesillapd.example",
)
m.set_content(
    """Orlando,

Border Patrol called us this morning about one of your parolees, Teodoro Alcaraz.
They are looking for him. Could you send me the address he reported? I'll pass it
to them.

Sgt. Willa Cordova
Mesilla Valley Police Department
"""
)
add(
    "12-relay-police-for-cbp.eml",
    m,
    {
        "requester_kind": "local_law_enforcement",
        "on_behalf_of": "federal_immigration",
        "process": [],
        "scope": "individual",
        "record_system": "corrections",
        "categories": ["street_address"],
        "written_consent": False,
    },
)

# ------------------------- 13. supervisor forwards a sheriff's emergency as attachment
inner = _msg(
    '"Lt. Amos Kettering" <akettering@canyoncountyso.example>',
    '"Marquez, Delia (DOH)" <delia.marquez@doh.nm.gov>',
    "Welfare check - need phone number",
    "Tue, 17 Mar 2026 19:40:00 -0600",
    "inner-13@canyoncountyso.example",
)
inner.set_content(
    """Ms. Marquez,

Family members report that Casimiro Bernal, a client of your clinic, sent messages
tonight saying he intends to end his life. He is not at home. Please send the cell
phone number your clinic has for him so we can try to locate him. This is an
imminent danger to his life.

Lt. Amos Kettering
Canyon County Sheriff's Office
(575) 555-0131
"""
)
_boundaries(inner, "13-inner")
m = _msg(
    '"Marquez, Delia (DOH)" <delia.marquez@doh.nm.gov>',
    '"Chacon, Ira (DOH)" <ira.chacon@doh.nm.gov>',
    "FW: Welfare check - need phone number",
    "Tue, 17 Mar 2026 19:52:00 -0600",
    "fwd-13@doh.nm.gov",
)
m.set_content("Ira, you're on call tonight - see the sheriff's message attached.\n\nDelia\n")
m.add_attachment(inner, filename="Welfare check.eml")
add(
    "13-forwarded-attachment-emergency.eml",
    m,
    {
        "requester_kind": "local_law_enforcement",
        "purpose": "health_or_safety_emergency",
        "process": [],
        "scope": "individual",
        "record_system": "health",
        "categories": ["phone_number"],
        "written_consent": False,
    },
)

# ----------------------------------------------------- 14. Spanish address sweep, CBP
m = _msg(
    '"CERVANTES, OLGA" <olga.cervantes@cbp.dhs.gov>',
    "MVD Law Enforcement Liaison <mvd.le.liaison@state.nm.us>",
    "consulta de domicilio",
    "Wed, 18 Mar 2026 23:10:00 -0600",
    "sweep-14@cbp.dhs.gov",
)
m.set_content(
    """Necesito los nombres, fechas de nacimiento y números de licencia de todas las
personas registradas en 2207 Calle Piñon Seco, Anthony NM, y las placas de los
vehículos registrados a esa dirección.

Agente O. Cervantes
Patrulla Fronteriza, Estación Santa Teresa
"""
)
add(
    "14-es-address-sweep-cbp.eml",
    m,
    {
        "requester_kind": "federal_immigration",
        "purpose": "unknown",
        "process": [],
        "scope": "several",
        "record_system": "motor_vehicles",
        "categories": ["date_of_birth", "drivers_license", "license_plate", "vin"],
        "written_consent": False,
    },
)

# ------------------------- 15. gmail-style reply quoting the clerk and the first request
m = _msg(
    '"Stroud, Emmett" <emmett.stroud@ice.dhs.gov>',
    '"Romero, Felipa (TRD-MVD)" <felipa.romero@state.nm.us>',
    "Re: subject lookup",
    "Thu, 19 Mar 2026 16:20:00 -0600",
    "quoted-15@ice.dhs.gov",
)
m.set_content(
    """It's for a federal law enforcement matter. I can't get into specifics.

On Thu, Mar 19, 2026 at 2:05 PM Romero, Felipa (TRD-MVD) <felipa.romero@state.nm.us> wrote:
> Officer Stroud, is this for immigration enforcement? If so we cannot give you
> his address or his country of birth. Please tell me what it is for.
>
> On Thu, Mar 19, 2026 at 9:30 AM Emmett Stroud <emmett.stroud@ice.dhs.gov> wrote:
>> Good morning, please send the phone number and date of birth on file for
>> Leonel Gaytan Ibarra.
>>
>> Emmett Stroud
>> ICE Homeland Security Investigations
"""
)
add(
    "15-quoted-reply-clerk-excluded.eml",
    m,
    {
        "requester_kind": "federal_immigration",
        "purpose": "unknown",
        "process": [],
        "scope": "individual",
        "record_system": "motor_vehicles",
        "categories": ["date_of_birth", "phone_number"],
        "written_consent": False,
    },
)


def main() -> None:
    """Write every email and ``expected.json``; read each back and check it parses."""
    for old in HERE.glob("*.eml"):
        old.unlink()
    expected = {}
    for name, (message, exp) in EMAILS.items():
        data = message.as_bytes(policy=POLICY)
        (HERE / name).write_bytes(data)
        expected[name] = exp
        back = email.message_from_bytes(data, policy=email.policy.default)
        assert back["From"] and back["Subject"], name
    (HERE / "expected.json").write_text(
        json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
