"""A synthetic agency-like corpus for benchmarks: mixed memos, case notes, record dumps,
newsletters and business mail, English and Spanish, with fictional SPI at realistic density.

Seeded, so two runs build the same corpus. Not a test set: values are random and labels
are not kept.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

FIRST = [
    "Jesus",
    "Maria",
    "Ana",
    "Luis",
    "Rosa",
    "Carlos",
    "Dolores",
    "Miguel",
    "Yolanda",
    "Jose",
    "Guadalupe",
    "Daniel",
    "Brianna",
    "Raymond",
    "Abel",
    "Leonel",
    "Sofia",
]
LAST = [
    "Ramirez",
    "Soto",
    "Chavez",
    "Trujillo",
    "Baca",
    "Lucero",
    "Gallegos",
    "Ortega",
    "Martinez",
    "Zuniga",
    "Porras",
    "Ruvalcaba",
    "Montoya",
    "Archuleta",
    "Vigil",
]
STREETS = [
    "Atrisco Dr SW",
    "Calle Ocho SW",
    "Central Ave NE",
    "Camino del Sol",
    "Isleta Blvd SW",
    "Bridge Blvd SW",
    "Coors Rd NW",
    "Avenida Cesar Chavez",
    "4th St NW",
    "Zuni Rd SE",
]
CITIES = [
    ("Albuquerque", "87105"),
    ("Santa Fe", "87507"),
    ("Las Cruces", "88001"),
    ("Espanola", "87532"),
    ("Farmington", "87401"),
    ("Roswell", "88203"),
]

PROSE = [
    "The committee reviewed the quarterly budget and approved the revised travel policy.",
    "Please remember that the office will be closed on Monday for the holiday.",
    "The new records system goes live next month; training sessions are on the intranet.",
    "Attached is the agenda for Thursday's staff meeting. Bring your laptop.",
    "Thanks for the update. I'll circle back with the vendor about the invoice.",
    "Our newsletter this week covers the community garden, road closures and the library.",
    "The department processed 4,812 renewals in March, up 6 percent from last year.",
    "La oficina estará cerrada el lunes. Gracias por su paciencia.",
    "Recuerde que las citas se pueden programar en línea o por teléfono.",
    "Federal agencies must present a warrant signed by a judge before any record is released.",
    "Statewide, 212 DACA recipients enrolled in the program last year.",
    "Invoice 2019-0412 for fleet maintenance is due within thirty days.",
]


def _ssn(r: random.Random) -> str:
    return f"{r.randint(1, 665):03d}-{r.randint(1, 99):02d}-{r.randint(1, 9999):04d}"


def _dl(r: random.Random) -> str:
    return f"{r.randint(0, 999_999_999):09d}"


def _plate(r: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return "".join(r.choice(letters) for _ in range(3)) + f"-{r.randint(100, 999)}"


def _date(r: random.Random) -> str:
    return f"{r.randint(1, 12):02d}/{r.randint(1, 28):02d}/{r.randint(1950, 2004)}"


def _address(r: random.Random) -> str:
    city, zip_code = r.choice(CITIES)
    return f"{r.randint(100, 9999)} {r.choice(STREETS)}, {city} NM {zip_code}"


def _name(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def _case_note(r: random.Random) -> str:
    n = _name(r)
    templates = [
        f"Ray - here's what I have on him.\n\n{n.upper()}\nDL# {_dl(r)}   Class D\n"
        f"Res: {_address(r)}\n2007 Ford F-150, plate {_plate(r)}\n",
        f"Client {n}, DOB {_date(r)}, SSN {_ssn(r)}. He is a DACA recipient and receives SNAP.\n"
        f"Lives at {_address(r)}. Works at Sandia Produce. Next court date 12/3 at 9am.\n",
        f"Nombre: {n}\nFecha de nacimiento: {_date(r)}\nDomicilio: {_address(r)}\n"
        f"Es de Guatemala y no tiene papeles. Tiene cita en la oficina el martes a las 10.\n",
        f"{n} | {_date(r)} | {_ssn(r)} | {_address(r)} | Medicaid | Mexico\n" * r.randint(1, 6),
    ]
    return r.choice(templates)


def documents(total_bytes: int, seed: int = 2019, record_share: float = 0.05) -> Iterator[str]:
    """Yield documents until about ``total_bytes`` of UTF-8 text have been produced.

    ``record_share`` of the paragraphs are case notes or record rows full of SPI (the
    default gives about one finding per 1.5 KB, like an agency mailbox where some threads
    carry records); the rest is ordinary office prose.
    """
    r = random.Random(seed)
    produced = 0
    while produced < total_bytes:
        parts: list[str] = []
        for _ in range(r.randint(3, 25)):
            if r.random() < record_share:
                parts.append(_case_note(r))
            else:
                parts.append(" ".join(r.choice(PROSE) for _ in range(r.randint(1, 5))))
        doc = "\n\n".join(parts)
        produced += len(doc.encode("utf-8"))
        yield doc
