"""Import of an existing contact list (CSV or Excel) into actors and contacts: read and check every row first
(a preview with a German reason per bad row), then write the good rows. Idempotent: a contact is matched by its
e-mail address, otherwise by the actor's name and address and the person's name, and updated, never doubled."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.errors import DomainError
from fonds.models import Actor, Authority, Consent, Contact, Topic
from fonds.services.actors import consent_give
from fonds.services.audit import audit_record

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# The columns we read, each with the headings people use for it (compared without case, spaces or hyphens).
HEADINGS = {
    "actor": ("akteur", "organisation", "firma", "name"),
    "kind": ("art", "typ"),
    "street": ("strasse", "straße", "adresse", "anschrift"),
    "postcode": ("plz", "postleitzahl"),
    "city": ("ort", "stadt"),
    "contact": ("ansprechperson", "kontakt", "ansprechpartner", "ansprechpartnerin", "person"),
    "function": ("funktion", "rolle"),
    "email": ("email", "mail", "emailadresse"),
    "phone": ("telefon", "tel", "telefonnummer"),
    "topics": ("themen", "thema"),
    "consent": ("einwilligungemail", "einwilligung", "einwilligungeinladungen"),
    "consent_date": ("einwilligungam", "einwilligungdatum", "einwilligungvom"),
}
YES, NO = {"ja", "j", "yes", "x", "1", "true"}, {"nein", "n", "no", "0", "false", ""}


@dataclass
class ImportRow:
    number: int  # the line in the file, as a spreadsheet program shows it (heading = 1)
    values: dict
    errors: list = field(default_factory=list)
    action: str = ""  # "neu" or "aktualisieren"


def _key(heading) -> str:
    return re.sub(r"[\s\-_./]", "", str(heading or "").strip().lower())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(*, name: str, data: bytes) -> list[list[str]]:
    """The file's rows as strings. CSV (UTF-8 or Windows-1252, separated by ; or ,) or Excel (.xlsx)."""
    if len(data) > MAX_BYTES:
        raise DomainError(_("Die Datei ist größer als 5 MB. Bitte teilen Sie die Liste auf."), field="file")
    lower = name.lower()
    if lower.endswith(".xlsx"):
        if not data.startswith(b"PK\x03\x04"):
            raise DomainError(_("Die Datei ist keine Excel-Datei (.xlsx). Bitte speichern Sie sie in Excel als "
                                "„Excel-Arbeitsmappe“ oder als CSV."), field="file")
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
            return [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError):
            raise DomainError(_("Die Excel-Datei lässt sich nicht lesen. Bitte speichern Sie sie erneut oder als "
                                "CSV."), field="file") from None
    if lower.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        return [[_cell(value) for value in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    raise DomainError(_("Bitte laden Sie eine CSV-Datei oder eine Excel-Datei (.xlsx) hoch."), field="file")


def _columns(heading_row) -> dict:
    wanted = {alias: name for name, aliases in HEADINGS.items() for alias in aliases}
    columns = {}
    for index, heading in enumerate(heading_row):
        name = wanted.get(_key(heading))
        if name and name not in columns:
            columns[name] = index
    if "actor" not in columns:
        raise DomainError(_("In der ersten Zeile fehlt die Spalte „Akteur“ (oder „Name“). Die erste Zeile muss die "
                            "Spaltenüberschriften enthalten."), field="file")
    return columns


KIND_BY_WORD = {**{_key(label): value for value, label in Actor.Kind.choices},
                **{value: value for value in Actor.Kind.values},
                "handel": "retail", "einzelhandel": "retail", "gastronomie": "gastronomy",
                "eigentümer": "owner", "eigentuemer": "owner", "eigentümerin": "owner", "verein": "club",
                "initiative": "initiative", "institution": "institution", "privatperson": "person"}


def _parse_date(text: str) -> str | None:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _check(row: ImportRow) -> None:
    v, errors = row.values, row.errors
    if not v["actor"]:
        errors.append(_("Der Name des Akteurs fehlt."))
    kind = KIND_BY_WORD.get(_key(v["kind"]))
    if kind is None:
        errors.append(_("Die Art „%(kind)s“ ist unbekannt. Möglich sind: %(kinds)s.")
                      % {"kind": v["kind"] or _("(leer)"), "kinds": ", ".join(str(label) for _v, label
                                                                               in Actor.Kind.choices)})
    v["kind"] = kind
    if v["email"]:
        v["email"] = v["email"].lower()
        try:
            validate_email(v["email"])
        except ValidationError:
            errors.append(_("Die E-Mail-Adresse „%(email)s“ ist ungültig.") % {"email": v["email"]})
    if v["postcode"] and not re.fullmatch(r"\d{5}", v["postcode"]):
        errors.append(_("Die PLZ „%(postcode)s“ hat nicht fünf Ziffern.") % {"postcode": v["postcode"]})
    consent = v["consent"].lower()
    if consent not in YES | NO:
        errors.append(_("Bei „Einwilligung E-Mail“ bitte „ja“ oder „nein“ eintragen, nicht „%(value)s“.")
                      % {"value": v["consent"]})
    v["consent"] = consent in YES
    if v["consent"] and not v["email"]:
        errors.append(_("Eine Einwilligung in E-Mails ohne E-Mail-Adresse ergibt keinen Sinn."))
    if v["consent_date"]:
        parsed = _parse_date(v["consent_date"])
        if parsed is None or parsed > timezone.localdate().isoformat():
            errors.append(_("Das Datum der Einwilligung „%(value)s“ ist kein gültiges Datum (TT.MM.JJJJ) oder liegt "
                            "in der Zukunft.") % {"value": v["consent_date"]})
        v["consent_date"] = parsed
    for name, limit in (("actor", 200), ("contact", 200), ("street", 200), ("city", 100), ("phone", 50),
                        ("function", 200)):
        if len(v[name]) > limit:
            errors.append(_("Der Eintrag in „%(column)s“ ist länger als %(limit)s Zeichen.")
                          % {"column": name, "limit": limit})
    v["topics"] = [t.strip() for t in re.split(r"[;,]", v["topics"]) if t.strip()]


def _match(*, authority: Authority, values: dict) -> tuple[Actor | None, Contact | None]:
    """The actor and contact this row describes, if we have them already."""
    contacts = Contact.objects.filter(actor__authority=authority, anonymised_at__isnull=True)
    if values["email"]:
        contact = contacts.select_related("actor").filter(email__iexact=values["email"]).first()
        if contact is not None:
            return contact.actor, contact
    actor = Actor.objects.filter(authority=authority, name__iexact=values["actor"],
                                 street__iexact=values["street"], postcode=values["postcode"]).first()
    if actor is None:
        return None, None
    name = values["contact"] or values["actor"]
    return actor, contacts.filter(actor=actor, name__iexact=name).first()


def contact_import_preview(*, authority: Authority, name: str, data: bytes) -> list[ImportRow]:
    table = read_table(name=name, data=data)
    if not table:
        raise DomainError(_("Die Datei ist leer."), field="file")
    columns = _columns(table[0])
    rows, seen = [], {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise DomainError(_("Die Datei hat mehr als %(n)s Zeilen. Bitte teilen Sie die Liste auf.")
                              % {"n": MAX_ROWS}, field="file")
        values = {name: (cells[index] if index < len(cells) else "") for name, index in columns.items()}
        values = {name: values.get(name, "") for name in HEADINGS}
        row = ImportRow(number=number, values=values)
        _check(row)
        identity = row.values["email"] or (row.values["actor"].lower(), row.values["street"].lower(),
                                          row.values["postcode"], row.values["contact"].lower())
        if not row.errors and identity in seen:
            row.errors.append(_("Diese Person steht schon in Zeile %(line)s.") % {"line": seen[identity]})
        seen.setdefault(identity, number)
        if not row.errors:
            _actor, contact = _match(authority=authority, values=row.values)
            row.action = _("aktualisieren") if contact else _("neu")
        rows.append(row)
    return rows


@transaction.atomic
def contact_import_apply(*, actor, authority: Authority, rows: list[ImportRow], source: str) -> dict:
    """Write the rows without errors. Returns how many contacts were created and updated."""
    created = updated = 0
    for row in rows:
        if row.errors:
            continue
        v = row.values
        found_actor, contact = _match(authority=authority, values=v)
        if found_actor is None:
            found_actor = Actor.objects.create(authority=authority, name=v["actor"], kind=v["kind"],
                                               street=v["street"], postcode=v["postcode"], city=v["city"])
        else:
            for name in ("street", "postcode", "city"):
                if v[name] and not getattr(found_actor, name):
                    setattr(found_actor, name, v[name])
            found_actor.save()
        for topic in v["topics"]:
            found_actor.topics.add(Topic.objects.get_or_create(name=topic[:100])[0])
        person = v["contact"] or v["actor"]
        if contact is None:
            contact = Contact.objects.create(actor=found_actor, name=person, function=v["function"],
                                             email=v["email"], phone=v["phone"])
            created += 1
        else:
            for name, value in (("function", v["function"]), ("email", v["email"]), ("phone", v["phone"])):
                if value:
                    setattr(contact, name, value)
            contact.save()
            updated += 1
        if v["consent"]:
            given = (timezone.make_aware(datetime.fromisoformat(v["consent_date"])) if v["consent_date"]
                     else timezone.now())
            consent_give(actor=actor, contact=contact, purpose=Consent.Purpose.INVITATIONS,
                         source=_("Import: %(source)s") % {"source": source}, given_at=given)
    skipped = sum(1 for row in rows if row.errors)
    audit_record(actor=actor, action="contacts.imported", obj=authority,
                 after={"source": source, "created": created, "updated": updated, "skipped": skipped})
    return {"created": created, "updated": updated, "skipped": skipped}
