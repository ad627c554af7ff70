"""WCAG 2.1 AA on every page an applicant meets, in every state: axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa)
finds nothing on each page as it first appears and after a failed submit; each step of the application form can
be worked with the keyboard alone, shows where the focus is, and fits a 320 px wide screen (WCAG 1.4.10)."""

import io
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import call_command
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fonds.models import Application, FundingRound, Organisation, RuleSet, Stage
from fonds.services.applications import application_create_draft
from fonds.services.organisations import invitation_link, invitation_send
from fonds.wizard import SLUGS
from workflows import demo

from .axe import FORM_CONTROLS, tab_through, violations

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(transactional_db, live_server, django_user_model):
    """The demo data (alice and bob's applications in every stage) plus what only a few pages need: an empty
    draft, an open invitation, and the de-minimis question switched on so the declarations can fail."""
    call_command("sync_roles", stdout=io.StringIO())
    assert demo.load()
    RuleSet.objects.update(de_minimis_applicable=True)
    Application.objects.filter(stage=Stage.DRAFT).update(de_minimis_amount=0)  # the complete draft stays complete
    alice, bob = django_user_model.objects.get(username="alice"), django_user_model.objects.get(username="bob")
    dia = Organisation.objects.get(memberships__user=alice)
    mine = Application.objects.filter(organisation=dia).order_by("pk")
    empty = application_create_draft(actor=alice, organisation=dia, round=FundingRound.objects.get(),
                                     data={}, cost_items=[])
    invitation = invitation_send(actor=alice, organisation=dia, email="kollegin@example.org", url_base="")
    invitation_bob = invitation_send(actor=alice, organisation=dia, email=bob.email, url_base="")
    theirs = Application.objects.filter(organisation__memberships__user=bob).order_by("pk")
    return {
        "draft": mine.filter(stage=Stage.DRAFT).exclude(pk=empty.pk).get(),
        "empty": empty,
        "submitted": mine.get(stage=Stage.ELIGIBILITY),
        "board": mine.get(stage=Stage.BOARD),
        "implementation": mine.get(stage=Stage.IMPLEMENTATION),
        "rejected": mine.get(stage=Stage.REJECTED),
        "requested": theirs.get(stage=Stage.DOCUMENTS_REQUESTED),
        "closed": theirs.get(stage=Stage.CLOSED),
        "dia": dia,
        "alice": alice,
        "invitation": invitation_link(invitation, url_base=""),
        "invitation_bob": invitation_link(invitation_bob, url_base=""),
    }


# --- failed submits: the page is sent with what a person might get wrong, without typing events (so the
# autosave stays out of it) --------------------------------------------------------------------------------

def set_values(page, values: dict):
    for selector, value in values.items():
        page.eval_on_selector(selector, "(el, v) => { el.value = v; }", value)


def submit(form="main form", values=None, invalid_choice=None):
    def act(page):
        if values:
            set_values(page, values)
        if invalid_choice:  # a choice that is no longer offered (e.g. a round closed meanwhile)
            page.eval_on_selector(invalid_choice, "el => { el.options[el.selectedIndex].value = '999999'; }")
        with page.expect_navigation():
            page.locator(form).last.locator("button[type=submit]").first.click()
    return act


def register(email):
    def act(page):
        set_values(page, {"#id_first_name": "Nora", "#id_last_name": "Neu", "#id_email": email,
                          "#id_password1": "Lippe-Ufer-2026!", "#id_password2": "Lippe-Ufer-2026!",
                          "#id_name": "Nora Neu", "#id_street": "Markt 2", "#id_postcode": "46282",
                          "#id_city": "Dorsten"})
        page.select_option("#id_kind", "person")
        page.select_option("#id_legal_form", "natural")
        page.check("#id_privacy")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
        assert page.get_by_role("heading", name="Fast geschafft").count(), page.content()[-2000:]
    return act


def session_warning(seconds):
    def act(page):
        page.evaluate(f"window.fondsflowSession.expireIn({seconds})")
        page.get_by_role("alertdialog").wait_for(state="visible")
    return act


class Audit:
    """Opens pages, runs axe, and collects every finding so that one run lists all pages at once."""

    def __init__(self):
        self.findings: dict[str, list[str]] = {}
        self.pages = 0

    def check(self, page, path, action=None, *, name=None, status=200, lands=None, fails=True):
        label = name or path
        response = page.goto(page.base + path)
        if response.status != status or (lands or path) not in page.url:
            self.findings[label] = [f"answered {response.status} at {page.url}"]
            return
        if action:
            action(page)
            page.wait_for_load_state()
            label += " (nach fehlgeschlagenem Absenden)" if not name else ""
            if fails and not page.locator("#fehler, .kern-error, .errorlist, [role=alert]").count():
                self.findings[label] = ["the failed submit showed no error"]
                return
        found = violations(page)
        self.pages += 1
        if found:
            self.findings[label] = found

    def report(self) -> str:
        return "\n".join(f"{label}:\n  " + "\n  ".join(found) for label, found in self.findings.items())


def test_every_page_of_the_portal_has_no_wcag_violations_empty_and_after_a_failed_submit(visit, portal):
    audit = Audit()
    draft, empty, submitted = portal["draft"], portal["empty"], portal["submitted"]
    implementation, dia = portal["implementation"], portal["dia"]

    # Public pages and everything around the account, before logging in.
    anonymous = visit()
    for path in ("/", f"/fonds/{draft.fund_id}/", "/leichte-sprache/", "/datenschutz/"):
        audit.check(anonymous, path)
    audit.check(anonymous, "/barrierefreiheit/")
    audit.check(anonymous, "/barrierefreiheit/", submit("main form"))
    audit.check(anonymous, "/anmelden/")
    audit.check(anonymous, "/anmelden/", submit())
    audit.check(anonymous, "/anmelden/", submit(values={"#id_username": "alice", "#id_password": "falsch"}),
                name="/anmelden/ (falsches Passwort)")
    audit.check(anonymous, "/registrieren/")
    audit.check(anonymous, "/registrieren/", submit())
    audit.check(anonymous, "/registrieren/", submit(values={
        "#id_first_name": "Erika", "#id_last_name": "Muster", "#id_email": "keine-adresse",
        "#id_password1": "kurz", "#id_password2": "anders"}), name="/registrieren/ (ungültige Werte)")
    audit.check(anonymous, "/registrieren/bestaetigen/ungueltig/", status=400)
    audit.check(anonymous, "/passwort/vergessen/")
    audit.check(anonymous, "/passwort/vergessen/", submit(values={"#id_email": "keine-adresse"}))
    audit.check(anonymous, "/passwort/vergessen/gesendet/")
    uid = urlsafe_base64_encode(force_bytes(portal["alice"].pk))
    token = default_token_generator.make_token(portal["alice"])
    audit.check(anonymous, f"/passwort/neu/{uid}/{token}/", lands="/set-password/")
    audit.check(anonymous, f"/passwort/neu/{uid}/{token}/", submit(values={
        "#id_new_password1": "kurz", "#id_new_password2": "anders"}), lands="/set-password/",
        name="/passwort/neu/…/set-password/ (nach fehlgeschlagenem Absenden)")
    audit.check(anonymous, "/passwort/neu/MQ/ungueltig-0/", name="/passwort/neu/ (ungültiger Link)")
    audit.check(anonymous, "/passwort/neu/fertig/")
    audit.check(anonymous, portal["invitation"], name="/einladung/<token>/")
    audit.check(anonymous, portal["invitation"] + "registrieren/", name="/einladung/<token>/registrieren/")
    audit.check(anonymous, portal["invitation"] + "registrieren/", submit(),
                name="/einladung/<token>/registrieren/ (nach fehlgeschlagenem Absenden)")
    audit.check(anonymous, "/einladung/ungueltig/", status=400)
    # A registration that works: the "check your mail" page, then the link from the mail (logs in, with a message).
    audit.check(anonymous, "/registrieren/", register("neu@example.org"), name="/registrieren/ → Fast geschafft",
                fails=False)
    [confirmation] = [m for m in mail.outbox if "neu@example.org" in m.to]
    link = re.search(r"/registrieren/bestaetigen/\S+/", confirmation.body).group(0)
    audit.check(anonymous, link, lands="/antraege/", name="Bestätigungslink → Meine Anträge (leer, mit Meldung)")

    alice = visit("alice")
    audit.check(alice, "/antraege/")
    audit.check(alice, "/antraege/neu/")
    audit.check(alice, "/antraege/neu/", submit(invalid_choice="#id_round"), lands="/antraege/neu/")

    # Every step of the form, for a complete draft and for an empty one, and each form after a failed submit.
    for application in (draft, empty):
        kind = "vollständiger Entwurf" if application == draft else "leerer Entwurf"
        for slug in SLUGS:
            audit.check(alice, f"/antraege/{application.pk}/schritt/{slug}/",
                        name=f"Schritt {slug} ({kind})")
    step = f"/antraege/{draft.pk}/schritt/"
    audit.check(alice, step + "vorhaben/", submit(values={"#id_title": "", "#id_planned_end": "2000-01-01"}),
                name="Schritt vorhaben: Titel leer, Ende vor Beginn")
    audit.check(alice, f"/antraege/{empty.pk}/schritt/vorhaben/", submit(), name="Schritt vorhaben: leer abgesendet")
    audit.check(alice, step + "kosten/", submit(values={"#id_kosten-0-net_amount": "zwölf",
                                                         "#id_kosten-1-description": "Montage"}),
                name="Schritt kosten: ungültiger Betrag, Position ohne Betrag")
    audit.check(alice, step + "finanzierung/", submit(values={"#id_requested_grant": "viel"}),
                name="Schritt finanzierung: ungültiger Betrag")
    audit.check(alice, step + "unterlagen/", submit(".wizard-main form"), name="Schritt unterlagen: ohne Datei")
    audit.check(alice, step + "erklaerungen/", submit(values={"#id_beihilfen-0-amount": "keine Ahnung"}),
                name="Schritt erklaerungen: ungültiger Betrag")

    # The warning before the session ends, and after it has ended (WCAG 2.2.1).
    audit.check(alice, step + "kosten/", session_warning(60), name="Schritt kosten: Sitzung läuft ab", fails=False)
    audit.check(alice, step + "kosten/", session_warning(0), name="Schritt kosten: Sitzung abgelaufen", fails=False)

    # Status pages in every stage alice has, and the pages hanging off them.
    for application in (draft, empty, submitted, portal["board"], implementation, portal["rejected"]):
        audit.check(alice, f"/antraege/{application.pk}/",
                    name=f"Status ({application.stage}: {application.title or 'ohne Titel'})")
    audit.check(alice, f"/antraege/{draft.pk}/zurueckziehen/")
    audit.check(alice, f"/antraege/{submitted.pk}/zurueckziehen/")
    audit.check(alice, f"/antraege/{submitted.pk}/unterlagen/")
    audit.check(alice, f"/antraege/{submitted.pk}/unterlagen/", submit())
    audit.check(alice, f"/antraege/{portal['rejected'].pk}/unterlagen/", name="Unterlagen (abgelehnt: kein Upload)")
    umsetzung = f"/antraege/{implementation.pk}/umsetzung/"
    audit.check(alice, umsetzung)
    audit.check(alice, umsetzung, submit("form:has(input[value=upload])"), name="Umsetzung: Hochladen ohne Datei")
    audit.check(alice, umsetzung, submit("form:has(input[value=payment])", values={"#id_abruf-amount": "alles"}),
                name="Umsetzung: Mittelabruf ungültig")
    audit.check(alice, umsetzung, submit("form:has(input[value=use_report])"),
                name="Umsetzung: Verwendungsnachweis leer")
    audit.check(alice, "/benachrichtigungen/")
    audit.check(alice, "/benachrichtigungen/einstellungen/")
    audit.check(alice, "/benachrichtigungen/einstellungen/", submit(invalid_choice="#id_language"))
    audit.check(alice, "/konto/")
    audit.check(alice, "/konto/", submit("form:has(#id_first_name)", values={"#id_first_name": ""}),
                name="/konto/ Name leer")
    audit.check(alice, "/konto/", submit(f"form:has(#id_org{dia.pk}-email)",
                                         values={f"#id_org{dia.pk}-email": "keine-adresse"}),
                lands="/konto/", name="/konto/ Einladung an ungültige Adresse")
    audit.check(alice, "/konto/e-mail/")
    audit.check(alice, "/konto/e-mail/", submit(values={"#id_email": "keine-adresse"}))
    audit.check(alice, "/konto/passwort/")
    audit.check(alice, "/konto/passwort/", submit())
    audit.check(alice, f"/konto/organisationen/{dia.pk}/")
    audit.check(alice, f"/konto/organisationen/{dia.pk}/", submit(values={"#id_name": "", "#id_iban": "DE00"}))
    audit.check(alice, f"/konto/organisationen/{dia.pk}/verlassen/")
    audit.check(alice, "/konto/e-mail/bestaetigen/ungueltig/", status=400)
    audit.check(alice, portal["invitation"], status=403, name="/einladung/<token>/ (an jemand anderen)")
    audit.check(alice, "/antraege/999999/", status=404, name="Seite nicht gefunden (404)")

    bob = visit("bob")
    requested = portal["requested"]
    audit.check(bob, f"/antraege/{requested.pk}/", name="Status (documents_requested)")
    audit.check(bob, f"/antraege/{requested.pk}/nachreichen/")
    audit.check(bob, f"/antraege/{requested.pk}/nachreichen/", submit())
    audit.check(bob, f"/antraege/{portal['closed'].pk}/", name="Status (closed)")
    audit.check(bob, portal["invitation_bob"], name="/einladung/<token>/ (angemeldet, annehmen)")

    assert not audit.findings, f"{len(audit.findings)} of {audit.pages} pages:\n{audit.report()}"


def test_each_step_of_the_form_works_by_keyboard_with_a_visible_focus(visit, portal):
    alice = visit("alice")
    draft = portal["draft"]
    problems = []
    pages = ["/antraege/neu/"] + [f"/antraege/{draft.pk}/schritt/{slug}/" for slug in SLUGS]
    for path in pages:
        alice.goto(alice.base + path)
        order = tab_through(alice)
        reached = {f["index"] for f in order}
        controls = alice.evaluate(FORM_CONTROLS, ".wizard-main form")
        missed = [c for c in controls if not reached.intersection(c["indexes"])]
        if missed:
            problems.append(f"{path}: Tab does not reach {[(c['tag'], c['name']) for c in missed]}")
        invisible = [f for f in order if not f["indicator"]]
        if invisible:
            named = [(f["tag"], f["id"] or f["name"] or f["text"], f["outline"], f["shadow"]) for f in invisible]
            problems.append(f"{path}: no visible focus on {named}")
        if not controls and not path.endswith("/antragsteller/"):
            problems.append(f"{path}: no form found")
    # Enter in a text field sends the form with its first button: that must be "Speichern und weiter", not "Zurück".
    for slug, label, following in (("vorhaben", "#id_title", "kosten"),
                                   ("finanzierung", "#id_own_funds", "unterlagen")):
        alice.goto(alice.base + f"/antraege/{draft.pk}/schritt/{slug}/")
        with alice.expect_navigation():
            alice.locator(label).press("Enter")
        if not alice.url.endswith(f"/schritt/{following}/"):
            problems.append(f"{slug}: Enter in {label} went to {alice.url}, not on to {following}")
    assert not problems, "\n".join(problems)


def test_each_step_of_the_form_fits_a_320_pixel_wide_screen(visit, portal):
    alice = visit("alice")
    alice.set_viewport_size({"width": 320, "height": 800})
    draft, empty = portal["draft"], portal["empty"]
    pages = ["/antraege/neu/"] + [f"/antraege/{a.pk}/schritt/{slug}/" for a in (draft, empty) for slug in SLUGS]
    too_wide = {}
    for path in pages:
        alice.goto(alice.base + path)
        width = alice.evaluate("() => document.documentElement.scrollWidth")
        if width > 321:
            too_wide[path] = (width, alice.evaluate(WIDEST))
    # The other pages of the portal's own templates a small screen shows.
    implementation, submitted = portal["implementation"], portal["submitted"]
    pages = ["/antraege/", f"/antraege/{draft.pk}/", f"/antraege/{implementation.pk}/",
             f"/antraege/{implementation.pk}/umsetzung/", f"/antraege/{submitted.pk}/zurueckziehen/"]
    for path in pages:
        alice.goto(alice.base + path)
        width = alice.evaluate("() => document.documentElement.scrollWidth")
        if width > 321:
            too_wide[path] = (width, alice.evaluate(WIDEST))
    # After a failed submit the error summary and messages must fit too.
    alice.goto(alice.base + f"/antraege/{empty.pk}/schritt/vorhaben/")
    submit()(alice)
    width = alice.evaluate("() => document.documentElement.scrollWidth")
    if width > 321:
        too_wide["vorhaben (Fehler)"] = (width, alice.evaluate(WIDEST))
    assert not too_wide, too_wide


# The elements that stick out to the right of a 320 px viewport, the outermost first.
WIDEST = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && !el.closest('.visually-hidden')) {
      if (out.some(o => o.el.contains(el))) continue;
      out.push({el, what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''),
                right: Math.round(r.right)});
    }
  }
  return out.slice(0, 8).map(o => o.what + ' → ' + o.right);
}"""


def test_the_checker_finds_what_it_should(browser):
    page = browser.new_page()
    page.set_content('<html lang="de"><title>x</title><body><main><img src="a.png"><input type="text">'
                     '<p style="color:#999;background:#fff">blass</p></main></body></html>')
    found = " ".join(violations(page))
    page.close()
    assert "image-alt" in found and "label" in found and "color-contrast" in found, found
