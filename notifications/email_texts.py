"""The shipped wording of every event's e-mail, German and English. A fund's own wording
(EmailTemplate) overrides it; placeholders are the event's (notifications/events.py)."""


def _de(subject: str, body: str, link_label: str = "Ihr Antrag im Portal") -> tuple[str, str]:
    return subject, ("Guten Tag {{ recipient_name }},\n\n" + body + "\n\n" + link_label
                     + ":\n{{ link }}\n\nFreundliche Grüße\n{{ fund }}\n")


def _en(subject: str, body: str, link_label: str = "Your application in the portal") -> tuple[str, str]:
    return subject, ("Dear {{ recipient_name }},\n\n" + body + "\n\n" + link_label
                     + ":\n{{ link }}\n\nKind regards\n{{ fund }}\n")


_NO_ATTACHMENT_DE = "Aus Datenschutzgründen schicken wir den Bescheid nicht als Anhang."
_NO_ATTACHMENT_EN = "To protect your data, we do not send the notice as an e-mail attachment."
_ABOUT_DE = "„{{ title }}“ ({{ file_number }})"
_ABOUT_EN = "“{{ title }}” ({{ file_number }})"
_CASE_DE = "Antrag: „{{ title }}“ ({{ file_number }}), {{ organisation }}"
_CASE_EN = "Application: “{{ title }}” ({{ file_number }}), {{ organisation }}"

DEFAULTS: dict[str, dict[str, tuple[str, str]]] = {
    "application_submitted": {
        "de": _de("Ihr Antrag ist eingegangen – {{ file_number }}",
                  "vielen Dank für den Antrag „{{ title }}“, den Sie für {{ organisation }} gestellt haben. Er ist "
                  "bei uns eingegangen und hat das Aktenzeichen {{ file_number }}. Bitte geben Sie es bei Fragen "
                  "immer an.\n\n"
                  "Ihre Eingangsbestätigung können Sie im Portal herunterladen:\n{{ letter_link }}\n\n"
                  "Wir prüfen Ihren Antrag jetzt. Wenn Unterlagen fehlen, melden wir uns bei Ihnen."),
        "en": _en("We have received your application – {{ file_number }}",
                  "thank you for your application “{{ title }}” on behalf of {{ organisation }}, which we have "
                  "received under the file number {{ file_number }}. Please quote this number whenever you contact "
                  "us.\n\n"
                  "You can download your acknowledgement of receipt in the portal:\n{{ letter_link }}\n\n"
                  "We will now check your application and get in touch if anything is missing."),
    },
    "documents_requested": {
        "de": _de("Bitte reichen Sie Unterlagen nach – {{ file_number }}",
                  f"für Ihren Antrag {_ABOUT_DE} brauchen wir noch Folgendes:\n\n{{{{ items }}}}\n\n"
                  "Bitte laden Sie die Unterlagen bis zum {{ deadline }} im Portal hoch. Wenn Sie Fragen haben "
                  "oder die Frist nicht schaffen, melden Sie sich bitte rechtzeitig bei uns."),
        "en": _en("Please send us further documents – {{ file_number }}",
                  f"for your application {_ABOUT_EN} we still need the following:\n\n{{{{ items }}}}\n\n"
                  "Please upload the documents in the portal by {{ deadline }}. If you have questions or cannot "
                  "meet this deadline, please contact us in good time."),
    },
    "documents_received": {
        "de": _de("Unterlagen eingegangen – {{ file_number }}",
                  f"{{{{ organisation }}}} hat zum Antrag {_ABOUT_DE} die nachgeforderten Unterlagen eingereicht. "
                  "Bitte setzen Sie die Prüfung fort.", "Zum Antrag"),
        "en": _en("Documents received – {{ file_number }}",
                  f"{{{{ organisation }}}} has submitted the requested documents for the application {_ABOUT_EN}. "
                  "Please continue the check.", "Open the application"),
    },
    "check_finished": {
        "de": _de("Prüfung abgeschlossen – {{ file_number }}",
                  f"wir haben Ihren Antrag {_ABOUT_DE} geprüft. Das Ergebnis und die nächsten Schritte finden Sie "
                  "im Portal."),
        "en": _en("Check completed – {{ file_number }}",
                  f"we have finished checking your application {_ABOUT_EN}. You will find the result and the next "
                  "steps in the portal."),
    },
    "board_agenda": {
        "de": _de("Ihr Antrag liegt dem Beirat vor – {{ file_number }}",
                  f"Ihr Antrag {_ABOUT_DE} liegt jetzt dem Beirat zur Entscheidung vor. Sobald er entschieden hat, "
                  "informieren wir Sie. Sie müssen dafür nichts weiter tun."),
        "en": _en("Your application is with the advisory board – {{ file_number }}",
                  f"your application {_ABOUT_EN} is now with the advisory board for a decision. We will let you "
                  "know as soon as it has decided. There is nothing else you need to do."),
    },
    "decision": {
        "de": _de("Entscheidung über Ihren Antrag – {{ file_number }}",
                  f"der Beirat hat über Ihren Antrag {_ABOUT_DE} entschieden.\n\n"
                  "Ergebnis: {{ outcome }}{% if amount %}\nZuschuss: {{ amount }}{% endif %}\n\n"
                  "Rechtlich verbindlich ist erst der Bescheid. Sobald er erlassen ist, schreiben wir Ihnen und "
                  f"Sie können ihn im Portal herunterladen. {_NO_ATTACHMENT_DE}"),
        "en": _en("Decision on your application – {{ file_number }}",
                  f"the advisory board has decided on your application {_ABOUT_EN}.\n\n"
                  "Result: {{ outcome }}{% if amount %}\nGrant: {{ amount }}{% endif %}\n\n"
                  "Only the formal notice (Bescheid) is legally binding. Once it has been issued, we will write to "
                  f"you and you can download it in the portal. {_NO_ATTACHMENT_EN}"),
    },
    "bescheid_issued": {
        "de": _de("Ihr Bescheid liegt im Portal bereit – {{ file_number }}",
                  f"zu Ihrem Antrag {_ABOUT_DE} haben wir den Bescheid erlassen."
                  "{% if amount %} Bewilligter Zuschuss: {{ amount }}.{% endif %}\n\n"
                  "Bitte laden Sie den Bescheid im Portal herunter und lesen Sie ihn sorgfältig. Er enthält alle "
                  "Einzelheiten und eine Rechtsbehelfsbelehrung:\n{{ letter_link }}\n\n" + _NO_ATTACHMENT_DE),
        "en": _en("Your notice is ready in the portal – {{ file_number }}",
                  f"we have issued the formal notice (Bescheid) on your application {_ABOUT_EN}."
                  "{% if amount %} Grant approved: {{ amount }}.{% endif %}\n\n"
                  "Please download the notice in the portal and read it carefully. It contains all details and "
                  "explains how to appeal:\n{{ letter_link }}\n\n" + _NO_ATTACHMENT_EN),
    },
    "payment_released": {
        "de": _de("Auszahlung freigegeben – {{ file_number }}",
                  f"für Ihren Antrag {_ABOUT_DE} haben wir {{{{ amount }}}} zur Auszahlung freigegeben. Das Geld "
                  "wird in den nächsten Tagen auf das Konto überwiesen, das Sie uns genannt haben."),
        "en": _en("Payment released – {{ file_number }}",
                  f"we have released {{{{ amount }}}} for payment on your application {_ABOUT_EN}. The money will "
                  "be transferred to the account you gave us within the next few days."),
    },
    "use_report_due_soon": {
        "de": _de("Verwendungsnachweis fällig am {{ due_date }} – {{ file_number }}",
                  f"bitte denken Sie an den Verwendungsnachweis für {_ABOUT_DE}: Darin zeigen Sie, wofür Sie den "
                  "Zuschuss verwendet haben. Er ist in {{ weeks }} Woche{{ weeks|pluralize:\"n\" }} fällig, "
                  "am {{ due_date }}.\n\n"
                  "Dazu gehören ein kurzer Bericht über das Projekt, eine Aufstellung der Einnahmen und Ausgaben "
                  "und die Belege. Alles können Sie im Portal einreichen."),
        "en": _en("Proof of use due on {{ due_date }} – {{ file_number }}",
                  f"please remember the proof of use (Verwendungsnachweis) for {_ABOUT_EN}: it shows what the "
                  "grant was spent on. It is due in {{ weeks }} week{{ weeks|pluralize }}, on {{ due_date }}.\n\n"
                  "It consists of a short report on the project, a list of income and expenses, and the receipts. "
                  "You can submit everything in the portal."),
    },
    "use_report_overdue": {
        "de": _de("Verwendungsnachweis überfällig – {{ file_number }}",
                  f"der Verwendungsnachweis für {_ABOUT_DE} war am {{{{ due_date }}}} fällig. Bei uns ist er noch "
                  "nicht eingegangen.\n\n"
                  "Bitte reichen Sie ihn so bald wie möglich im Portal ein. Wenn Sie mehr Zeit brauchen, melden "
                  "Sie sich bitte bei uns. Ohne Verwendungsnachweis müssen wir den Zuschuss unter Umständen "
                  "zurückfordern."),
        "en": _en("Proof of use overdue – {{ file_number }}",
                  f"the proof of use (Verwendungsnachweis) for {_ABOUT_EN} was due on {{{{ due_date }}}}, and we "
                  "have not received it yet.\n\n"
                  "Please submit it in the portal as soon as possible. If you need more time, please contact us. "
                  "Without a proof of use we may have to reclaim the grant."),
    },
    "use_report_checked": {
        "de": _de("Verwendungsnachweis geprüft – {{ file_number }}",
                  f"wir haben den Verwendungsnachweis für {_ABOUT_DE} geprüft. Das Ergebnis finden Sie im Portal."),
        "en": _en("Proof of use checked – {{ file_number }}",
                  f"we have checked the proof of use for {_ABOUT_EN}. You will find the result in the portal."),
    },
    "settlement": {
        "de": _de("Schlussabrechnung zu Ihrem Antrag – {{ file_number }}",
                  f"die Prüfung des Verwendungsnachweises für {_ABOUT_DE} ist abgeschlossen. Der endgültige "
                  "Zuschuss beträgt {{ amount }}.\n\n"
                  "Den Bescheid über das Ergebnis können Sie im Portal herunterladen:\n{{ letter_link }}\n\n"
                  + _NO_ATTACHMENT_DE),
        "en": _en("Final statement on your application – {{ file_number }}",
                  f"we have finished checking the proof of use for {_ABOUT_EN}. The final grant is {{{{ amount }}}}."
                  "\n\nYou can download the notice (Bescheid) with the result in the portal:\n{{ letter_link }}\n\n"
                  + _NO_ATTACHMENT_EN),
    },
    "recovery": {
        "de": _de("Rückforderung zu Ihrem Antrag – {{ file_number }}",
                  f"zu Ihrem Antrag {_ABOUT_DE} müssen wir {{{{ amount }}}} des Zuschusses zurückfordern.\n\n"
                  "Die Gründe, die Zahlungsfrist und die Bankverbindung stehen im Bescheid. Er enthält auch eine "
                  "Rechtsbehelfsbelehrung. Sie können ihn im Portal herunterladen:\n{{ letter_link }}\n\n"
                  + _NO_ATTACHMENT_DE),
        "en": _en("Repayment of your grant – {{ file_number }}",
                  f"for your application {_ABOUT_EN} we have to reclaim {{{{ amount }}}} of the grant.\n\n"
                  "The reasons, the payment deadline and the bank details are in the formal notice (Bescheid), "
                  "which also explains how to appeal. You can download it in the portal:\n{{ letter_link }}\n\n"
                  + _NO_ATTACHMENT_EN),
    },
    "hearing": {
        "de": _de("Anhörung zu Ihrem Antrag – {{ file_number }}",
                  f"zu Ihrem Antrag {_ABOUT_DE} beabsichtigen wir eine {{{{ measure }}}}. Bevor wir entscheiden, "
                  "geben wir Ihnen Gelegenheit, sich zu äußern (Anhörung nach § 28 VwVfG NRW).\n\n"
                  "Den Sachverhalt und unsere Gründe finden Sie im Anhörungsschreiben im Portal:\n{{ letter_link }}"
                  "\n\nBitte nehmen Sie bis zum {{ deadline }} Stellung, schriftlich oder per E-Mail an das "
                  "Citymanagement. Was Sie uns mitteilen, berücksichtigen wir bei der Entscheidung.\n\n"
                  + _NO_ATTACHMENT_DE),
        "en": _en("Hearing on your application – {{ file_number }}",
                  f"for your application {_ABOUT_EN} we are considering a {{{{ measure }}}}. Before we decide, you may "
                  "state your view (hearing under section 28 of the Administrative Procedure Act of North "
                  "Rhine-Westphalia).\n\n"
                  "The facts and our reasons are in the hearing letter in the portal:\n{{ letter_link }}\n\n"
                  "Please reply by {{ deadline }}, in writing or by e-mail to the city centre management. We will "
                  "take what you tell us into account in our decision.\n\n" + _NO_ATTACHMENT_EN),
    },
    "task_assigned": {
        "de": _de("Neue Aufgabe: {{ task }} – {{ file_number }}",
                  f"Sie haben eine neue Aufgabe: {{{{ task }}}}\n{_CASE_DE}", "Zur Aufgabe"),
        "en": _en("New task: {{ task }} – {{ file_number }}",
                  f"you have a new task: {{{{ task }}}}\n{_CASE_EN}", "Open the task"),
    },
    "task_overdue": {
        "de": _de("Aufgabe überfällig: {{ task }} – {{ file_number }}",
                  f"die Aufgabe „{{{{ task }}}}“ war am {{{{ due_date }}}} fällig und ist noch offen.\n{_CASE_DE}\n\n"
                  "Bitte erledigen Sie sie oder geben Sie sie an eine Kollegin oder einen Kollegen ab.",
                  "Zur Aufgabe"),
        "en": _en("Task overdue: {{ task }} – {{ file_number }}",
                  f"the task “{{{{ task }}}}” was due on {{{{ due_date }}}} and is still open.\n{_CASE_EN}\n\n"
                  "Please complete it or hand it over to a colleague.", "Open the task"),
    },
    "meeting_ahead": {
        "de": _de("{{ meeting }} am {{ date }}",
                  "am {{ date }} tagt der Beirat ({{ meeting }}). Die Sitzungsunterlagen mit allen Anträgen "
                  "stehen im Portal für Sie bereit:\n{{ pack_link }}\n\n"
                  "Bitte sehen Sie die Anträge vorher durch und erklären Sie, ob Sie bei einem davon befangen sind.",
                  "Zum Portal"),
        "en": _en("{{ meeting }} on {{ date }}",
                  "the advisory board meets on {{ date }} ({{ meeting }}). The meeting papers with all "
                  "applications are ready for you in the portal:\n{{ pack_link }}\n\n"
                  "Please read the applications beforehand and declare whether you have a conflict of interest "
                  "in any of them.", "Open the portal"),
    },
    "conflict_declaration_open": {
        "de": _de("Bitte erklären Sie, ob Sie befangen sind – {{ meeting }}",
                  "für die Sitzung „{{ meeting }}“ am {{ date }} fehlt noch Ihre Erklärung, ob Sie bei einem der "
                  "Anträge befangen sind – zum Beispiel, weil Sie dem antragstellenden Verein angehören oder mit "
                  "jemandem verwandt sind, der den Antrag gestellt hat. Bitte geben Sie die Erklärung vor der "
                  "Sitzung im Portal ab.", "Zur Erklärung"),
        "en": _en("Please declare any conflict of interest – {{ meeting }}",
                  "for the meeting “{{ meeting }}” on {{ date }} we still need your declaration on whether you "
                  "have a conflict of interest in any of the applications – for example because you are a member "
                  "of the applying club or related to someone who applied. Please make your declaration in the "
                  "portal before the meeting.", "Make your declaration"),
    },
    "earmarking_ends": {
        "de": _de("Zweckbindung endet am {{ end_date }} – {{ file_number }}",
                  f"am {{{{ end_date }}}} endet die Zweckbindung für {_ABOUT_DE}. Das ist die Zeit, in der das "
                  "geförderte Projekt so erhalten und genutzt werden muss, wie es im Bescheid steht. Wenn Sie bis "
                  "dahin etwas daran ändern möchten, sprechen Sie uns bitte vorher an."),
        "en": _en("Earmarking period ends on {{ end_date }} – {{ file_number }}",
                  f"the earmarking period (Zweckbindung) for {_ABOUT_EN} ends on {{{{ end_date }}}}. Until then, "
                  "the funded project must be kept and used as set out in the formal notice (Bescheid). If you "
                  "want to change anything before that date, please talk to us first."),
    },
    "weekly_digest": {
        "de": _de("Wochenübersicht {{ fund }} – offen: {{ waiting_count }}",
                  "hier ist Ihre Wochenübersicht. Diese Vorgänge warten auf Bearbeitung:\n\n"
                  "{% for row in waiting %}- {{ row.label }}: {{ row.count }}\n"
                  "{% empty %}- zurzeit keine\n{% endfor %}\nInsgesamt: {{ waiting_count }}", "Zum Arbeitsbereich"),
        "en": _en("Weekly overview {{ fund }} – open: {{ waiting_count }}",
                  "here is your weekly overview. These cases are waiting to be dealt with:\n\n"
                  "{% for row in waiting %}- {{ row.label }}: {{ row.count }}\n"
                  "{% empty %}- none at the moment\n{% endfor %}\nTotal: {{ waiting_count }}", "Open your workspace"),
    },
    "network_event_invitation": {
        "de": _de("Einladung: {{ event_title }} am {{ event_date }}",
                  "wir laden Sie herzlich ein zu „{{ event_title }}“ am {{ event_date }}, {{ event_place }}.\n\n"
                  "Bitte melden Sie sich über den Link unten an, damit wir planen können.\n\n"
                  "Sie erhalten diese Einladung, weil Sie uns erlaubt haben, Ihnen Einladungen per E-Mail zu "
                  "schicken. Wenn Sie keine E-Mails mehr von uns möchten, widerrufen Sie Ihre Einwilligung hier:\n"
                  "{{ unsubscribe_link }}", "Zur Anmeldung"),
        "en": _en("Invitation: {{ event_title }} on {{ event_date }}",
                  "we warmly invite you to “{{ event_title }}” on {{ event_date }}, {{ event_place }}.\n\n"
                  "Please register using the link below so that we can plan.\n\n"
                  "You receive this invitation because you allowed us to send you invitations by e-mail. If you "
                  "no longer want e-mails from us, withdraw your consent here:\n{{ unsubscribe_link }}",
                  "Register"),
    },
}
