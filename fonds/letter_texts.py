"""The editable texts of letters: named blocks per kind, their default wording and their placeholders.

The legal skeleton of every letter (tenor, Rechtsbehelfsbelehrung, waiver form, DIN layout) stays in the
templates under notifications/templates/letters/. The free texts come from the fund's current
LetterTemplate, or from DEFAULTS below when the fund has none. A text may name placeholders in braces,
e.g. `{aktenzeichen}`; only the ones listed for its kind are allowed. They are replaced by plain text when a
letter is drafted, and the result is frozen into `letter.data["blocks"]` (Django template syntax from users is
never evaluated: the templates print the resolved text escaped).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fonds.errors import DomainError
from fonds.formatting import date_de, euro

MAX_BLOCK_LENGTH = 4000


@dataclass(frozen=True)
class Block:
    key: str
    label: str
    default: str


COMMON_PLACEHOLDERS = {
    "aktenzeichen": gettext_lazy("Aktenzeichen des Antrags"),
    "projekt": gettext_lazy("Titel des Projekts"),
    "fonds": gettext_lazy("Name des Fonds"),
    "fonds_und_programm": gettext_lazy("Name des Fonds, dahinter das Programm in Klammern"),
    "behoerde": gettext_lazy("Name der Bewilligungsbehörde"),
    "empfaenger": gettext_lazy("Name des Antragstellers"),
    "antragsdatum": gettext_lazy("Datum des Antrags"),
    "datum": gettext_lazy("Datum des Schreibens"),
}

# Placeholders a kind adds to the common ones: name -> (label, path into letter.data, format).
KIND_PLACEHOLDERS = {
    "receipt": {"beantragt": (gettext_lazy("Beantragte Zuwendung"), "application.requested_grant", "euro")},
    "rejection": {},
    "bescheid": {
        "betrag": (gettext_lazy("Bewilligte Zuwendung (Höchstbetrag)"), "content.amount", "euro"),
        "bewilligungsende": (gettext_lazy("Ende des Bewilligungszeitraums"), "content.period_end", "date"),
        "nachweisfrist": (gettext_lazy("Frist für den Verwendungsnachweis"), "content.use_report_due", "date"),
        "zweckbindung_jahre": (gettext_lazy("Jahre der Zweckbindung"), "content.earmarking_years", "text"),
    },
    "settlement": {"betrag": (gettext_lazy("Festgesetzte Zuwendung"), "content.final_grant", "euro")},
    "recovery": {
        "betrag": (gettext_lazy("Zu zahlender Gesamtbetrag"), "content.total", "euro"),
        "frist": (gettext_lazy("Fälligkeit"), "content.due_date", "date"),
    },
    "documents_request": {"frist": (gettext_lazy("Frist für die Unterlagen"), "content.deadline", "date")},
    "hearing": {
        "frist": (gettext_lazy("Frist für die Stellungnahme"), "content.deadline", "date"),
        "massnahme": (gettext_lazy("Beabsichtigte Maßnahme (Ablehnung oder Rückforderung)"),
                      "content.measure_label", "text"),
    },
    "amendment": {
        "betrag": (gettext_lazy("Zuwendung nach der Änderung"), "content.new_amount", "euro"),
        "bisher": (gettext_lazy("Zuwendung vor der Änderung"), "content.old_amount", "euro"),
        "bescheid_datum": (gettext_lazy("Datum des Zuwendungsbescheids"), "content.bescheid_issued_on", "date"),
    },
    "de_minimis": {
        "betrag": (gettext_lazy("Bewilligte Zuwendung (Höchstbetrag)"), "content.amount", "euro"),
        "bescheid_nummer": (gettext_lazy("Nummer des Zuwendungsbescheids"), "content.bescheid_number", "text"),
        "bescheid_datum": (gettext_lazy("Datum des Zuwendungsbescheids"), "content.bescheid_issued_on", "date"),
    },
    "payment_notice": {
        "betrag": (gettext_lazy("Ausgezahlter Betrag"), "content.amount", "euro"),
        "rest": (gettext_lazy("Noch nicht ausgezahlter Teil der Zuwendung"), "content.remaining", "euro"),
    },
}

BLOCKS = {
    "receipt": [
        Block("intro", gettext_lazy("Einleitung"),
              "Ihr Antrag vom {antragsdatum} auf Gewährung einer Zuwendung aus dem {fonds_und_programm} ist bei uns "
              "eingegangen. Vielen Dank für Ihr Engagement."),
        Block("closing", gettext_lazy("Schlusssatz"),
              "Den Stand Ihres Antrags können Sie jederzeit online verfolgen. Für Fragen steht Ihnen das "
              "Citymanagement gern zur Verfügung."),
    ],
    "rejection": [
        Block("discretion", gettext_lazy("Allgemeine Begründung (Ermessen)"),
              "Ein Rechtsanspruch auf die Gewährung einer Zuwendung besteht nicht. Die {behoerde} entscheidet über "
              "Anträge nach pflichtgemäßem Ermessen im Rahmen der verfügbaren Mittel und unter Beachtung des "
              "Gleichbehandlungsgrundsatzes. Nach Abwägung aller Umstände, insbesondere der oben genannten Gründe, "
              "war Ihr Antrag abzulehnen."),
        Block("closing", gettext_lazy("Hinweis auf einen neuen Antrag"),
              "Es steht Ihnen frei, einen neuen Antrag zu stellen, wenn die Ablehnungsgründe ausgeräumt sind. Das "
              "Citymanagement berät Sie gern."),
    ],
    "bescheid": [
        Block("intro", gettext_lazy("Einleitung vor dem Tenor"),
              "auf Ihren Antrag vom {antragsdatum} ergeht folgender"),
        Block("publicity_sign", gettext_lazy("Förderhinweis (Nr. 2.4)"),
              "Sie haben während der Durchführung und nach Fertigstellung des Projekts in geeigneter Weise, "
              "insbesondere durch ein gut sichtbares Schild am Projekt und in Veröffentlichungen, auf die Förderung "
              "hinzuweisen. Der Förderhinweis lautet: „Gefördert durch Städtebauförderung von Bund, Ländern und "
              "Gemeinden“ und enthält das Logo der Städtebauförderung. Vorlagen erhalten Sie beim Citymanagement."),
        Block("payment_terms", gettext_lazy("Auszahlungsbedingungen (Vorschlag für Nr. 2.6)"),
              "Die Zuwendung wird auf Anforderung ausgezahlt, soweit sie innerhalb von zwei Monaten nach der "
              "Auszahlung für fällige Zahlungen benötigt wird. Der Restbetrag wird nach Prüfung des "
              "Verwendungsnachweises ausgezahlt."),
        Block("discretion", gettext_lazy("Allgemeine Begründung (Ermessen)"),
              "Das Projekt entspricht dem Zuwendungszweck des {fonds} und den Förderrichtlinien. Ein Rechtsanspruch "
              "auf die Zuwendung besteht nicht; die Bewilligung erfolgt nach pflichtgemäßem Ermessen im Rahmen der "
              "verfügbaren Mittel. Die Nebenbestimmungen sollen die zweckentsprechende und wirtschaftliche "
              "Verwendung der öffentlichen Mittel sichern."),
        Block("waiver_note", gettext_lazy("Hinweis zum Rechtsbehelfsverzicht"),
              "Dieser Bescheid wird erst nach Ablauf der Klagefrist bestandskräftig. Wenn Sie mit dem Bescheid "
              "einverstanden sind, können Sie die Bestandskraft früher herbeiführen, indem Sie die beigefügte "
              "Erklärung über den Rechtsbehelfsverzicht unterschrieben an uns zurücksenden. Der Verzicht kann "
              "nicht widerrufen werden."),
    ],
    "settlement": [
        Block("intro", gettext_lazy("Einleitung"),
              "vielen Dank für Ihren Verwendungsnachweis zum Projekt „{projekt}“. Wir haben ihn geprüft und teilen "
              "Ihnen das Ergebnis mit."),
        Block("audit_reservation", gettext_lazy("Vorbehalt weiterer Prüfungen"),
              "Diese Prüfung erfolgt vorbehaltlich einer weiteren Prüfung durch die Rechnungsprüfung und die für "
              "die Städtebauförderung zuständigen Stellen des Landes. Ergeben sich dabei Beanstandungen, bleiben "
              "ein Widerruf und eine Rückforderung vorbehalten."),
    ],
    "recovery": [
        Block("payment_note", gettext_lazy("Hinweis zur Überweisung"),
              "Bitte geben Sie als Verwendungszweck unbedingt das Aktenzeichen an, damit Ihre Zahlung zugeordnet "
              "werden kann."),
    ],
    "documents_request": [
        Block("intro", gettext_lazy("Einleitung"),
              "vielen Dank für Ihren Antrag vom {antragsdatum} auf Förderung des Projekts „{projekt}“ aus dem "
              "{fonds}. Bei der Prüfung Ihres Antrags haben wir festgestellt, dass noch Unterlagen fehlen. Bitte "
              "reichen Sie die folgenden Unterlagen bis zum {frist} nach:"),
        Block("how", gettext_lazy("Wie die Unterlagen eingereicht werden"),
              "Bitte laden Sie die Unterlagen im Antragsportal bei Ihrem Antrag hoch oder senden Sie sie uns unter "
              "Angabe des Aktenzeichens {aktenzeichen}."),
        Block("consequences", gettext_lazy("Folgen einer versäumten Frist"),
              "Solange die Unterlagen fehlen, kann Ihr Antrag nicht weiter bearbeitet werden. Gehen sie bis zum "
              "Ablauf der Frist nicht ein, entscheiden wir nach Aktenlage; fehlen dann für die Förderung "
              "wesentliche Angaben, muss der Antrag abgelehnt werden. Können Sie die Frist nicht einhalten, "
              "sprechen Sie uns bitte vorher an."),
        Block("closing", gettext_lazy("Schlusssatz"), "Für Fragen steht Ihnen das Citymanagement gern zur Verfügung."),
    ],
    "hearing": [
        Block("intro", gettext_lazy("Einleitung"),
              "bevor wir in Ihrer Förderangelegenheit „{projekt}“ entscheiden, geben wir Ihnen Gelegenheit, sich zu "
              "den für die Entscheidung erheblichen Tatsachen zu äußern."),
        Block("statement", gettext_lazy("Wie Sie sich äußern können"),
              "Sie können sich bis zum {frist} schriftlich, per E-Mail oder über das Antragsportal äußern oder um "
              "einen Gesprächstermin bitten. Bitte geben Sie dabei das Aktenzeichen {aktenzeichen} an."),
        Block("closing", gettext_lazy("Schlusshinweis"),
              "Äußern Sie sich bis zum Ablauf der Frist nicht, entscheiden wir nach Aktenlage. Für Fragen steht "
              "Ihnen das Citymanagement gern zur Verfügung."),
    ],
    "amendment": [
        Block("intro", gettext_lazy("Einleitung vor dem Tenor"),
              "in Ihrer Förderangelegenheit „{projekt}“ ergeht folgender"),
        Block("discretion", gettext_lazy("Allgemeine Begründung (Ermessen)"),
              "Die Änderung erfolgt nach pflichtgemäßem Ermessen. Sie dient der zweckentsprechenden, wirtschaftlichen "
              "und sparsamen Verwendung der Mittel des {fonds}."),
    ],
    "de_minimis": [
        Block("intro", gettext_lazy("Einleitung"),
              "mit dem Zuwendungsbescheid {bescheid_nummer} vom {bescheid_datum} hat Ihnen die {behoerde} aus dem "
              "{fonds} eine Zuwendung gewährt. Diese Zuwendung ist eine De-minimis-Beihilfe. Wir bescheinigen Ihnen "
              "hiermit:"),
        Block("closing", gettext_lazy("Schlusshinweis"),
              "Die {behoerde} trägt die Beihilfe in das zentrale Beihilfenregister ein (Art. 6 der Verordnung). Für "
              "Fragen steht Ihnen das Citymanagement gern zur Verfügung."),
    ],
    "payment_notice": [
        Block("intro", gettext_lazy("Einleitung"),
              "für Ihr Projekt „{projekt}“ haben wir eine Auszahlung in Höhe von {betrag} freigegeben. Der Betrag wird "
              "in den nächsten Tagen auf das unten genannte Konto überwiesen."),
        Block("closing", gettext_lazy("Hinweis zur Verwendung der Mittel"),
              "Bitte verwenden Sie die ausgezahlten Mittel innerhalb von zwei Monaten nach der Auszahlung für fällige "
              "Zahlungen und bewahren Sie alle Rechnungen und Zahlungsnachweise für den Verwendungsnachweis auf."),
    ],
}

DEFAULTS = {kind: {block.key: block.default for block in blocks} for kind, blocks in BLOCKS.items()}

_TOKEN = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def placeholders_for(kind: str) -> dict:
    """name -> label of every placeholder a text of `kind` may use."""
    names = dict(COMMON_PLACEHOLDERS)
    names.update({name: spec[0] for name, spec in KIND_PLACEHOLDERS.get(kind, {}).items()})
    return names


def block_labels(kind: str) -> dict:
    return {block.key: block.label for block in BLOCKS[kind]}


def blocks_validate(kind: str, blocks: dict) -> dict:
    """The texts cleaned, or a DomainError naming the first block and placeholder that is wrong."""
    if kind not in BLOCKS:
        raise DomainError(_("Für diese Briefart gibt es keine bearbeitbaren Texte."))
    allowed = placeholders_for(kind)
    cleaned = {}
    for block in BLOCKS[kind]:
        text = (blocks.get(block.key) or "").replace("\r\n", "\n").strip()
        if not text:
            raise DomainError(_("Der Textbaustein „%(block)s“ darf nicht leer sein.") % {"block": block.label},
                              field=block.key)
        if len(text) > MAX_BLOCK_LENGTH:
            raise DomainError(_("Der Textbaustein „%(block)s“ ist länger als %(max)s Zeichen.")
                              % {"block": block.label, "max": MAX_BLOCK_LENGTH}, field=block.key)
        for match in _TOKEN.finditer(text):
            name = match.group(1)
            if not _NAME.fullmatch(name):
                raise DomainError(_("Der Platzhalter „%(token)s“ im Textbaustein „%(block)s“ ist fehlerhaft. "
                                    "Platzhalter bestehen aus Kleinbuchstaben in geschweiften Klammern, z. B. "
                                    "{aktenzeichen}.") % {"token": match.group(0), "block": block.label},
                                  field=block.key)
            if name not in allowed:
                raise DomainError(_("Unbekannter Platzhalter „%(token)s“ im Textbaustein „%(block)s“. Erlaubt sind: "
                                    "%(allowed)s.") % {"token": match.group(0), "block": block.label,
                                                       "allowed": ", ".join(f"{{{n}}}" for n in allowed)},
                                  field=block.key)
        rest = _TOKEN.sub("", text)
        stray = next((c for c in rest if c in "{}"), None)
        if stray:
            raise DomainError(_("Im Textbaustein „%(block)s“ steht eine einzelne geschweifte Klammer „%(brace)s“. "
                                "Geschweifte Klammern sind Platzhaltern vorbehalten.")
                              % {"block": block.label, "brace": stray}, field=block.key)
        cleaned[block.key] = text
    return cleaned


def _lookup(data: dict, path: str):
    value = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def placeholder_values(kind: str, data: dict) -> dict:
    """What each placeholder stands for in the letter whose frozen data is `data`, as German text."""
    fund, application = data.get("fund") or {}, data.get("application") or {}
    values = {
        "aktenzeichen": application.get("file_number") or "",
        "projekt": application.get("title") or "",
        "fonds": fund.get("name") or "",
        "fonds_und_programm": (f"{fund.get('name', '')} ({fund['programme']})" if fund.get("programme")
                               else fund.get("name") or ""),
        "behoerde": (data.get("authority") or {}).get("name") or "",
        "empfaenger": (data.get("recipient") or {}).get("name") or "",
        "antragsdatum": date_de(application.get("submitted_at") or ""),
        "datum": date_de(data.get("date") or ""),
    }
    for name, (_label, path, kind_of) in KIND_PLACEHOLDERS.get(kind, {}).items():
        value = _lookup(data, path)
        if value in (None, ""):
            values[name] = ""
        elif kind_of == "euro":
            values[name] = euro(value)
        elif kind_of == "date":
            values[name] = date_de(str(value))
        else:
            values[name] = str(value)
    return values


def blocks_resolve(kind: str, texts: dict, data: dict) -> dict:
    """The texts with their placeholders replaced: what the letter prints, frozen at drafting."""
    values = placeholder_values(kind, data)
    texts = {**DEFAULTS.get(kind, {}), **texts}
    return {key: _TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), text) for key, text in texts.items()}
