"""A new applicant's whole way through the portal in headless Chromium, typed like a person types: register,
confirm the address, fill in the application step by step, leave and come back, submit, answer a request for
missing documents, and after the Bescheid hand in the proof of use. The staff's part runs through their own pages
with the Driver (Django's test client). A full-page screenshot of every step lands in test-output/journey/."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from fonds.models import Application, Stage
from workflows import demo
from workflows.flows import GrantFlow

from ..workflows.driver import Driver
from .axe import screenshot_dir

pytestmark = pytest.mark.browser

EMAIL = "erika.mustermann@example.org"
PASSWORD = "Lippe-Ufer-2026!"
TITLE = "Blumenampeln für die Lippestraße"


def field(scope, label):
    """The control with this label; a required field's label ends in "(Pflichtfeld)"."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \(.*\))?$"))


def type_into(scope, label, text):
    control = field(scope, label)
    control.click()
    control.press("ControlOrMeta+a")
    control.press_sequentially(text)
    return control


DATE_ORDERS = ["%d%m%Y", "%m%d%Y"]


def type_date(page, control, day):
    """Type a date as the browser's date field shows it: TT.MM.JJJJ in a German Chromium, MM/DD/YYYY in the
    English one the tests run (the field follows the browser's language, not the page's), like a person who looks
    at the field. The order that worked is tried first next time."""
    for order in list(DATE_ORDERS):
        control.evaluate("el => { el.blur(); el.value = ''; }")
        control.focus()  # on the first part of the date; typing moves on to the next parts
        page.keyboard.type(day.strftime(order))
        if control.input_value() == day.isoformat():
            DATE_ORDERS.remove(order)
            DATE_ORDERS.insert(0, order)
            return
    raise AssertionError(f"could not type {day} into the date field")


def choose(scope, question, answer):
    scope.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def click(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


class Camera:
    def __init__(self):
        self.folder = screenshot_dir("journey")
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.number = 0

    def __call__(self, page, name):
        self.number += 1
        page.screenshot(path=str(self.folder / f"{self.number:02d}-{name}.png"), full_page=True)


def pdf(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(demo.pdf_bytes(name))
    return str(path)


def upload(page, kind, path, *, button="Hochladen"):
    field(page, "Art des Dokuments").select_option(label=kind)
    field(page, "Datei (PDF, JPEG oder PNG)").set_input_files(path)
    click(page, button)
    assert "ist hochgeladen" in page.content() or "wurde hochgeladen" in page.content(), page.content()[-3000:]


def log_in(page, base, username, password):
    page.goto(base + "/anmelden/")
    type_into(page, "Benutzername", username)
    type_into(page, "Passwort", password)
    click(page, "Anmelden")


@pytest.fixture
def drive(people, django_capture_on_commit_callbacks):
    return Driver(people, django_capture_on_commit_callbacks)


@pytest.fixture
def new_page(browser):
    """new_page() -> (context, page): a fresh browser window in German, as if the browser had been restarted."""
    contexts = []

    def open_window():
        context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context, context.new_page()

    yield open_window
    for context in contexts:
        context.close()


def test_a_new_applicant_goes_from_registration_to_the_proof_of_use(live_server, new_page, drive, tmp_path):
    base, shoot = live_server.url, Camera()
    start = timezone.localdate() + timedelta(days=30)
    end = start + timedelta(days=90)

    # --- register and confirm the address -------------------------------------------------------------
    context, page = new_page()
    page.goto(base + "/")
    page.get_by_role("link", name="Anmelden", exact=True).first.click()
    page.get_by_role("link", name="Registrieren").click()
    page.wait_for_url("**/registrieren/")
    type_into(page, "Vorname", "Erika")
    type_into(page, "Nachname", "Mustermann")
    type_into(page, "E-Mail-Adresse (Ihr Benutzername)", EMAIL)
    type_into(page, "Passwort", PASSWORD)
    type_into(page, "Passwort wiederholen", PASSWORD)
    type_into(page, "Name der Organisation oder Ihr Name (als Privatperson)", "Blumenfreunde Altstadt e. V.")
    field(page, "Art").select_option(label="Verein / Initiative")
    field(page, "Rechtsform").select_option(label="eingetragener Verein (e. V.)")
    type_into(page, "Vertreten durch", "Erika Mustermann (Vorsitzende)")
    type_into(page, "Straße und Hausnummer", "Lippestraße 7")
    type_into(page, "PLZ", "46282")
    type_into(page, "Ort", "Dorsten")
    field(page, "Ich habe die Datenschutzhinweise gelesen.").press("Space")
    shoot(page, "registrieren")
    click(page, "Konto anlegen")
    assert page.get_by_role("heading", name="Fast geschafft").is_visible()
    shoot(page, "registriert")

    [confirmation] = [m for m in mail.outbox if EMAIL in m.to and "bestätigen" in m.subject]
    link = re.search(r"https?://\S+/registrieren/bestaetigen/\S+/", confirmation.body).group(0)
    page.goto(link)
    assert page.url == base + "/antraege/" and "Ihre E-Mail-Adresse ist bestätigt" in page.content()
    assert page.get_by_role("button", name=re.compile("Abmelden")).is_visible()
    shoot(page, "bestaetigt")

    # --- start an application and fill in the steps ----------------------------------------------------
    page.get_by_role("link", name="Neuen Antrag stellen").click()
    page.wait_for_url("**/antraege/neu/")
    assert field(page, "Für wen stellen Sie den Antrag?").input_value()
    shoot(page, "neuer-antrag")
    click(page, "Entwurf anlegen und weiter")
    application = Application.objects.get(organisation__name="Blumenfreunde Altstadt e. V.")
    wizard = f"{base}/antraege/{application.pk}/schritt/"
    assert page.url == wizard + "vorhaben/"

    type_into(page, "Titel des Vorhabens", TITLE)
    type_into(page, "Beschreibung des Vorhabens", "Zwanzig Blumenampeln an den Laternen der Lippestraße, "
                                                  "gepflegt vom Verein, dauerhaft und für alle sichtbar.")
    type_into(page, "Ort des Vorhabens", "Lippestraße 1–40, 46282 Dorsten")
    field(page, "Maßnahme des Innenstadtkonzepts").select_option(label="1.2 Belebung des Marktplatzes")
    for label, day in (("Geplanter Beginn", start), ("Geplantes Ende", end)):
        type_date(page, field(page, label), day)
    choose(page, "Haben Sie mit dem Vorhaben schon begonnen?", "Nein")
    choose(page, "Sind Sie Mieter/in", "Nein")
    shoot(page, "schritt-vorhaben")
    click(page, "Speichern und weiter")
    assert page.url == wizard + "kosten/", page.content()[-3000:]

    choose(page, "Sind Sie zum Vorsteuerabzug berechtigt?", "Nein")
    row = page.get_by_role("group", name="Kostenposition 1")
    type_into(row, "Kostenposition", "20 Blumenampeln mit Halterung")
    type_into(row, "Netto (€)", "2.000,00")
    type_into(row, "Brutto (€)", "2.380,00")
    shoot(page, "schritt-kosten")
    page.locator("[data-autosave-status]").filter(has_text="Gespeichert um").wait_for()  # a person takes a moment
    click(page, "Speichern und weiter")
    assert page.url == wizard + "finanzierung/", page.content()[-3000:]
    assert list(application.cost_items.values_list("description", "gross_amount")) == [
        ("20 Blumenampeln mit Halterung", Decimal("2380.00"))]
    assert "1.190,00" in page.locator("#vorschau").inner_text()  # half of 2.380,00 €

    type_into(page, "Eigenmittel (€)", "1.190,00")
    type_into(page, "Drittmittel (€)", "0")
    type_into(page, "Spenden und Sponsoring (€)", "0")
    type_into(page, "Beantragter Zuschuss aus dem Fonds (€)", "1.190,00")
    shoot(page, "schritt-finanzierung")
    click(page, "Speichern und weiter")
    assert page.url == wizard + "unterlagen/", page.content()[-3000:]

    assert "insgesamt 3, hochgeladen 0" in page.content()
    for n in (1, 2, 3):
        upload(page, "Angebot / Kostenvoranschlag", pdf(tmp_path, f"Angebot {n} Blumenampeln.pdf"))
    assert "insgesamt 3, hochgeladen 3" in page.content()
    shoot(page, "schritt-unterlagen")
    page.get_by_role("link", name="Weiter", exact=True).click()
    page.wait_for_url(wizard + "erklaerungen/")
    shoot(page, "schritt-erklaerungen-offen")
    context.close()  # the browser is closed before the declarations

    # --- come back another day: log in, find the draft, go on where it stopped ----------------------------
    context, page = new_page()
    log_in(page, base, EMAIL, PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Meine Anträge").click()
    page.wait_for_url(base + "/antraege/")
    row = page.get_by_role("row").filter(has_text=TITLE)
    assert "Entwurf" in row.inner_text()
    shoot(page, "meine-antraege-entwurf")
    row.get_by_role("link", name=re.compile("weiter ausfüllen")).click()
    page.wait_for_url(wizard + "erklaerungen/")

    page.goto(wizard + "vorhaben/")
    assert field(page, "Titel des Vorhabens").input_value() == TITLE
    assert field(page, "Geplantes Ende").input_value() == end.isoformat()
    assert page.get_by_role("group", name=re.compile("schon begonnen")).get_by_label("Nein").is_checked()
    page.goto(wizard + "kosten/")
    row = page.get_by_role("group", name="Kostenposition 1")
    assert field(row, "Kostenposition").input_value() == "20 Blumenampeln mit Halterung"
    assert re.sub(r"\D", "", field(row, "Brutto (€)").input_value()) == "238000"
    page.goto(wizard + "finanzierung/")
    assert re.sub(r"\D", "", field(page, "Beantragter Zuschuss aus dem Fonds (€)").input_value()) == "119000"

    # Autosave: typing is saved without a button; a reload shows it.
    page.goto(wizard + "vorhaben/")
    description = field(page, "Beschreibung des Vorhabens")
    description.press("ControlOrMeta+End")
    description.press_sequentially(" Die Ampeln hängen von Mai bis Oktober.")
    status = page.locator("[data-autosave-status]")
    status.filter(has_text="Gespeichert um").wait_for(timeout=10_000)
    shoot(page, "autosave-gespeichert")
    page.reload()
    assert field(page, "Beschreibung des Vorhabens").input_value().endswith("Die Ampeln hängen von Mai bis Oktober.")

    # The session warning: a minute before the session ends the dialog asks, with the focus on its button.
    dialog = page.get_by_role("alertdialog")
    assert dialog.is_hidden()
    field(page, "Ort des Vorhabens").focus()
    page.evaluate("window.fondsflowSession.expireIn(60)")
    dialog.wait_for(state="visible")
    assert "Noch weniger als eine Minute." in dialog.inner_text()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Angemeldet bleiben"
    shoot(page, "sitzung-laeuft-ab")
    dialog.get_by_role("button", name="Angemeldet bleiben").click()
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.name") == "location"  # back where the user was
    page.evaluate("window.fondsflowSession.expireIn(90)")  # again; this time Escape answers it
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.name") == "location"
    # Once the session has run out, the dialog says so and offers the way back in.
    page.evaluate("window.fondsflowSession.expireIn(0)")
    dialog.wait_for(state="visible")
    assert dialog.get_by_role("heading").inner_text() == "Ihre Sitzung ist abgelaufen"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Neu anmelden und weitermachen"
    shoot(page, "sitzung-abgelaufen")

    page.goto(wizard + "erklaerungen/")
    field(page, "Ich habe den Datenschutzhinweis gelesen.").check()
    page.get_by_label("Ich versichere, dass meine Angaben richtig und vollständig sind.").check()
    shoot(page, "schritt-erklaerungen")
    click(page, "Speichern und weiter")
    assert page.url == wizard + "pruefen/"
    assert "Bevor Sie einreichen können" not in page.content()
    summary = page.locator(".wizard-main").inner_text().replace("\u00a0", " ")  # amounts: 2.380,00 €
    for text in (TITLE, "20 Blumenampeln mit Halterung", "2.380,00 €", "1.190,00 €", "Angebot 3 Blumenampeln.pdf",
                 "Die Ampeln hängen von Mai bis Oktober."):
        assert text in summary, text
    shoot(page, "schritt-pruefen")
    click(page, "Antrag verbindlich einreichen")

    application.refresh_from_db()
    assert application.stage == Stage.ELIGIBILITY and application.file_number
    assert page.url == f"{base}/antraege/{application.pk}/"
    assert application.file_number in page.locator("main").inner_text()
    timeline = page.get_by_role("region", name="Ablauf")
    assert "Eingereicht" in timeline.inner_text()
    assert timeline.locator("[aria-current=step]").inner_text().startswith("In Prüfung")
    shoot(page, "eingereicht")

    # --- the Citymanagement asks for a photo; the applicant uploads it and answers ------------------------
    drive.do("carla", application, GrantFlow.eligibility, {
        "outcome": "missing", "reasons": "Es fehlt ein Foto der Laternen.",
        "missing_items": "Ein Foto der Laternen in der Lippestraße heute",
        "deadline": (timezone.localdate() + timedelta(days=14)).isoformat()})
    assert application.stage == Stage.DOCUMENTS_REQUESTED
    page.reload()
    assert "Bitte Unterlagen nachreichen" in page.locator(".status").inner_text()
    shoot(page, "nachforderung")
    page.get_by_role("link", name="Unterlagen nachreichen").click()
    page.wait_for_url("**/nachreichen/")
    assert "Ein Foto der Laternen in der Lippestraße heute" in page.content()
    page.get_by_role("link", name="Unterlagen hochladen").click()
    page.wait_for_url(re.compile(r"/unterlagen/\?next="))
    upload(page, "Foto", pdf(tmp_path, "Laternen Lippestraße heute.pdf"))
    assert page.url == f"{base}/antraege/{application.pk}/nachreichen/"
    assert "Laternen Lippestraße heute.pdf" in page.content()
    type_into(page, "Ihre Antwort an das Citymanagement", "Das Foto ist hochgeladen.")
    shoot(page, "nachreichen")
    click(page, "Antwort abschicken")
    application.refresh_from_db()
    assert application.stage == Stage.ELIGIBILITY
    assert "Danke!" in page.content()

    # --- approved: recommendation, Beirat, Bescheid (the staff on their pages) ---------------------------
    drive.eligible(application)
    drive.recommend(application)
    drive.decide(application, "approve")
    drive.bescheid(application)
    assert application.stage == Stage.IMPLEMENTATION
    page.reload()
    assert "in Umsetzung" in page.locator(".status").inner_text()
    assert page.get_by_role("link", name=re.compile("bescheid", re.I)).count()
    shoot(page, "bewilligt")

    # --- Umsetzung: invoices and photos, then the proof of use -----------------------------------------
    todo = page.get_by_role("region", name="Was ist zu tun?")
    todo.get_by_role("link", name="Verwendungsnachweis einreichen").click()
    page.wait_for_url(f"{base}/antraege/{application.pk}/umsetzung/")
    for kind, name in (("Rechnung / Zahlungsnachweis", "Rechnung Gärtnerei Kleine.pdf"),
                       ("Foto des fertigen Vorhabens", "Blumenampeln hängen.pdf"),
                       ("Foto des Förderhinweises vor Ort", "Schild Gefördert durch.pdf")):
        upload(page, kind, pdf(tmp_path, name))
    type_into(page, "Sachbericht: Was wurde umgesetzt?",
              "Zwanzig Blumenampeln hängen seit Mai an den Laternen der Lippestraße. Der Verein gießt sie.")
    receipt = page.get_by_role("group", name="Beleg 1")
    type_date(page, field(receipt, "Datum der Zahlung"), timezone.localdate())
    type_into(receipt, "Empfänger/in", "Gärtnerei Kleine")
    type_into(receipt, "Grund der Zahlung", "20 Blumenampeln mit Halterung, Montage")
    type_into(receipt, "Netto (€)", "2.000,00")
    type_into(receipt, "Brutto (€)", "2.380,00")
    field(page, "Der Förderhinweis („Gefördert durch …“) ist am Vorhaben angebracht.").check()
    shoot(page, "verwendungsnachweis")
    click(page, "Verwendungsnachweis einreichen")
    application.refresh_from_db()
    assert application.stage == Stage.USE_REPORT_CHECK, page.content()[-3000:]
    assert page.url == f"{base}/antraege/{application.pk}/"
    assert "Verwendungsnachweis" in page.locator(".status").inner_text()
    assert page.get_by_role("region", name="Ablauf").locator("[aria-current=step]").inner_text().startswith(
        "Verwendungsnachweis")
    shoot(page, "verwendungsnachweis-eingereicht")
    context.close()


def test_the_cost_plan_keeps_its_saved_rows_when_a_row_is_added_or_the_step_is_saved_again(visit, drive):
    """A saved row sent again unchanged (by the autosave or the button) stays: the formset of a POST must not
    compare the rows with the saved ones and drop those that did not change."""
    application = drive.create_draft("alice", net="2000", gross="2380")
    page = visit("alice")
    kosten = f"{page.base}/antraege/{application.pk}/schritt/kosten/"
    page.goto(kosten)
    row = page.get_by_role("group", name="Kostenposition 2")
    type_into(row, "Kostenposition", "Montage durch den Bauhof")
    type_into(row, "Netto (€)", "300,00")
    type_into(row, "Brutto (€)", "357,00")
    page.locator("[data-autosave-status]").filter(has_text="Gespeichert um").wait_for(timeout=10_000)
    saved = sorted(application.cost_items.values_list("description", flat=True))
    click(page, "Speichern und weiter")  # nothing changed since the autosave
    after = sorted(application.cost_items.values_list("description", flat=True))
    assert saved == after == ["Material und Montage", "Montage durch den Bauhof"], (saved, after)
