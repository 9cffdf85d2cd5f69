"""``scheduled_appearance``: when a person is due in court, at probation or at an agency office.

The prefilter finds only cue words ("hearing", "reports to", "cita", "home visit"): dates and
times are everywhere in mail, so they are read in Python, in a window around each cue, and
only in texts that have one. ``detect`` joins the date/time atoms of a window into phrases
("Tuesday 8/20 at 1:30 pm", "lunes 28 a las 10:30", "December 4 between 8 and 12"), takes in
a weekday next to them, and accepts a phrase when its sentence ties it to one person's
appearance:

* a personal cue ("He reports to me", "se presenta conmigo", "tiene cita"), or a verb of
  coming in with a person as its subject ("he will come in tomorrow at 9", "sees the
  counselor el lunes a las 3", "asiste a terapia cada jueves", "she'll be at the clinic");
* an appearance noun that is somebody's ("his hearing", "Pacheco's plea hearing", "Próxima
  cita:", "Sentencing: 10/22", "trial is set for") or sits in a sentence about a person;
* an appearance noun with the date right after it, in a block about a person: case-note
  shorthand and logs ("Next OV 4/1 at 1:30 pm", "text sent: court date Mon Aug 12 at 8:30
  AM"), lists of conditions ("Drug testing Fridays at 10" under "probationer Lucia VIGIL");
* an appearance addressed to the reader of a letter that names its addressee ("Dear Mr.
  Benally: Your interview is ...", "Estimada Sra. Maldonado: Su entrevista ...");
* a pointer back to one ("Nueva fecha: ...", "his next one is ...");
* a short answer, in a chat, to a question about an appearance ("yes 9:00 sharp");
* a cell in a table column named for an appearance ("Next report") in a table of people.

Dates and times may be written in words ("the twenty-second at nine thirty", "el primero
de diciembre"), as recurring days ("the first Monday of the month"), or as records and logs
write them ("TUES 10/27 1:30P", "2026-12-02T10:00", "<NextCourt>...", a CSV cell under a
header with a "dob" column).

It rejects dates in mail headers, chat timestamps and log stamps, birth dates, sentences about
office hours, training, closures or a business's customers, plural timetables ("Arraignments
are heard Mondays at 9:00"), reminders to a reader nobody names ("Your appointment is
confirmed for ...") and appearances that already happened ("missed his hearing on 3/4").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from resguardo.detect.context import ScanContext
from resguardo.detect.finding import Finding
from resguardo.detect.locating._common import (
    CueIndex,
    PhraseSet,
    Spans,
    Words,
    fold,
    fold_word,
    header_line,
    line_bounds,
    norm_set,
    people_table,
    person_in,
    phrase_pattern,
    quick_fold,
    record_marker_in,
    sentence,
    sentence_words,
    speaker_prefix_end,
    table_at,
    word_list,
    words_in,
)
from resguardo.detect.patterns import Candidate, PatternSpec

__all__ = ["AppointmentDetector"]

CATEGORY = "scheduled_appearance"

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MES = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?ptiembre|octubre|noviembre"
    r"|diciembre)"
)
_AMPM = r"[ap]\.?[ \t]?m\b\.?"
_HOUR = rf"\d{{1,2}}(?::[0-5]\d)?(?:[ \t]*{_AMPM})?"
# Hours in words: "a las dos", "a la una y media", "at nine o'clock".
_NUM_ES = r"(?:una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce)"
_NUM_EN = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_DAYPART_ES = r"(?:[ \t]+de[ \t]+la[ \t]+(?:ma[nñ]ana|tarde|noche)|[ \t]+en[ \t]+punto)"
# "a las dos semanas" is a length of time, not a clock time.
_NOT_AFTER_HOUR_WORD = (
    r"(?![ \t]+(?:semanas?|d[ií]as?|horas?|meses|mes|a[nñ]os?|partes?|personas?|veces|cosas)\b)"
)
_WEEKDAY = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|lunes|martes|mi[eé]rcoles|jueves"
    r"|viernes|s[aá]bados?|domingos?|mon|tues?|wed|thur?s?|fri|sat|sun)"
)
_WEEKDAY_FULL = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|lunes|martes|mi[eé]rcoles|jueves"
    r"|viernes|s[aá]bado|domingo)"
)
# Dates and times said in words, as transcripts of calls and voicemail write them: "the
# twenty-second", "at nine thirty", "el primero de diciembre".
_ORD_UNIT = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
_ORD_EN = (
    rf"(?:(?:twenty|thirty)[ \t-]?{_ORD_UNIT}|{_ORD_UNIT}|tenth|eleventh|twelfth|thirteenth"
    r"|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)"
)
_MINUTES_EN = (
    rf"(?:oh[ \t-]?{_NUM_EN}|(?:twenty|thirty|forty|fifty)(?:[ \t-]?five)?|ten|fifteen"
    r"|o['’]?clock)"
)
_DAY_ES = (
    r"(?:primero|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce"
    r"|quince|diecis[eé]is|diecisiete|dieciocho|diecinueve|veinte|veinti(?:uno|d[oó]s|tr[eé]s"
    r"|cuatro|cinco|s[eé]is|siete|ocho|nueve)|treinta(?:[ \t]+y[ \t]+uno)?)"
)
# A time right after a record's date, as logs abbreviate it: "10/26 9A", "TUES 10/27 1:30P".
_SHORT_TIME = r"(?:[ \t]+\d{1,2}(?::[0-5]\d)?[ap]\b)?"
_SPOKEN_MIN = r"[ \t](?:00|15|30|45)\b(?![ \t]*(?:[/:.,\-]?\d|-|min))"

# A 24-hour time right after a date, as booking sheets and dockets write it ("12/03/2019
# 1330"); alone, four digits are more often a year or a number than a time.
_HRS = r"(?:[ \t]*(?:hours|hrs|horas)\b)?"
# not a house number: "3/9/2020 1420 Central Ave SW"
_HHMM_GUARD = r"(?![/:.\-]\d|[ \t]*(?:[ap]\.?m\b|[\w.]+[ \t]+(?:st|ave|rd|dr|blvd)\b))"
_HHMM = rf"(?:[ \t]+(?:[01]\d|2[0-3])[0-5]\d\b{_HHMM_GUARD}{_HRS})?"

# The date/time atoms, matched in Python in the sentence of a cue. Suffixes such as "a.m.",
# "sharp" and "de la mañana" belong to the atom. Each atom begins on a word boundary. They
# are matched in a lower-cased copy of the window, case-sensitively: twice as fast as
# IGNORECASE, which keeps Python's ``re`` from skipping ahead.
_ATOM_RX = re.compile(
    r"(?<![\w/:@.-])(?:"
    + "|".join(
        [
            rf"\d{{1,2}}:[0-5]\d(?:[ \t]*{_AMPM}|[ \t]*hrs?\b|[ \t]+sharp\b|{_DAYPART_ES}|[ap]\b)?",
            rf"\d{{1,2}}[ \t]?{_AMPM}",
            r"\d{1,2}[ \t]+o['’]?clock\b",
            rf"(?:between|from)[ \t]+{_HOUR}[ \t]*(?:and|to|until|-|–)[ \t]*{_HOUR}\b",
            rf"entre[ \t]+las?[ \t]+{_HOUR}[ \t]+y[ \t]+las?[ \t]+{_HOUR}\b",
            # "at 2 30": a time as a voicemail transcript writes it, the colon unspoken; only
            # the quarter hours, and not a count ("at 2 30-minute sessions")
            rf"(?:at|before|after|around|by)[ \t]+\d{{1,2}}(?::[0-5]\d|{_SPOKEN_MIN})?"
            rf"(?:[ \t]*{_AMPM}|\b)",
            rf"at[ \t]+{_NUM_EN}(?:[ \t-]+{_MINUTES_EN}\b(?:[ \t]*{_AMPM})?|[ \t]*{_AMPM})",
            rf"@[ \t]*(?:\d{{1,2}}(?::[0-5]\d)?\b|(?:[01]\d|2[0-3])[0-5]\d\b{_HRS})(?![/:.]\d)",
            r"a[ \t]+las?[ \t]+\d{1,2}(?::[0-5]\d)?" + rf"(?:{_DAYPART_ES}|[ \t]*{_AMPM})?",
            rf"a[ \t]+las?[ \t]+{_NUM_ES}\b{_NOT_AFTER_HOUR_WORD}"
            rf"(?:[ \t]+y[ \t]+(?:media|cuarto)\b|[ \t]+menos[ \t]+cuarto\b)?{_DAYPART_ES}?",
            r"(?:noon|midnight|mediod[ií]a)\b",
            # a 24-hour time after "at" or a weekday, as officers write it: "at 0900",
            # "thursdays 0830"; not a year ("Monday 2019") nor a house number ("at 1420
            # Central Ave")
            rf"(?:at|{_WEEKDAY})[ \t]+(?!19|20)(?:[01]\d|2[0-3])[0-5]\d\b{_HHMM_GUARD}{_HRS}",
            r"(?:[01]\d|2[0-3])[0-5]\d[ \t]*(?:hours|hrs|horas)\b",
            # a record's date and 24-hour time: "NEXT COURT: 05/02/2019 0900 MAGISTRATE CT"
            rf"\d{{1,2}}/\d{{1,2}}(?:/\d{{2}}(?:\d{{2}})?)?\b(?!/){_HHMM}{_SHORT_TIME}",
            # ISO 8601 as exports write it: "2026-12-02T10:00" (the text is lower-cased here)
            r"\d{4}-\d{2}-\d{2}t[0-2]\d:[0-5]\d\b",
            rf"\d{{4}}-\d{{2}}-\d{{2}}\b{_HHMM}",
            rf"{_MONTH}\.?[ \t]+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?[ \t]+\d{{4}}\b)?",
            rf"\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?{_MONTH}\b(?:,?[ \t]+\d{{4}}\b)?",
            rf"\d{{1,2}}[ \t]+de[ \t]+{_MES}\b(?:[ \t]+del?[ \t]+\d{{4}}\b)?",
            r"the[ \t]+\d{1,2}(?:st|nd|rd|th)\b",
            # "the first Monday of the month", "el primer lunes de cada mes": a recurring date
            rf"(?:the|every|each)[ \t]+(?:first|second|third|fourth|last|1st|2nd|3rd|4th)[ \t]+"
            rf"{_WEEKDAY_FULL}[ \t]+of[ \t]+(?:the|each|every)[ \t]+month\b",
            rf"(?:el|cada)[ \t]+(?:primer|segundo|tercer|cuarto|[uú]ltimo)[ \t]+{_WEEKDAY_FULL}"
            r"[ \t]+(?:de[ \t]+cada|del)[ \t]+mes\b",
            # "the twenty-second", "the 1st of December"; not "the second hearing" (a noun
            # after the ordinal makes it a count, not a date)
            rf"the[ \t]+{_ORD_EN}(?:[ \t]+of[ \t]+{_MONTH}\b)?"
            r"(?![ \t]*(?!at\b|a[ \t]+las?\b)[a-z])",
            rf"{_DAY_ES}[ \t]+de[ \t]+{_MES}\b(?:[ \t]+del?[ \t]+\d{{4}}\b)?",
            # "lunes 28", "Thursday the 17th" (not "Tuesday 8/20": the date atom has that).
            # (Not "Tuesday 7 a.m.": the number is the hour there, read by the time atom.)
            rf"{_WEEKDAY}\.?,?[ \t]+(?:the[ \t]+)?\d{{1,2}}(?:st|nd|rd|th)?\b(?![/:.]\d)"
            rf"(?![ \t]?{_AMPM}|[ \t]+o['’]?clock)"
            rf"(?:[ \t]+de[ \t]+{_MES}\b(?:[ \t]+del?[ \t]+\d{{4}}\b)?"
            rf"|[ \t]+(?:of[ \t]+)?{_MONTH}\b(?:,?[ \t]+\d{{4}}\b)?)?",
        ]
    )
    + ")"
)
# A cheap test that a window can hold an atom at all: most windows of prose have no digit.
_ATOM_HINT = re.compile(
    rf"\d|noon|midnight|mediod|\ba[ \t]+las?[ \t]|\bat[ \t]+{_NUM_EN}\b|\bthe[ \t]+{_ORD_EN}"
    rf"|\bde[ \t]+{_MES}\b|(?:of[ \t]+(?:the|each|every)|del|de[ \t]+cada)[ \t]+(?:month|mes)\b"
)

# Weekdays and relative days are everywhere in mail: they are read as words, only next to an
# atom or right after a cue, never searched for over the text.
_DAYS = frozenset(word_list("calendar", "days"))
# Abbreviations are also words ("sat", "sun", "wed"): they count only capitalized.
_DAY_ABBR = frozenset(word_list("calendar", "day_abbreviations"))
_DAY_PREFIX = frozenset(word_list("calendar", "day_prefixes"))
_DAY_JOINERS = frozenset({"at", "on", "el", "the"})
_ACCENTS = str.maketrans("áéíóúüñÁÉÍÓÚÜÑ", "aeiouunAEIOUUN")
# What may stand between a day and the atom after it: "Tuesday 8/20", "Thursday, 6/20 at".
_DAY_GAP = re.compile(r"[ \t]*(?:[,/]|-|\b(?:at|on|el|the)\b)?[ \t]*", re.IGNORECASE)
# Inside a sentence one line break may fall in the gap too: "Mondays at\n10:00" is wrapped.
# (Between the lines of a chat or a log, a break is a new message: "yes 9:30\n09:26 ...".)
_DAY_GAP_WRAPPED = re.compile(
    r"[ \t]*\n?[ \t]*(?:[,/]|-|\b(?:at|on|el|the)\b)?[ \t]*\n?[ \t]*", re.IGNORECASE
)
# What may join two atoms of one phrase: "8/20 at 1:30 pm", "04/03 9:00", "Sept. 4, 2019",
# "December 4 between 8 and 12", "lunes 28 a las 10:30".
_JOIN = re.compile(
    r"[ \t]*(?:,|/|-|–|@|\b(?:at|on|el|from|to|de|del)\b)?[ \t]*(?:\b(?:at|el)\b[ \t]*)?",
    re.IGNORECASE,
)
_JOIN_WRAPPED = re.compile(
    r"[ \t]*\n?[ \t]*(?:,|/|-|–|@|\b(?:at|on|el|from|to|de|del)\b)?[ \t]*\n?[ \t]*"
    r"(?:\b(?:at|el)\b[ \t]*\n?[ \t]*)?",
    re.IGNORECASE,
)

# Cues that do not mean an appearance here: "court order", "interview room", "hearing aid".
_BAD_AFTER = re.compile(
    r"[ \t-]*(?:orders?|ordered|records?|of appeals|clerk|reporters?|fees|costs|room|aids?"
    r"|impaired|loss|period|version|run|program|officer|panel|questions)\b",
    re.IGNORECASE,
)
_BAD_BEFORE = frozenset({"supreme", "free", "clinical", "photo", "job", "vehicle", "building"})
# Weak events written with a hyphen in cues.yaml: they count only with it in the text.
_HYPHENED = frozenset(quick_fold(w) for w in word_list("appointment", "weak_events") if "-" in w)
_COURT_WORDS = norm_set(word_list("appointment", "court_words"))
_COURT_BEFORE = norm_set(word_list("appointment", "court_before"))
_ABBREVIATIONS = frozenset(w.lower() for w in word_list("appointment", "event_abbreviations"))
# A specific appearance: "his", "her next", "has a", "Pacheco's probation revocation".
_DETERMINED = re.compile(
    r"(?:\b(?:next|upcoming|first|his|her|su|sus|pr[oó]xim[ao]|siguiente"
    r"|(?:has|had|tiene|ten[ií]a)[ \t]+(?:a|an|una|un))"
    r"|['’]s)[ \t]+(?:[\w-]+[ \t]+){0,3}$",
    re.IGNORECASE,
)
_POSSESSIVE = re.compile(
    r"(?:\b(?:his|her|su|sus)|['’]s)[ \t]+(?:[\w-]+[ \t]+){0,2}$", re.IGNORECASE
)
# "is set for a pretrial conference on ...", "fue citado para una audiencia el ...": the
# event named after the scheduling verb is one event of one case.
_SET_FOR_BEFORE = re.compile(
    r"\b(?:set|scheduled|calendared|docketed|booked|programad[ao]|citad[ao])[ \t]+(?:for|para)"
    r"[ \t]+(?:(?:a|an|the|his|her|their|una?|su|sus|el|la)[ \t]+)?(?:[\w-]+[ \t]+){0,2}$",
    re.IGNORECASE,
)
# "trial is set for", "the hearing was moved to": one scheduled event, not a timetable.
_SET_FOR = re.compile(
    r"[ \t]*(?:(?:is|was|has been|have been|will be|es|fue|está|esta)[ \t]+)?"
    r"(?:set|scheduled|reset|moved|continued|rescheduled|booked|programad[ao]|fijad[ao]"
    r"|cambiad[ao])[ \t]+(?:for|to|para|al?)\b",
    re.IGNORECASE,
)
_SECOND_PERSON = frozenset(word_list("phrasing", "second_person"))
_ROLES = norm_set(word_list("person", "roles"))
# "Sentencing: 10/22", "Court date - 12/3": an appearance noun used as a field label.
_FIELD_BEFORE = re.compile(r"(?:^|[|\t]|[ ]{2})[ \t]*$")
_FIELD_AFTER = re.compile(r"[ \t]*(?:date|day|time|fecha)?[ \t]*[:–-]", re.IGNORECASE)
# A case-note line that starts with its label: "Court date 12/3 at 9am".
# A note's plan line names the next step after its own label: "Plan: Family team meeting
# 1/29 @ 1300" (the labels in ``cues.yaml``).
_LINE_LABEL_BEFORE = re.compile(
    r"[ \t>*•\-]*(?:(?:" + phrase_pattern(word_list("appointment", "plan_labels")) + r")"
    r"[ \t]*:[ \t]*)?(?:next[ \t]+)?",
    re.IGNORECASE,
)
_LINE_LABEL_GAP = re.compile(
    r"[ \t]*(?:date|day|time|fecha)?[ \t]*:?[ \t]*(?:on|el|is|es)?[ \t]*", re.IGNORECASE
)
# Between an appearance noun and the date right after it: "court date Mon Aug 12", "OV 4/1",
# "Drug testing Fridays at 10", "inspection is set for 12/4", "cita: el lunes".
_ADJACENT_GAP = re.compile(
    # "Inspección de la unidad: martes ...", "inspection of unit 4B: ...": a short complement
    r"(?:[ \t]+(?:de|del|of)(?:[ \t]+[\w'’-]+){1,3}?[ \t]*(?=[:–-]))?"
    r"[ \t]*(?:[:–-][ \t]*)?(?:(?:date|day|time|fecha|hora|is|was|will|be|are|es|será|sera"
    r"|set|scheduled|reset|moved|booked|confirmed|programad[ao]|fijad[ao]|for|to|on|at|el"
    r"|para|al?|re)[ \t:]+){0,4}",
    re.IGNORECASE,
)
# Between an appearance noun and its date: a complement of a few words, then a copula
# ("the hearing on the protective order will be", "la audiencia para extender la orden será
# el"). Line breaks count as spaces: the sentence may be wrapped.
_COMPLEMENT_COPULA = re.compile(
    r"\s+(?:to|for|on|of|in|about|regarding|para|de|del|en|sobre|con)(?:\s+[\w'’-]+){1,5}?"
    r"[\s,]+(?:will\s+(?:be|take\s+place)|is(?:\s+(?:set|scheduled|now))?"
    r"|has\s+been\s+(?:set|scheduled|moved|reset)|ser[áa]|es|est[áa]\s+(?:programad[ao]"
    r"|fijad[ao])|qued[óo]|queda)(?:\s+(?:for|on|at|to|el|para|al?|held\s+on|held))?\s*",
    re.IGNORECASE,
)
# Whose the appearance is, said after the noun: "la cita de Rosa", "la audiencia del Sr.
# Cux", "the hearing for Mr. Baca". (English "for"/"of" only with a title: "the hearing for
# Medicaid" names a program.)
_OWNER_AFTER = re.compile(
    r"[ \t]+(?:(?:de|del)[ \t]+(?:(?:la|el)[ \t]+)?(?:(?:sr|sra|srta|don|doña|dona|señor"
    r"|señora)\.?[ \t]+)?|(?:for|of)[ \t]+(?:mr|mrs|ms|miss)\.?[ \t]+)[A-ZÁÉÍÓÚÑ][\w'’-]+"
)
# Between a cue and a bare weekday: "hearing on Monday", "reports Mondays", "moved to Tuesday".
_WEAK_GAP_WORDS = frozenset(word_list("phrasing", "weak_gap"))
# Between a phrase and a cue after it: "his 2:30 appointment", "10 am for her interview".
_FORWARD_GAP = re.compile(
    r"[ \t]*(?:(?:for|is|es|será|sera|para)[ \t]+)?(?:(?:his|her|the|su|el|la)[ \t]+)?"
    r"(?:[\w-]+[ \t]+){0,2}",
    re.IGNORECASE,
)
# An answer in a conversation that states a time: "it's the 9th", "es el martes".
_PREDICATIVE = re.compile(r"\b(?:it's|it is|that's|is|es|será|sera)[ \t]+(?:el[ \t]+)?$", re.I)
# What may come before the time in a one-line answer: "yes", "Sí Rosa,", "no se puede.".
_ANSWER_FILLERS = norm_set(word_list("phrasing", "answer_fillers"))
_BIRTH = frozenset(word_list("phrasing", "birth_labels"))
# Substrings of every birth label: most phrases have none of them before, and skip the words.
_BIRTH_STEMS = ("dob", "born", "birth", "nac")
_BIRTH_JOINERS = frozenset({"on", "el", "de", "is", "es", "was", "fue", "date", "fecha", "in"})
# A subject before "reports": a pronoun or adverb, or a capitalized name that is not a word
# such as "Weekly" or "The".
_SUBJECT = re.compile(
    r"(?:\b(?i:he|she|who|still|also|usually|now|then|and|él|ella|que|todavía|todavia|aún|ya)"
    r"|\b[A-ZÁÉÍÓÚÑ][\w'-]+)[ \t]+(?:(?i:will|must|can|should|is|to)[ \t]+)?$"
)
_NOT_SUBJECTS = frozenset(word_list("phrasing", "not_subjects"))
# A log or chrono line opens with its own date: "3/18/19 OV. Client reported ...",
# "2019-08-05 called client". That date is when the note was written.
# An effective date's opener right before the date: a policy's start, not an appearance.
_EFFECTIVE = re.compile(
    r"(?<!\w)(?:" + phrase_pattern(word_list("appointment", "effective_openers")) + r")[ \t]*$",
    re.IGNORECASE,
)
_LOG_STAMP_LEAD = re.compile(r"[ \t>]*")
_NUMERIC_START = re.compile(r"\d")

# Between a scheduling verb and its date: "te pongo miércoles ...", "put you down for the
# 5th", "la cité para el lunes".
_BOOKING_GAP = re.compile(
    r"[ \t]*(?:(?:for|on|at|para|el|la|las|los|down|in|this|next|el[ \t]+pr[oó]ximo)[ \t]+){0,3}",
    re.IGNORECASE,
)
# A record field's value: "next_hearing": "2025-12-09 13:30", "courtDate=12/3".
# (An XML element's text counts too: "<NextCourt>2026-12-04 08:30</NextCourt>".)
_KEY_VALUE = re.compile(r"[\"']?[ \t]*[:=>][ \t]*[\"']?")
# Between an appearance noun and its date without a copula: a complement that says before
# whom or about what ("Audiencia ante el juez de inmigración el 9 de septiembre", "hearing
# on permanent order Nov. 19", "cita con la trabajadora social el lunes a las 10").
_COMPLEMENT_DATE = re.compile(
    r"\s+(?:before|with|in\s+front\s+of|at|in|on|for|of|about|regarding|ante|con|frente\s+a"
    r"|en|de|del|para|sobre)(?:\s+[\w'’.-]+){1,5}?[\s,]+(?:(?:on|el|at|for|para)\s+)?",
    re.IGNORECASE,
)
# A court calendar's row: a time, a gap, then one person (an A-number, "SURNAME, Given", a
# case caption "v. LOPEZ"): "08:30  A-219-044-117  VÁSQUEZ PÉREZ, Lucía  asilo".
_DOCKET_ROW = re.compile(
    r"^[ \t>|]*(?P<time>\d{1,2}:[0-5]\d(?:[ \t]*[AaPp]\.?[Mm]\b\.?)?)"
    r"(?:[ \t]{2,}|\t|[ \t]*\|[ \t]*)"
    r"(?=[^\n]*?(?:\bA[- ]?\d{3}[- ]?\d{3}[- ]?\d{3}\b"
    r"|\b[A-ZÁÉÍÓÚÑ]{2,}(?:[ \t]+[A-ZÁÉÍÓÚÑ]{2,})*,[ \t]*[A-ZÁÉÍÓÚÑ][a-záéíóúñ]"
    r"|\bvs?\.[ \t]+[A-ZÁÉÍÓÚÑ]))",
    re.MULTILINE,
)
_DOCKET_REACH = 1500  # how far under a court word its calendar's rows are read
_RECORD_REACH = 1000  # how far up a record's fields may name its person

_PERSONAL = "locating.appointment.personal"
_PERSONAL_SUBJECT = "locating.appointment.personal_subject"
_SUBJECT_VERB = "locating.appointment.subject_verb"
_EVENT = "locating.appointment.event"
_WEAK_EVENT = "locating.appointment.weak_event"
_ANAPHORA = "locating.appointment.anaphora"
_BOOKING = "locating.appointment.booking"
_KEY = "locating.appointment.key"
_OWNED = "locating.appointment.meeting"
_VISIT = "locating.appointment.visit"
_TABLE_PLURAL = "locating.appointment.plural_header"
# Cues that bring a window of text in to be read for dates and times.
_DRAWING = (
    _PERSONAL, _PERSONAL_SUBJECT, _SUBJECT_VERB, _EVENT, _WEAK_EVENT, _ANAPHORA, _BOOKING, _KEY,
    _OWNED, _VISIT,
)  # fmt: skip
_ALL_KEYS = frozenset((*_DRAWING, _TABLE_PLURAL))
_NO_CUES = CueIndex(())

# Every route but a chat answer needs the cue in the phrase's sentence, so a cue's sentence
# is the window read for atoms; answers to a question some lines up come from _answer_zones.
_ATOM_MAX = 60  # longer than any atom: how far an atom cut off by its window is read again


@cache
def _phrases(group: str) -> PhraseSet:
    return PhraseSet(word_list("appointment", group))


def _key_pattern() -> str:
    """Record keys that name an appearance: "next_hearing", "nextCourtDate", "fecha_cita"
    (caseless; an underscore or nothing joins the parts)."""

    def alt(name: str) -> str:
        return "|".join(
            re.escape(w).replace("_", "_?")
            for w in sorted(word_list("appointment", name), key=lambda w: (-len(w), w))
        )

    before, events, after = alt("key_parts_before"), alt("key_events"), alt("key_parts_after")
    return (
        rf"\b(?:(?:{before})_?(?:{events})(?:_?(?:{after}))?"
        rf"|(?:{after})_?(?:de_?)?(?:{events})|(?:{events})_?(?:{after}))\b"
    )


def _visit_pattern() -> str:
    """The objects of a visit ("counselor", "terapia", "clinic"); the verb before them is
    read in Python (:func:`_visit_start`). The verbs ("see", "go to", "be in") are among the
    most frequent words of English and Spanish: a prefilter pattern led by them costs the
    scan three times what this family is worth."""
    return phrase_pattern(word_list("appointment", "visit_objects"))


@cache
def _visit_before_rx() -> re.Pattern[str]:
    verbs = phrase_pattern(word_list("appointment", "visit_verbs"))
    return re.compile(
        rf"{verbs}[ \t\n]+(?:(?:the|his|her|their|a|an|la|el|al|su|sus)[ \t\n]+)?$", re.I
    )


def _visit_start(text: str, c: Candidate) -> int | None:
    """Where the verb of a visit begins before its object ("sees the counselor"), or None
    when no visit verb stands right before it."""
    lo = max(0, c.start - 30)
    m = _visit_before_rx().search(text, lo, c.start)
    return m.start() if m is not None else None


def _meeting_pattern() -> str:
    """ "meeting with the advocate", "reunión con su trabajadora social"."""
    nouns = phrase_pattern(word_list("appointment", "meeting_nouns"))
    providers = phrase_pattern(word_list("appointment", "providers"))
    return rf"{nouns}[ \t]+(?:(?:the|his|her|their|a|an|la|el|su|sus)[ \t]+)?{providers}"


@cache
def _plural_rx() -> re.Pattern[str]:
    """The plural appearance nouns, for the rare look back from "New date: ..."."""
    return re.compile(phrase_pattern(word_list("appointment", "plural_events")), re.I)


class _Phrase:
    """A date/time phrase; ``sent`` is the sentence it was read in, when that is known."""

    __slots__ = ("end", "sent", "start", "strong")

    def __init__(
        self, start: int, end: int, strong: bool, sent: tuple[int, int] | None = None
    ) -> None:
        self.start = start
        self.end = end
        self.strong = strong
        self.sent = sent


class _Cues:
    """The cue candidates of one text, by kind, indexed for range queries."""

    __slots__ = (
        "anaphora", "booking", "drawing", "event", "keys", "owned", "personal", "subject",
        "subject_verb", "weak",
    )  # fmt: skip

    def __init__(self, ctx: ScanContext) -> None:
        found = ctx.candidates
        get = found.get
        events = get(_EVENT) or []
        if any(c.end - c.start <= 5 for c in events):
            events = [c for c in events if _abbreviation_ok(ctx.text, c)]
        weak = get(_WEAK_EVENT) or []
        if weak:
            # "follow-up" is a noun only with its hyphen: "to follow up Monday" is a verb
            text = ctx.text
            weak = [
                c
                for c in weak
                if "-" in text[c.start : c.end]
                or quick_fold(text[c.start : c.end]) not in _HYPHENED
            ]
        subject = get(_PERSONAL_SUBJECT) or []
        visits = []
        for c in get(_VISIT) or ():
            start = _visit_start(ctx.text, c)
            if start is not None and not _staff_before(ctx.text, start):
                visits.append(Candidate(start, c.end))
        if visits:
            # a visit is a verb of coming in with a person as its subject, read as one
            subject = sorted([*subject, *visits], key=_start)
        lists = (
            get(_PERSONAL),
            subject,
            get(_SUBJECT_VERB),
            events,
            weak,
            get(_ANAPHORA),
            get(_BOOKING),
            get(_KEY),
            get(_OWNED),
        )
        indexes = [CueIndex(x) if x else _NO_CUES for x in lists]
        self.personal, self.subject, self.subject_verb, self.event, self.weak = indexes[:5]
        self.anaphora, self.booking, self.keys, self.owned = indexes[5:]
        present = [ix for ix in indexes if ix]
        if len(present) == 1:
            self.drawing = present[0]
        else:
            self.drawing = CueIndex(sorted((c for ix in present for c in ix.cands), key=_start))


class AppointmentDetector:
    """Finds upcoming court dates, hearings, probation reports and agency appointments."""

    id = "locating.appointment"
    categories: tuple[str, ...] = (CATEGORY,)

    def patterns(self) -> Sequence[PatternSpec]:
        """Cue words (from ``cues.yaml``); plural nouns only where they head a table column."""

        def spec(key: str, regex: str) -> PatternSpec:
            return PatternSpec(key, regex, caseless=True, unicode=True)

        a = "appointment"
        plural = phrase_pattern(word_list(a, "plural_events"))
        # "| Court dates |", "Name,DOB,Appointments\n": a header cell ends in a delimiter or
        # the line's end. In prose the plural nouns are frequent ("las citas se pueden
        # programar en línea") and never an appearance, so they are not worth a callback
        # each. (A delimiter *before* the noun would also do, but a pattern that starts with a
        # comma or two spaces costs Hyperscan three times the rest of this family.)
        header = plural + r"[ \t]*(?:[|\t,\r\n]|[ ]{2})"
        return [
            spec(_PERSONAL, phrase_pattern(word_list(a, "personal"))),
            spec(_PERSONAL_SUBJECT, phrase_pattern(word_list(a, "personal_subject"))),
            spec(_SUBJECT_VERB, phrase_pattern(word_list(a, "subject_verbs"))),
            spec(_EVENT, phrase_pattern(word_list(a, "events"))),
            spec(_WEAK_EVENT, phrase_pattern(word_list(a, "weak_events"))),
            spec(_ANAPHORA, phrase_pattern(word_list(a, "anaphora"))),
            spec(_BOOKING, phrase_pattern(word_list(a, "booking"))),
            spec(_KEY, _key_pattern()),
            spec(_OWNED, _meeting_pattern()),
            spec(_VISIT, _visit_pattern()),
            spec(_TABLE_PLURAL, header),
        ]

    def detect(self, ctx: ScanContext) -> Iterator[Finding]:
        """Findings for every accepted date/time phrase (see the module docstring)."""
        if ctx.candidates.keys().isdisjoint(_ALL_KEYS):
            return  # no cue word at all: the common case for ordinary mail
        text = ctx.text
        cues = _Cues(ctx)

        emitted = Spans()
        table_spans: list[tuple[int, int]] = []
        for cue in [*cues.event.cands, *ctx.hits(_TABLE_PLURAL)]:
            cells = _table_cells(ctx, cue)
            if not cells:
                continue
            table_spans.append((line_bounds(text, cue.start)[0], cells[-1][1]))
            for a, b in cells:
                # A cell is short: read its atoms directly (rows run past any cue's window).
                low = text[a:b].lower()
                inside = [(a + m.start(), a + m.end()) for m in _ATOM_RX.finditer(low)]
                if inside:
                    s, e = inside[0][0], inside[-1][1]
                    emitted.add(s, e)
                    yield Finding(CATEGORY, s, e, text[s:e], 0.85, self.id, ("table column",))
        if cues.event:
            for s, e, evidence in _field_block(ctx, cues.event):
                if not emitted.covers(s):
                    emitted.add(s, e)
                    yield Finding(CATEGORY, s, e, text[s:e], 0.8, self.id, evidence)
            for s, e, evidence in _docket(ctx, cues.event):
                if not emitted.covers(s):
                    emitted.add(s, e)
                    yield Finding(CATEGORY, s, e, text[s:e], 0.8, self.id, evidence)
        if not cues.drawing:
            return
        table_rows = Spans(table_spans)

        # A chat answer follows a question ("?") or a request in a chat turn ("Name: ...").
        zones = _answer_zones(text, cues.drawing) if "?" in text or ":" in text else []
        # One window per sentence that holds a cue; cues in a sentence already read add none.
        windows: list[tuple[int, int]] = []
        for c in cues.drawing.cands:
            if not windows or c.start >= windows[-1][1]:
                windows.append(sentence(ctx, c.start, c.end))
        atoms = _atoms_in(text, windows, zones)
        answer_zones = Spans(zones)
        # Cheap rejections first; only then widen to a weekday next to the phrase.
        ready: list[tuple[_Phrase, int, int]] = []
        strong = Spans()
        for ph in _merge(text, atoms):
            where = _placed(text, ph, table_rows)
            if where is not None:
                _widen(text, ph)
                ready.append((ph, *where))
                strong.add(ph.start, ph.end)
        # Bare weekdays right after a cue: "hearing on Monday", "reports Mondays".
        for c in [*cues.personal.cands, *cues.subject.cands, *cues.subject_verb.cands]:
            self._weekday_after(text, c, strong, table_rows, ready)
        for c in cues.event.cands:
            self._weekday_after(text, c, strong, table_rows, ready)

        for ph, ls, body in sorted(ready, key=_ready_start):
            if emitted.covers(ph.start):
                continue
            verdict = self._judge(ctx, ph, cues, ls, body, answer_zones)
            if verdict is None:
                continue
            conf, evidence = verdict
            if text.endswith(("am.", "pm.", "AM.", "PM."), ph.start, ph.end):
                ph.end -= 1  # "10:00 am." ends a sentence; "a.m." keeps its period
            emitted.add(ph.start, ph.end)
            yield Finding(
                CATEGORY, ph.start, ph.end, text[ph.start : ph.end], conf, self.id, evidence
            )

    @staticmethod
    def _weekday_after(
        text: str,
        c: Candidate,
        strong: Spans,
        table_rows: Spans,
        ready: list[tuple[_Phrase, int, int]],
    ) -> None:
        day = _day_after_cue(text, c.end)
        if day is None or strong.covers(day[0]):
            return
        ph = _Phrase(day[0], day[1], False)
        where = _placed(text, ph, table_rows)
        if where is not None:
            ready.append((ph, *where))

    # -- one phrase -------------------------------------------------------------------------

    def _judge(
        self,
        ctx: ScanContext,
        ph: _Phrase,
        cues: _Cues,
        ls: int,
        body: int,
        answer_zones: Spans,
    ) -> tuple[float, tuple[str, ...]] | None:
        text = ctx.text
        lead = text[max(ls, ph.start - 25) : ph.start].lower()
        if any(b in lead for b in _BIRTH_STEMS):
            # The label right before the date, or with one joiner ("born on", "nacido el");
            # not a field further back ("<DOB>...</DOB><NextHearing>2026-04-01").
            before = [fold_word(w) for w in words_in(lead, 0, len(lead))[-2:]]
            if before and (
                before[-1] in _BIRTH
                or (len(before) == 2 and before[0] in _BIRTH and before[1] in _BIRTH_JOINERS)
            ):
                return None  # "DOB 4/16/1993", "Fecha de nacimiento 22/09/1983"
        if _EFFECTIVE.search(lead):
            return None  # "A partir del 1 de julio, ...": when a rule takes effect
        if ph.strong and _log_stamp(text, ph, ls):
            return None  # "3/18/19 OV. Client reported ...": when the note was written
        s, e, words = sentence_words(ctx, ph.start, ph.end, ph.sent)
        accepted = self._accept(ctx, ph, s, e, cues, words)
        if accepted is not None:
            conf, evidence = accepted
            if _phrases("vetoes").find_in(words) is not None:
                return None
            if _past(words):
                return None
            if _phrases("generic_subjects").find_in(words) and person_in(words) is None:
                return None  # "Parolees must report on the first Monday at 9"
            return conf, evidence
        if answer_zones.covers(ph.start):
            return self._answer(ctx, ph, ls, body, cues)
        return None

    def _accept(
        self,
        ctx: ScanContext,
        ph: _Phrase,
        s: int,
        e: int,
        cues: _Cues,
        words: Words,
    ) -> tuple[float, tuple[str, ...]] | None:
        """The route that ties the phrase to one person's appearance: (confidence, evidence)."""
        text = ctx.text

        def said(c: Candidate) -> str:
            return text[c.start : c.end]

        personal = cues.personal.within(s, e)
        subject = [c for c in cues.subject_verb.within(s, e) if _has_subject(ctx, c)]
        subject += [
            c
            for c in cues.subject.within(s, e)
            if _has_subject(ctx, c)
            or person_in(words)
            or not words.set.isdisjoint(_ROLES)  # "Told client to report tomorrow at 9."
            # "1. Report to the Española office every Monday at 8:30." in a list of one
            # probationer's conditions: an instruction to the person the list names.
            or (not text[s : c.start].strip(" \t>*•-") and _person_around(ctx, c.start))
        ]
        events = [c for c in cues.event.within(s, e) if not _bad_event(ctx, c)]

        if not ph.strong:
            if text[e : e + 1] == "?":
                return None  # "Is Ochoa still coming in tomorrow?": the answer has the time
            # A bare weekday or "tomorrow" only right after its cue: "hearing on Monday".
            for c in [*personal, *subject, *events]:
                if (
                    c.end <= ph.start
                    and _weak_gap(text, c.end, ph.start)
                    and (c in personal or c in subject or _determined(ctx, c, s))
                ):
                    return 0.7, (said(c),)
            return None

        for c in cues.booking.within(s, e):
            # "te pongo miércoles 11/19 a las 3:30": the date right after the verb, said to
            # (or of) a person the text identifies: the other side of a chat, an addressee.
            if c.end <= ph.start and _BOOKING_GAP.fullmatch(text, c.end, ph.start):
                ls, le = line_bounds(text, c.start)
                who = (
                    ("chat" if speaker_prefix_end(text[ls:le]) else None)
                    or person_in(words)
                    or _person_around(ctx, c.start)
                    or _addressee(ctx, c.start)
                )
                if who is not None:
                    return 0.8, (said(c), who)
        for c in cues.keys.within(s, e):
            # "next_hearing": "2025-12-09 13:30" in a record about somebody
            if c.end <= ph.start and _KEY_VALUE.fullmatch(text, c.end, ph.start):
                # a record's fields run long: its "dob" may be a dozen fields up
                who = _person_around(ctx, c.start) or record_marker_in(
                    text, max(0, c.start - _RECORD_REACH), c.start, ("appointment", "record_ids")
                )
                if who is not None:
                    return 0.85, (said(c), who)

        if personal or subject:
            cue = (personal or subject)[0]
            if not _addressed_to_you(text, cue):
                return 0.9, (said(cue),)
            # "You must report to me every Monday": the reader's, as "your hearing" is.
            addressee = _addressee(ctx, ph.start)
            return (0.8, (said(cue), addressee)) if addressee is not None else None

        near = [c for c in events if _near(ctx, c, ph)]
        # "your appointment", "an interview has been scheduled for you": the reader's. That is
        # an appearance of an identified person only where the text identifies the reader
        # ("Dear Mr. Benally:", "Defendant: Luis ARCHULETA", an address block); a reminder
        # nobody is named in is the business mail the scanner must leave alone.
        to_reader = not words.set.isdisjoint(_SECOND_PERSON)
        readers = [
            c for c in near if _readers(ctx, c) or (to_reader and not _owned(ctx, c, s, words))
        ]
        addressee = _addressee(ctx, ph.start) if readers else None
        theirs = [c for c in near if c not in readers]
        for c in theirs:
            if (
                _determined(ctx, c, s)
                or _OWNER_AFTER.match(text, c.end, c.end + 40)
                or _field_label(ctx, c, ph)
                or _SET_FOR.match(text, c.end, c.end + 40)
                or _SET_FOR_BEFORE.search(ctx.before(c.start, 60))
            ):
                return 0.85, (said(c),)
        if theirs:
            who = person_in(words)
            if who is not None:
                return 0.8, (said(theirs[0]), who)
        if readers and addressee is not None:
            return 0.8, (said(readers[0]), addressee)
        for c in theirs:
            # "court date Mon Aug 12 at 8:30 AM" in a reminder log, "Drug testing Fridays at
            # 10" in a probationer's conditions: the date right after the noun, in a block
            # about somebody.
            if c.end <= ph.start and _ADJACENT_GAP.fullmatch(text, c.end, ph.start):
                who = _person_around(ctx, c.start) or _record_row(ctx, c.start)
                if who is not None:
                    return 0.75, (said(c), who)
        for c in theirs:
            # "La audiencia para extender la orden será el martes 5 ...", "the hearing on the
            # protective order will be November 5 at 10": the noun, a short complement and a
            # copula, then the date, in a block about somebody.
            if c.end <= ph.start and _COMPLEMENT_COPULA.fullmatch(text, c.end, ph.start):
                who = _person_around(ctx, c.start)
                if who is not None:
                    return 0.75, (said(c), who)
        for c in theirs:
            # "Audiencia ante el juez de inmigración el 9 de septiembre", "hearing on the
            # permanent order Nov. 19": the noun, a short complement, the date.
            if c.end <= ph.start and _COMPLEMENT_DATE.fullmatch(text, c.end, ph.start):
                who = _person_around(ctx, c.start)
                if who is not None:
                    return 0.75, (said(c), who)
        for c in cues.owned.within(s, e):
            # "Darlene's next meeting with the advocate is Friday at 3:00": somebody's.
            if _near(ctx, c, ph) and _POSSESSIVE.search(ctx.before(c.start, 40)):
                return 0.75, (said(c),)
        for c in cues.weak.within(s, e):
            if _near(ctx, c, ph) and _POSSESSIVE.search(ctx.before(c.start, 40)):
                return 0.75, (said(c),)
            # "Follow-up: martes 11/24, 9am" closing a note about somebody: a field label.
            if _near(ctx, c, ph) and _field_label(ctx, c, ph):
                who = _person_around(ctx, c.start)
                if who is not None:
                    return 0.75, (said(c), who)
        for c in cues.anaphora.within(s, e):
            if c.end <= ph.start + 1:
                back = _appearance_before(ctx, cues, c.start)
                if back is not None:
                    return 0.75, (said(c), back)
        return None

    def _answer(
        self, ctx: ScanContext, ph: _Phrase, ls: int, body: int, cues: _Cues
    ) -> tuple[float, tuple[str, ...]] | None:
        """A short reply to a question about an appearance: "Is he coming in?" / "yes 10 am"."""
        if not ph.strong:
            return None
        text = ctx.text
        lead = text[body : ph.start]
        if not (_answer_lead(lead) or _PREDICATIVE.search(lead[-16:])):
            return None
        asks = _phrases("asks")
        for c in reversed(cues.drawing.within(ls - 350, ls)):
            if _bad_event(ctx, c):
                continue
            qs, qe = line_bounds(text, c.start, cap=300)
            question = text[qs:qe]
            # A question, or a request in a chat turn ("ICE wants Loera's next report date").
            if "?" in question or (
                speaker_prefix_end(question) and asks.find(question, 0, len(question))
            ):
                return 0.7, (text[c.start : c.end], "answer")
        return None


_STAFF = norm_set(word_list("appointment", "staff_titles"))


def _staff_before(text: str, pos: int) -> bool:
    """Whether the subject of a visit is staff ("Dr. Ortiz will be at the clinic", "the nurse
    sees the therapist"): their schedule, not a person's appearance."""
    near = words_in(text, max(0, pos - 30), pos)[-3:]
    return not _STAFF.isdisjoint(fold_word(w) for w in near)


def _start(c: Candidate) -> int:
    return c.start


def _ready_start(item: tuple[_Phrase, int, int]) -> int:
    return item[0].start


def _abbreviation_ok(text: str, c: Candidate) -> bool:
    """ "OV", "UA", "RESEA" count only in capitals: "ov" and "ua" are parts of other words."""
    said = text[c.start : c.end]
    return said.rstrip("'’s").isupper() or said.lower() not in _ABBREVIATIONS


def _atoms_in(
    text: str, sentences: list[tuple[int, int]], zones: list[tuple[int, int]]
) -> list[tuple[int, int, tuple[int, int] | None]]:
    """The date/time atoms in the cue sentences (each atom with its sentence) and in the
    answer zones (sentence unknown). Each window is lower-cased on its own: lowering a whole
    long text for a few short windows costs more than reading them."""
    found: dict[int, tuple[int, tuple[int, int] | None]] = {}
    n = len(text)
    windows = sorted([*((s, e, (s, e)) for s, e in sentences), *((a, b, None) for a, b in zones)])
    lo_done = 0
    for lo, hi, sent in windows:
        lo = max(lo, lo_done, 0)
        if lo >= hi:
            continue
        # Start a window on a word boundary; an atom cut off by its end is matched again
        # below with the text after it ("October 22, 2019, 1:30 p.m.").
        while lo > 0 and text[lo - 1].isalnum() and hi - lo < 400:
            lo -= 1
        hi = min(n, hi)
        lo_done = hi
        low = text[lo:hi].lower()
        if len(low) != hi - lo or _ATOM_HINT.search(low) is None:
            continue  # no digit, no "a las": no atom ('İ' lowers to two characters: skip)
        if sent is not None and "\n" in low:
            # a sentence's line breaks are wraps ("Mondays at\n10:00"): read them as spaces
            low = low.replace("\r", " ").replace("\n", " ")
        for m in _ATOM_RX.finditer(low):
            a, b = lo + m.start(), lo + m.end()
            if b >= hi - 1:
                # Cut off by the window's end ("1:30 p.m" before the period that ends the
                # sentence): match it again with the text after it.
                whole = _ATOM_RX.match(text[a : a + _ATOM_MAX].lower())
                b = a + whole.end() if whole is not None else b
            if found.get(a, (-1, None))[0] < b:
                found[a] = (b, sent)
    return [(s, e, sent) for s, (e, sent) in found.items()]


def _placed(text: str, ph: _Phrase, table_rows: Spans) -> tuple[int, int] | None:
    """(line start, message body start) for a phrase that may be an appearance, or None for
    a table's other columns, a mail header or a chat timestamp."""
    if table_rows.covers(ph.start):
        return None  # a table's other columns (DOB, dates of entry) are not appearances
    ls, le = line_bounds(text, ph.start)
    line = text[ls:le]
    if header_line(line):
        return None
    body = ls + speaker_prefix_end(line)
    if ph.start < body:
        return None  # a chat timestamp or a "Label:" before the message
    return ls, body


def _log_stamp(text: str, ph: _Phrase, ls: int) -> bool:
    """A numeric date that opens a line and is followed by a note: a log or chrono stamp
    ("3/18/19 OV. Client reported new job", "08/05 10:02  text sent: ...")."""
    lead = _LOG_STAMP_LEAD.match(text, ls, ph.start)
    if lead is None or lead.end() != ph.start or not _NUMERIC_START.match(text, ph.start):
        return False
    _, le = line_bounds(text, ph.end)
    rest = text[ph.end : le].strip()
    return bool(rest) and rest[0] not in ".;)"


def _answer_zones(text: str, drawing: CueIndex) -> list[tuple[int, int]]:
    """The lines after a question about an appearance, where a short answer may give the
    time ("Is Ochoa still coming in tomorrow?" / "yes 10 am")."""
    zones: list[tuple[int, int]] = []
    asks = _phrases("asks")
    for c in drawing.cands:
        nl = text.find("\n", c.end, c.end + 300)
        eol = nl if nl != -1 else min(len(text), c.end + 300)
        if zones and zones[-1][0] == eol:
            continue
        if text.find("?", c.end, eol) == -1:
            # A request in a chat turn: "Gallegos 2:14 PM: ICE wants Loera's next report date".
            qs, qe = line_bounds(text, c.start, cap=300)
            question = text[qs:qe]
            if not (speaker_prefix_end(question) and asks.find(question, 0, len(question))):
                continue
        zones.append((eol, eol + 350))
    return zones


def _widen(text: str, ph: _Phrase) -> None:
    """Take in a weekday next to the phrase: "Tuesday 8/20 ...", "at 9 tomorrow"."""
    day = _day_before(text, ph.start, wrapped=ph.sent is not None and not text[ph.start].isdigit())
    if day is not None:
        ph.start = day[0]
    day = _day_after(text, ph.end)
    if day is not None:
        ph.end = day[1]


_DAY_TOKEN = re.compile(r"[^\W\d_]+\.?")
_DAY_NEXT = re.compile(r"[ \t]*(?:,[ \t]*|on[ \t]+|el[ \t]+)?([^\W\d_]+\.?)", re.IGNORECASE)


def _day_word(tok: str) -> bool:
    t = tok.rstrip(".")
    # Logs write abbreviations in capitals too: "TPO HEARING TUES 10/27".
    return (
        t.lower().translate(_ACCENTS) in _DAYS
        or t in _DAY_ABBR
        or (t.isupper() and t.capitalize() in _DAY_ABBR)
    )


def _day_before(text: str, atom_start: int, *, wrapped: bool = False) -> tuple[int, int] | None:
    """A weekday right before an atom: "Tuesday 8/20", "every other Thursday at 8:30",
    "Mon/Wed before 9", "mañana jueves a las 9"."""
    lo = max(0, atom_start - 40)
    # Most atoms have no day before them: decide that from the one word before.
    near = text[max(lo, atom_start - 24) : atom_start].replace(",", " ").replace("/", " ").split()
    if not near or not (near[-1].lower() in _DAY_JOINERS or _day_word(near[-1])):
        return None
    start: int | None = None
    end: int | None = None
    right = atom_start
    for m in reversed(list(_DAY_TOKEN.finditer(text, lo, atom_start))):
        a, b = m.start(), m.end()
        if (_DAY_GAP_WRAPPED if wrapped else _DAY_GAP).fullmatch(text, b, right) is None:
            break
        tok = m.group()
        if end is None and tok.lower() in _DAY_JOINERS:
            right = a  # "Monday at 7am": "at" joins the day to the time
            continue
        if _day_word(tok):
            start, right = a, a
            end = end if end is not None else b
        elif start is not None and fold_word(tok) in _DAY_PREFIX:
            start, right = a, a
        else:
            break
    return (start, end) if start is not None and end is not None else None


def _day_after(text: str, atom_end: int) -> tuple[int, int] | None:
    """A weekday right after an atom: "at 9 tomorrow", "10 am Monday"."""
    m = _DAY_NEXT.match(text, atom_end, atom_end + 20)
    if m is not None and _day_word(m.group(1)):
        end = m.end(1)
        if text[end - 1] == "." and m.group(1)[:-1].lower().translate(_ACCENTS) in _DAYS:
            end -= 1  # "on Monday." ends the sentence; "Mon." keeps its period
        return m.start(1), end
    return None


_CUE_TAIL_TOKEN = re.compile(r"[^\W\d_]+\.?|:")
_CUE_TAIL_START = _DAY_PREFIX | _WEAK_GAP_WORDS


def _day_after_cue(text: str, cue_end: int) -> tuple[int, int] | None:
    """A weekday a few filler words after a cue: "hearing on Monday", "reports Mondays"."""
    # Most cues are followed by something else: decide that from the first word.
    first = text[cue_end : cue_end + 16].split(None, 1)
    if not first:
        return None
    word = first[0].rstrip(".,;!?)")
    if not (word.startswith(":") or _day_word(word) or fold_word(word) in _CUE_TAIL_START):
        return None
    pos = cue_end
    start = None
    for m in _CUE_TAIL_TOKEN.finditer(text, cue_end, cue_end + 40):
        tok = m.group()
        if text[pos : m.start()].strip(" \t"):
            break
        pos = m.end()
        folded = fold_word(tok)
        if _day_word(tok):
            return (start if start is not None else m.start()), pos
        if folded in _DAY_PREFIX:
            start = start if start is not None else m.start()
            continue
        if tok == ":" or folded in _WEAK_GAP_WORDS:
            start = None
            continue
        break
    return None


def _merge(text: str, atoms: list[tuple[int, int, tuple[int, int] | None]]) -> Iterator[_Phrase]:
    """Join atoms that overlap or are separated only by joiners into phrases."""
    atoms.sort(key=_atom_start)
    cur: _Phrase | None = None
    for s, e, sent in atoms:
        join = _JOIN_WRAPPED if _wrap_ok(text, s, sent, cur) else _JOIN
        if cur is not None and (
            s <= cur.end or (s - cur.end <= 8 and join.fullmatch(text, cur.end, s) is not None)
        ):
            cur.end = max(cur.end, e)
            if cur.sent != sent:
                cur.sent = None  # joined across windows: find its sentence again
            continue
        if cur is not None:
            yield cur
        cur = _Phrase(s, e, True, sent)
    if cur is not None:
        yield cur


def _wrap_ok(text: str, s: int, sent: tuple[int, int] | None, cur: _Phrase | None) -> bool:
    """Whether a line break may join the atom at ``s`` to the phrase before it: inside one
    sentence ("8/20\nat 1:30" wrapped), and not before a number opening the line, which in
    chats and logs is the next message's stamp ("yes 9:30\n09:26 he just walked in")."""
    return cur is not None and sent is not None and cur.sent == sent and not text[s].isdigit()


def _atom_start(atom: tuple[int, int, tuple[int, int] | None]) -> int:
    return atom[0]


def _table_cells(ctx: ScanContext, cue: Candidate) -> list[tuple[int, int]]:
    table = table_at(ctx, cue)
    if table is None or not people_table(table.header_cells):
        return []
    return list(table.cells)


def _past(words: Words) -> bool:
    """Whether the sentence tells of an appearance that happened (and of none to come).

    A past participle after "be" is still to come: "the form must be signed before her
    appointment on 12/14", "is to be heard on Monday"."""
    past = _phrases("past")
    if past.find_in(words) is None:
        return False
    padded = words.padded
    hits = [f" {p} " for p in past.single.intersection(words.set)]
    hits += [m for m in past.multi if m in padded]
    if all(padded.count(h) == padded.count(f" be{h}") for h in hits):
        return False
    return _phrases("future").find_in(words) is None


def _weak_gap(text: str, a: int, b: int) -> bool:
    gap = quick_fold(text[a:b].replace(":", " "))
    return all(w in _WEAK_GAP_WORDS for w in gap.split())


def _answer_lead(lead: str) -> bool:
    """Only a few filler words or a name before the time: "yes ", "Sí Rosa, "."""
    words = lead.replace(",", " ").replace(".", " ").replace("!", " ").split()
    if len(words) > 4:
        return False
    return all(
        fold_word(w) in _ANSWER_FILLERS or (w[:1].isupper() and not w.isupper()) for w in words
    )


def _near(ctx: ScanContext, c: Candidate, ph: _Phrase) -> bool:
    """The cue comes before the phrase, or right after it: "his 2:30 appointment", "10 am
    for her interview" (not "on 3/4 to continue the hearing")."""
    if c.end <= ph.start:
        return True
    if c.start < ph.end or c.start - ph.end > 25:
        return False
    return _FORWARD_GAP.fullmatch(ctx.text, ph.end, c.start) is not None


def _has_subject(ctx: ScanContext, c: Candidate) -> bool:
    m = _SUBJECT.search(ctx.before(c.start, 40))
    if m is None:
        return False
    return fold_word(m.group().split()[0]) not in _NOT_SUBJECTS


_YOU = frozenset({"you", "usted", "ustedes", "tu", "tú"})
_MODALS = frozenset({"will", "must", "can", "should", "need", "needs", "have", "are", "debe"})


def _addressed_to_you(text: str, c: Candidate) -> bool:
    """ "You must report ...", "You will check in ...", "Usted se presenta ...": the reader
    is the subject of a personal cue."""
    before = text[max(0, c.start - 25) : c.start].lower().split()[-2:]
    while before and before[-1] in _MODALS:
        before.pop()
    return bool(before) and before[-1].strip(",.:;") in _YOU


def _readers(ctx: ScanContext, c: Candidate) -> bool:
    """ "your appointment", "tu cita": the event belongs to the reader of the mail (not in
    "your client's hearing", where it is the client's)."""
    prev = words_in(ctx.text, max(0, c.start - 30), c.start)[-3:]
    for w in reversed(prev):
        if w.endswith(("'s", "’s")):
            return False
        if w.lower() in _SECOND_PERSON:
            return True
    return False


def _bad_event(ctx: ScanContext, c: Candidate) -> bool:
    if _BAD_AFTER.match(ctx.text, c.end, c.end + 16):
        return True
    prev = [w.lower() for w in words_in(ctx.text, max(0, c.start - 20), c.start)[-2:]]
    if prev and (prev[-1] in _BAD_BEFORE or prev == ["hard", "of"]):
        return True
    if quick_fold(ctx.text[c.start : c.end]) in _COURT_WORDS:
        # The institution ("The Court finds", "Court is closed"), not a place one goes.
        return not prev or fold_word(prev[-1]) not in _COURT_BEFORE
    return False


def _determined(ctx: ScanContext, c: Candidate, sent_start: int) -> bool:
    """ "his hearing", "her next appointment", "Pacheco's plea hearing", "Next report"."""
    if quick_fold(ctx.text[c.start : c.end]).startswith("next "):
        return True
    window = ctx.text[max(sent_start, c.start - 40) : c.start]
    return _DETERMINED.search(window) is not None


def _field_label(ctx: ScanContext, c: Candidate, ph: _Phrase) -> bool:
    """ "Sentencing: 10/22" in a record, or "Court date 12/3 at 9am" opening a note line."""
    text = ctx.text
    ls, _ = line_bounds(text, c.start, cap=200)
    before = text[ls : c.start]
    if _FIELD_BEFORE.search(before) and _FIELD_AFTER.match(text, c.end, c.end + 12):
        return True
    return (
        c.end <= ph.start
        and ph.start - c.end <= 12
        and _LINE_LABEL_BEFORE.fullmatch(before) is not None
        and _LINE_LABEL_GAP.fullmatch(text, c.end, ph.start) is not None
    )


# "Your hearing is scheduled for:" ending its line, then "DATE: ..." / "TIME: ..." fields
# under it: a notice's layout, the date and time each on a labelled line of their own.
_LEAD_LINE_END = re.compile(r"[^\n.!?]{0,40}:[ \t]*\r?\n")
_FIELD_LINE = re.compile(
    r"[ \t]*(?:" + phrase_pattern(word_list("appointment", "notice_fields")) + r")[ \t]*:[ \t]*",
    re.IGNORECASE,
)
_FIELD_LINES = 4  # a notice's date, time and place fields, maybe a blank line between


def _field_block(ctx: ScanContext, events: CueIndex) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """The dates and times in the labelled field lines under a lead line that ends with an
    appearance noun's colon, in a notice to (or about) a person the text names."""
    text = ctx.text
    for c in events.cands:
        lead = _LEAD_LINE_END.match(text, c.end)
        if lead is None or _bad_event(ctx, c):
            continue
        who = _addressee(ctx, c.start) or _person_around(ctx, c.start)
        if who is None:
            continue
        pos = lead.end()
        for _ in range(_FIELD_LINES):
            ls, le = line_bounds(text, pos)
            if ls >= len(text):
                break
            field = _FIELD_LINE.match(text, ls, le)
            if field is None and text[ls:le].strip():
                break  # the block ends at the first line that is not a field
            if field is not None:
                low = text[field.end() : le].lower()
                inside = [m.span() for m in _ATOM_RX.finditer(low)]
                if inside:
                    s, e = field.end() + inside[0][0], field.end() + inside[-1][1]
                    day = _day_before(text, s)
                    s = day[0] if day is not None else s
                    yield s, e, (text[c.start : c.end], who)
            pos = le + 1


def _appearance_before(ctx: ScanContext, cues: _Cues, pos: int) -> str | None:
    """The appearance a pointer such as "Nueva fecha:" points back to, within 300 characters."""
    text = ctx.text
    lo = max(0, pos - 300)
    for ix in (cues.event, cues.weak, cues.personal):
        back = [x for x in ix.within(lo, pos) if not _bad_event(ctx, x)]
        if back:
            return text[back[-1].start : back[-1].end]
    m = _plural_rx().search(text, lo, pos)
    return m.group() if m is not None else None


def _owned(ctx: ScanContext, c: Candidate, sent_start: int, words: Words) -> bool:
    """Whether a third person owns the appearance: "his hearing", "Pacheco's", "la cita de
    Rosa", or a person in the sentence ("Mr. Ruiz, your client, has a hearing ...")."""
    return bool(
        _POSSESSIVE.search(ctx.text, max(sent_start, c.start - 40), c.start)
        or _OWNER_AFTER.match(ctx.text, c.end, c.end + 40)
        or person_in(words) is not None
    )


def _person_around(ctx: ScanContext, pos: int) -> str | None:
    """Who the block around ``pos`` is about: a person mentioned in the 300 characters before
    or the 150 after (a log's or a list's heading names the person once), or a record field
    that only a person has ("dob", "SSN")."""
    lo, hi = max(0, pos - 300), pos + 150
    return person_in(Words(ctx.text, lo, hi)) or record_marker_in(
        ctx.text, lo, hi, ("appointment", "record_ids")
    )


_BLOCK_REACH = 20_000  # how far up a delimited table's header row is looked for


def _record_row(ctx: ScanContext, pos: int) -> str | None:
    """A record field in the header of the delimited table whose row holds ``pos``: the
    "recert 12/10 1:00pm" cell of a CSV row is that row's person's, when the header has a
    column only a person has ("dob", "ssn"). The field found, or None."""
    text = ctx.text
    ls, le = line_bounds(text, pos)
    line = text[ls:le]
    if line.count(",") < 3 and line.count("\t") < 2 and line.count("|") < 2:
        return None  # prose: the common case, decided by counting
    lo = max(0, ls - _BLOCK_REACH)
    gap = text.rfind("\n\n", lo, ls)
    if gap == -1 and lo > 0:
        return None  # a table longer than the reach: its header is too far to tell
    hs = gap + 2 if gap != -1 else 0
    he = text.find("\n", hs, ls + 1)
    if he == -1 or he >= ls:
        return None  # the row is the block's first line: no header above it
    return record_marker_in(text, hs, he, ("appointment", "record_ids"))


def _docket(ctx: ScanContext, events: CueIndex) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """The times of a court calendar's rows, each row one person ("08:30  A-219-044-117
    VÁSQUEZ PÉREZ, Lucía  asilo — audiencia"), under a court word, and the calendar's date
    in its heading ("Fecha de audiencias: miércoles 10 de diciembre de 2025")."""
    text = ctx.text
    done = -1
    for c in events.cands:
        if c.start < done:
            continue
        ls, _ = line_bounds(text, c.start)
        hi = min(len(text), c.end + _DOCKET_REACH)
        done = hi
        if text.find(":", c.end, hi) == -1:
            continue  # no clock time at all: the common case, decided in C
        rows = list(_DOCKET_ROW.finditer(text, ls, hi))
        # One row alone is a log line; a calendar lists several, one under the other.
        if len(rows) < 2 or text.count("\n", rows[0].start(), rows[1].start()) > 2:
            continue
        evidence = (text[c.start : c.end], "calendar")
        head = text[ls : rows[0].start()]
        if head.count("\n") <= 4:
            low = head.lower()
            for m in _ATOM_RX.finditer(low):
                ph = _Phrase(ls + m.start(), ls + m.end(), True)
                if not text[ph.start].isdigit() or "/" in m.group() or " " in m.group():
                    _widen(text, ph)
                    yield ph.start, ph.end, evidence
                    break
        for r in rows:
            yield r.start("time"), r.end("time"), evidence


# -- letters to one person ------------------------------------------------------------------


def _alternation(words: list[str]) -> str:
    return "|".join(
        r"[ \t]+".join(re.escape(w) for w in x.split())
        for x in sorted(words, key=len, reverse=True)
    )


@cache
def _addressee_rx() -> re.Pattern[str]:
    greetings = _alternation(word_list("appointment", "greetings"))
    fields = _alternation(word_list("appointment", "addressee_fields"))
    ids = _alternation(word_list("appointment", "addressee_ids"))
    titles = _alternation(word_list("person", "titles"))
    roles = _alternation(word_list("person", "roles"))
    name = r"[A-ZÁÉÍÓÚÑ][\w'’-]+"
    gender = r"(?:\([ao]s?\))?"  # "Estimado(a) Sr(a). Pérez"
    return re.compile(
        # "Dear Mr. Benally:", "Estimada Sra. Maldonado,", "Hola Rosa,"
        rf"^[ \t>]*(?i:{greetings}){gender}[ \t,]+(?:(?i:{titles}){gender}\.?[ \t]+)?"
        rf"(?P<greeted>{name})"
        # "Claimant: Ruben OLGUIN", "Probationer name - Lucia Vigil", "Nombre: Rosa Loera"
        rf"|^[ \t>*•\-]*(?i:{fields})(?:[ \t]+(?i:name|nombre))?[ \t]*[:#\-][ \t]*"
        rf"(?P<field>{name}(?:,?[ \t]+{name})+)"
        # "Claimant ID: 4471823", "SSN: XXX-XX-6614": one person's file
        rf"|^[ \t>*•\-]*(?P<id>(?i:{ids}))[ \t]*(?:no\.?|number|#)?[ \t]*[:#.\-]?[ \t]*"
        r"[\w-]*\d"
        # A letter's address block: a name over a street address.
        rf"|^[ \t]*(?P<block>{name}(?:[ \t]+(?:{name}|[A-Z]\.)){{1,3}})[ \t]*\r?\n"
        r"[ \t]*\d{1,6}[ \t]+[A-Za-zÁÉÍÓÚÑáéíóúñ]"
        # A person as records name one: "Mr. Ruiz", "probationer Lucia Vigil", "Daniel PORRAS"
        rf"|\b(?P<titled>(?i:{titles})\.?[ \t]+{name})"
        rf"|\b(?P<role>(?i:{roles})[ \t]+[A-ZÁÉÍÓÚÑ][a-záéíóúñ'’-]+)"
        r"|\b(?P<caps>[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+[ \t]+[A-ZÁÉÍÓÚÑ]{3,}\b)",
        re.MULTILINE,
    )


_BLOCK = 4096  # the text is read for addressees in blocks, each once, only near readers


def _addressees_in(ctx: ScanContext, block: int) -> list[tuple[int, str]]:
    """Where block ``block`` of the text names the one person it is written to or about."""
    cache_ = ctx.shared("locating.appointment.addressees", _new_block_cache)
    found = cache_.get(block)
    if found is not None:
        return found
    not_addressees = norm_set(word_list("appointment", "not_addressees"))
    text = ctx.text
    lo = block * _BLOCK
    found = []
    # Read a little into the block before, so that a block or a line cut in two is whole.
    for m in _addressee_rx().finditer(text, max(0, lo - 200), min(len(text), lo + _BLOCK)):
        if m.start() < lo and block > 0:
            continue
        who = next(g for g in m.groups() if g)
        first = who.split()[0].rstrip(",.")
        if m.group("greeted") and fold(first) in not_addressees:
            continue  # "Dear Customer", "Hola a todos", "Dear Agent Tull"
        if m.group("titled") and fold(who.split()[-1]) in not_addressees:
            continue
        found.append((m.start(), who))
    cache_[block] = found
    return found


def _new_block_cache(_ctx: ScanContext) -> dict[int, list[tuple[int, str]]]:
    return {}


def _addressee(ctx: ScanContext, pos: int) -> str | None:
    """The person a second-person phrase at ``pos`` is written to: named before it, at most
    4000 characters up (a quoted older letter further up names somebody else)."""
    first = max(0, pos - 4000) // _BLOCK
    for block in range(pos // _BLOCK, first - 1, -1):
        named = [(at, who) for at, who in _addressees_in(ctx, block) if pos - 4000 <= at <= pos]
        if named:
            return named[-1][1]
    return None
