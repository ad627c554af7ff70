"""Every URL of the site outside the admin and the staff workspace, for every kind of visitor: anonymous,
applicant A (alice), applicant B (bob), A's colleague (anna, member of A's organisation) and staff (carla).
A's things give 404 to B and work for anna. A URL added without a row here fails the first test.

Each row: route → (method, how to build the URL from the scene, expected status per visitor). GET rows read;
POST rows are sent only by those who must be refused, so the scene stays as it is."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import URLResolver, get_resolver

from fonds import roles
from fonds.models import Letter, Membership
from notifications.models import Notification
from tests.workflows.driver import Driver
from workflows.flows import GrantFlow

VISITORS = ("anonymous", "alice", "bob", "anna", "carla")
LOGIN = "login"  # a redirect to the login page


def everyone(status):
    return dict.fromkeys(VISITORS, status)


def applicant_only(ok, *, staff=404):
    """A's object: A and her colleague get `ok`, B gets 404, staff (not members) `staff`, anonymous the login."""
    return {"anonymous": LOGIN, "alice": ok, "bob": 404, "anna": ok, "carla": staff}


def logged_in(status, *, anonymous=LOGIN):
    return {"anonymous": anonymous, **dict.fromkeys(VISITORS[1:], status)}


def staff_only(ok):
    return {"anonymous": LOGIN, "alice": 403, "bob": 403, "anna": 403, "carla": ok}


def board_only(ok):
    """A Beirat meeting: applicants learn nothing of it (404); carla prepares it. The Beirat members' own
    matrix (other board, conflicted member) is in tests/workflows/test_meetings.py."""
    return {"anonymous": LOGIN, "alice": 404, "bob": 404, "anna": 404, "carla": ok}


def _meeting(s):
    return f"/beirat/sitzungen/{s['item'].meeting_id}/"


def _item(s):
    return f"{_meeting(s)}top/{s['item'].pk}/"


MATRIX = {
    # public pages
    "": ("GET", lambda s: "/", everyone(200)),
    "fonds/<int:pk>/": ("GET", lambda s: f"/fonds/{s['fund'].pk}/", everyone(200)),
    "barrierefreiheit/": ("GET", lambda s: "/barrierefreiheit/", everyone(200)),
    "leichte-sprache/": ("GET", lambda s: "/leichte-sprache/", everyone(200)),
    "datenschutz/": ("GET", lambda s: "/datenschutz/", everyone(200)),
    "i18n/setlang/": ("POST", lambda s: "/i18n/setlang/", everyone(302)),
    "projekte/": ("GET", lambda s: "/projekte/", everyone(200)),
    "projekte/projekte.csv": ("GET", lambda s: "/projekte/projekte.csv", everyone(200)),
    "projekte/projekte.geojson": ("GET", lambda s: "/projekte/projekte.geojson", everyone(200)),
    # no recipient in the scene agreed to publish: no photo for anyone
    "projekte/<int:pk>/foto/": ("GET", lambda s: f"/projekte/{s['implementing'].pk}/foto/", everyone(404)),
    "massnahmen/": ("GET", lambda s: "/massnahmen/", everyone(200)),
    "massnahmen/<int:pk>/": ("GET", lambda s: f"/massnahmen/{s['measure'].pk}/", everyone(200)),
    "massnahmen/<int:pk>/foto/": ("GET", lambda s: f"/massnahmen/{s['measure'].pk}/foto/", everyone(404)),
    "treffen/anmeldung/<str:token>/": ("GET", lambda s: "/treffen/anmeldung/falsch/", everyone(404)),
    "treffen/einwilligung/<str:token>/": ("GET", lambda s: "/treffen/einwilligung/falsch/", everyone(404)),
    # account
    "anmelden/": ("GET", lambda s: "/anmelden/", everyone(200)),
    "abmelden/": ("GET", lambda s: "/abmelden/", logged_in(405)),  # logging out is a POST
    "registrieren/": ("GET", lambda s: "/registrieren/", everyone(200)),
    "registrieren/bestaetigen/<str:token>/": ("GET", lambda s: "/registrieren/bestaetigen/falsch/", everyone(400)),
    "passwort/vergessen/": ("GET", lambda s: "/passwort/vergessen/", everyone(200)),
    "passwort/vergessen/gesendet/": ("GET", lambda s: "/passwort/vergessen/gesendet/", everyone(200)),
    "passwort/neu/<uidb64>/<token>/": ("GET", lambda s: "/passwort/neu/MQ/falsch/", everyone(200)),
    "passwort/neu/fertig/": ("GET", lambda s: "/passwort/neu/fertig/", everyone(200)),
    "konto/": ("GET", lambda s: "/konto/", logged_in(200)),
    "konto/e-mail/": ("GET", lambda s: "/konto/e-mail/", logged_in(200)),
    "konto/e-mail/bestaetigen/<str:token>/": ("GET", lambda s: "/konto/e-mail/bestaetigen/falsch/", logged_in(400)),
    "konto/passwort/": ("GET", lambda s: "/konto/passwort/", logged_in(200)),
    "konto/organisationen/<int:pk>/": ("GET", lambda s: f"/konto/organisationen/{s['dia'].pk}/",
                                       applicant_only(200)),
    "konto/organisationen/<int:pk>/einladen/": ("POST", lambda s: f"/konto/organisationen/{s['dia'].pk}/einladen/",
                                                applicant_only(None)),
    "konto/organisationen/<int:pk>/verlassen/": ("POST", lambda s: f"/konto/organisationen/{s['dia'].pk}/verlassen/",
                                                 applicant_only(None)),
    "konto/einladungen/<int:pk>/zuruecknehmen/": (
        "POST", lambda s: f"/konto/einladungen/{s['invitation'].pk}/zuruecknehmen/", applicant_only(None)),
    "einladung/<str:token>/": ("GET", lambda s: "/einladung/falsch/", everyone(400)),
    # registering through an invitation is for those without an account: the logged-in go to the invitation
    "einladung/<str:token>/registrieren/": ("GET", lambda s: "/einladung/falsch/registrieren/",
                                            {**everyone(302), "anonymous": 400}),
    # the applicant's applications
    "antraege/": ("GET", lambda s: "/antraege/", logged_in(200)),
    "antraege/neu/": ("GET", lambda s: "/antraege/neu/", {**logged_in(200), "carla": 302}),
    "antraege/<int:pk>/schritt/<slug:step>/": ("GET", lambda s: f"/antraege/{s['draft'].pk}/schritt/kosten/",
                                               applicant_only(200)),
    "antraege/<int:pk>/weiter/": ("GET", lambda s: f"/antraege/{s['draft'].pk}/weiter/", applicant_only(302)),
    "sitzung/verlaengern/": ("GET", lambda s: "/sitzung/verlaengern/", logged_in(405)),
    "antraege/<int:pk>/": ("GET", lambda s: f"/antraege/{s['implementing'].pk}/", applicant_only(200)),
    "antraege/<int:pk>/unterlagen/": ("GET", lambda s: f"/antraege/{s['requested'].pk}/unterlagen/",
                                      applicant_only(200)),
    "dokumente/<int:pk>/": ("GET", lambda s: f"/dokumente/{s['document'].pk}/", applicant_only(200, staff=200)),
    "briefe/<int:pk>/": ("GET", lambda s: f"/briefe/{s['letter'].pk}/", applicant_only(200, staff=200)),
    "antraege/<int:pk>/einreichen/": ("POST", lambda s: f"/antraege/{s['draft'].pk}/einreichen/",
                                      applicant_only(None)),
    "antraege/<int:pk>/zurueckziehen/": ("GET", lambda s: f"/antraege/{s['requested'].pk}/zurueckziehen/",
                                         applicant_only(200)),
    "antraege/<int:pk>/nachreichen/": ("GET", lambda s: f"/antraege/{s['requested'].pk}/nachreichen/",
                                       applicant_only(200)),
    "antraege/<int:pk>/umsetzung/": ("GET", lambda s: f"/antraege/{s['implementing'].pk}/umsetzung/",
                                     applicant_only(200)),
    "antraege/<int:pk>/veroeffentlichung/": ("GET", lambda s: f"/antraege/{s['implementing'].pk}/veroeffentlichung/",
                                             applicant_only(200)),
    # notifications
    "benachrichtigungen/": ("GET", lambda s: "/benachrichtigungen/", logged_in(200)),
    "benachrichtigungen/gelesen/": ("GET", lambda s: "/benachrichtigungen/gelesen/", logged_in(405)),
    "benachrichtigungen/<int:pk>/gelesen/": ("POST", lambda s: f"/benachrichtigungen/{s['notification'].pk}/gelesen/",
                                             {"anonymous": LOGIN, "alice": None, "bob": 404, "anna": 404,
                                              "carla": 404}),
    "benachrichtigungen/einstellungen/": ("GET", lambda s: "/benachrichtigungen/einstellungen/", logged_in(200)),
    # staff pages
    "verwaltung/antraege/": ("GET", lambda s: "/verwaltung/antraege/", staff_only(200)),
    "verwaltung/antraege/<int:pk>/": ("GET", lambda s: f"/verwaltung/antraege/{s['requested'].pk}/",
                                      staff_only(200)),
    "verwaltung/fonds/<int:pk>/": ("GET", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/", staff_only(200)),
    # the cash office's list and files are Finanzen's (carla is Citymanagement); frieda's and another city's
    # finance in tests/fonds/test_payment_export.py
    "verwaltung/fonds/<int:pk>/auszahlungen/": ("GET", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/auszahlungen/",
                                                staff_only(403)),
    "verwaltung/stadtkasse/<int:pk>/": ("GET", lambda s: "/verwaltung/stadtkasse/1/", staff_only(403)),
    # the de-minimis register list is Finanzen's too; frieda's and another city's finance in
    # tests/fonds/test_de_minimis.py
    "verwaltung/fonds/<int:pk>/de-minimis/": ("GET", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/de-minimis/",
                                              staff_only(403)),
    "verwaltung/fonds/<int:pk>/de-minimis.csv": (
        "GET", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/de-minimis.csv", staff_only(403)),
    # Finanzen only (Bekanntgabe/Bestandskraft, letter batches): carla's role lacks the permission
    "verwaltung/briefe/<int:pk>/bekanntgabe/": ("GET", lambda s: f"/verwaltung/briefe/{s['letter'].pk}/bekanntgabe/",
                                                staff_only(403)),
    "verwaltung/fonds/<int:pk>/bescheide/": ("GET", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/bescheide/",
                                             staff_only(403)),
    "verwaltung/bescheide/stapel/<int:pk>/": ("GET", lambda s: "/verwaltung/bescheide/stapel/1/", staff_only(403)),
    "verwaltung/bescheide/stapel/<int:pk>/stand.json": ("GET", lambda s: "/verwaltung/bescheide/stapel/1/stand.json",
                                                        staff_only(403)),
    "verwaltung/bescheide/stapel/<int:pk>/zip/": ("GET", lambda s: "/verwaltung/bescheide/stapel/1/zip/",
                                                  staff_only(403)),
    # the fund's finances are Finanzen's and the fund admin's (carla is Citymanagement); frieda, verwaltung and
    # another city's finance in tests/fonds/test_ledger_share.py and test_year_end_and_dashboard.py
    "verwaltung/fonds/<int:pk>/beitraege/": ("GET", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/beitraege/",
                                             staff_only(403)),
    "verwaltung/fonds/<int:pk>/jahresabschluss/": (
        "GET", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/jahresabschluss/", staff_only(403)),
    "verwaltung/fonds/<int:pk>/finanzen/": ("GET", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/finanzen/",
                                            staff_only(403)),
    "verwaltung/fonds/<int:pk>/finanzen.<str:fmt>": (
        "GET", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/finanzen.xlsx", staff_only(403)),
    "verwaltung/fonds/<int:pk>/gebiet.geojson": ("GET", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/gebiet.geojson",
                                                 staff_only(200)),
    # letters beside the flow (issue 6): the Anhörung is Citymanagement's or Finanzen's; the Änderungsbescheid and
    # the letter templates are not carla's (Finanzen, fund admin); their own matrices in
    # tests/workflows/test_letter_kinds.py and tests/notifications/test_letter_templates.py
    "verwaltung/antraege/<int:pk>/anhoerung/": (
        "GET", lambda s: f"/verwaltung/antraege/{s['implementing'].pk}/anhoerung/", staff_only(200)),
    "verwaltung/antraege/<int:pk>/aenderungsbescheid/": (
        "GET", lambda s: f"/verwaltung/antraege/{s['implementing'].pk}/aenderungsbescheid/", staff_only(403)),
    "verwaltung/aenderungsbescheide/": ("GET", lambda s: "/verwaltung/aenderungsbescheide/", staff_only(403)),
    "verwaltung/aenderungsbescheide/<int:pk>/": (
        "GET", lambda s: f"/verwaltung/aenderungsbescheide/{s['letter'].pk}/", staff_only(403)),
    "verwaltung/briefvorlagen/": ("GET", lambda s: "/verwaltung/briefvorlagen/", staff_only(403)),
    "verwaltung/fonds/<int:pk>/briefvorlagen/<slug:kind>/": (
        "GET", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/briefvorlagen/bescheid/", staff_only(403)),
    "verwaltung/fonds/<int:pk>/briefvorlagen/<slug:kind>/vorschau/": (
        "POST", lambda s: f"/verwaltung/fonds/{s['fund'].pk}/briefvorlagen/bescheid/vorschau/", staff_only(403)),
    "verwaltung/benachrichtigungen/": ("GET", lambda s: "/verwaltung/benachrichtigungen/", staff_only(200)),
    "verwaltung/benachrichtigungen/<int:pk>/erneut-senden/": (
        "POST", lambda s: f"/verwaltung/benachrichtigungen/{s['notification'].pk}/erneut-senden/", staff_only(None)),
    "verwaltung/betrieb/": ("GET", lambda s: "/verwaltung/betrieb/", staff_only(200)),
    # the Stadtteilbüro's network
    "verwaltung/akteure/": ("GET", lambda s: "/verwaltung/akteure/", staff_only(200)),
    "verwaltung/akteure/import/": ("GET", lambda s: "/verwaltung/akteure/import/", staff_only(200)),
    "verwaltung/akteure/neu/": ("GET", lambda s: "/verwaltung/akteure/neu/", staff_only(200)),
    "verwaltung/akteure/<int:pk>/bearbeiten/": (
        "GET", lambda s: f"/verwaltung/akteure/{s['contact'].actor_id}/bearbeiten/", staff_only(200)),
    "verwaltung/akteure/<int:pk>/kontakt/neu/": (
        "GET", lambda s: f"/verwaltung/akteure/{s['contact'].actor_id}/kontakt/neu/", staff_only(200)),
    "verwaltung/akteure/<int:pk>/": ("GET", lambda s: f"/verwaltung/akteure/{s['contact'].actor_id}/",
                                     staff_only(200)),
    "verwaltung/kontakte/<int:pk>/": ("GET", lambda s: f"/verwaltung/kontakte/{s['contact'].pk}/", staff_only(200)),
    "verwaltung/kontakte/<int:pk>/auskunft.json": (
        "GET", lambda s: f"/verwaltung/kontakte/{s['contact'].pk}/auskunft.json", staff_only(200)),
    "verwaltung/kontakte/<int:pk>/auskunft.csv": (
        "GET", lambda s: f"/verwaltung/kontakte/{s['contact'].pk}/auskunft.csv", staff_only(200)),
    "verwaltung/kontakte/<int:pk>/loeschen/": (
        "POST", lambda s: f"/verwaltung/kontakte/{s['contact'].pk}/loeschen/", staff_only(None)),
    "verwaltung/massnahmen/": ("GET", lambda s: "/verwaltung/massnahmen/", staff_only(200)),
    "verwaltung/massnahmen/<int:pk>/": ("GET", lambda s: f"/verwaltung/massnahmen/{s['measure'].pk}/",
                                        staff_only(200)),
    "verwaltung/treffen/": ("GET", lambda s: "/verwaltung/treffen/", staff_only(200)),
    "verwaltung/treffen/<int:pk>/": ("GET", lambda s: f"/verwaltung/treffen/{s['event'].pk}/", staff_only(200)),
    "verwaltung/treffen/<int:pk>/einladen/": (
        "POST", lambda s: f"/verwaltung/treffen/{s['event'].pk}/einladen/", staff_only(None)),
    # the staff's task lists (carla is Citymanagement, not its lead)
    "arbeit/aufgaben/": ("GET", lambda s: "/arbeit/aufgaben/", staff_only(200)),
    "arbeit/aufgaben/team/": ("GET", lambda s: "/arbeit/aufgaben/team/", staff_only(200)),
    "arbeit/aufgaben/erledigt/": ("GET", lambda s: "/arbeit/aufgaben/erledigt/", staff_only(200)),
    "arbeit/aufgaben/uebernehmen/": ("POST", lambda s: "/arbeit/aufgaben/uebernehmen/", staff_only(None)),
    "arbeit/aufgaben/zurueckgeben/": ("POST", lambda s: "/arbeit/aufgaben/zurueckgeben/", staff_only(None)),
    "arbeit/aufgaben/zuweisen/": ("POST", lambda s: "/arbeit/aufgaben/zuweisen/", staff_only(403)),
    "arbeit/uebersicht/": ("GET", lambda s: "/arbeit/uebersicht/", staff_only(403)),
    # the Beirat (the scene's meeting decided `implementing` and is signed)
    "beirat/sitzungen/": ("GET", lambda s: "/beirat/sitzungen/", staff_only(200)),
    "beirat/meine-sitzungen/": ("GET", lambda s: "/beirat/meine-sitzungen/", staff_only(403)),  # carla: no member
    "beirat/sitzungen/neu/": ("GET", lambda s: "/beirat/sitzungen/neu/", staff_only(200)),
    "beirat/sitzungen/<int:pk>/": ("GET", _meeting, board_only(200)),
    "beirat/sitzungen/<int:pk>/bearbeiten/": ("GET", lambda s: f"{_meeting(s)}bearbeiten/", board_only(200)),
    "beirat/sitzungen/<int:pk>/tagesordnung/": ("POST", lambda s: f"{_meeting(s)}tagesordnung/", board_only(None)),
    "beirat/sitzungen/<int:pk>/anwesenheit/": ("POST", lambda s: f"{_meeting(s)}anwesenheit/", board_only(None)),
    "beirat/sitzungen/<int:pk>/einladen/": ("POST", lambda s: f"{_meeting(s)}einladen/", board_only(None)),
    "beirat/sitzungen/<int:pk>/schliessen/": ("POST", lambda s: f"{_meeting(s)}schliessen/", board_only(None)),
    "beirat/sitzungen/<int:pk>/unterzeichnen/": ("POST", lambda s: f"{_meeting(s)}unterzeichnen/", board_only(403)),
    "beirat/sitzungen/<int:pk>/befangenheit/": ("POST", lambda s: f"{_meeting(s)}befangenheit/", board_only(403)),
    # packs are rendered for an invitation; this meeting was held without one
    "beirat/sitzungen/<int:pk>/sitzungsunterlagen.pdf": ("GET", lambda s: f"{_meeting(s)}sitzungsunterlagen.pdf",
                                                         board_only(404)),
    "beirat/sitzungen/<int:pk>/niederschrift.pdf": ("GET", lambda s: f"{_meeting(s)}niederschrift.pdf",
                                                    board_only(200)),
    "beirat/sitzungen/<int:pk>/einladung.ics": ("GET", lambda s: f"{_meeting(s)}einladung.ics", board_only(200)),
    "beirat/sitzungen/<int:pk>/top/<int:item_pk>/": ("GET", _item, board_only(200)),
    "beirat/sitzungen/<int:pk>/top/<int:item_pk>/vorschlag/": ("POST", lambda s: f"{_item(s)}vorschlag/",
                                                              board_only(None)),
    "beirat/sitzungen/<int:pk>/top/<int:item_pk>/abstimmung/": ("POST", lambda s: f"{_item(s)}abstimmung/",
                                                               board_only(None)),
    "beirat/sitzungen/<int:pk>/top/<int:item_pk>/vertagen/": ("POST", lambda s: f"{_item(s)}vertagen/",
                                                             board_only(None)),
    "beirat/sitzungen/<int:pk>/top/<int:item_pk>/stimme/": ("POST", lambda s: f"{_item(s)}stimme/", board_only(403)),
    "beirat/sitzungen/<int:pk>/top/<int:item_pk>/unterlagen/<int:doc_pk>/": (
        "GET", lambda s: f"{_item(s)}unterlagen/{s['item_document'].pk}/", board_only(200)),
    "beirat/sitzungen/<int:pk>/top/<int:item_pk>/<slug:action>/": ("POST", lambda s: f"{_item(s)}hoch/",
                                                                   board_only(None)),
}


def site_routes() -> set[str]:
    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) not in ("admin/", "arbeit/"):  # Django's admin, viewflow's workspace
                    yield from walk(pattern, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return set(walk(get_resolver()))


def test_every_url_of_the_site_has_a_row_in_the_matrix():
    assert site_routes() == set(MATRIX), "add a row for each new URL (and drop rows of removed ones)"


@pytest.fixture
def scene(world, people, django_capture_on_commit_callbacks):
    anna = User.objects.create_user("anna", "anna@dia-dorsten.example", "fondsflow-demo")
    anna.groups.add(Group.objects.get(name=roles.APPLICANT))
    Membership.objects.create(user=anna, organisation=world["dia"])
    drive = Driver({**people, "anna": anna}, django_capture_on_commit_callbacks)
    draft = drive.create_draft("alice", title="Entwurf")
    requested = drive.apply("alice", title="Nachforderung offen")
    drive.do("carla", requested, GrantFlow.eligibility, {
        "outcome": "missing", "reasons": "Angebote fehlen.", "missing_items": "Zweites Angebot",
        "deadline": "2099-01-31"})
    implementing = drive.apply("alice", title="In Umsetzung")
    drive.eligible(implementing)
    drive.recommend(implementing)
    drive.decide(implementing)
    drive.bescheid(implementing)
    from django.utils import timezone

    from fonds.models import Actor, Contact, Invitation, NetworkEvent

    authority = world["round"].fund.authority
    baeckerei = Actor.objects.create(authority=authority, name="Bäckerei", kind=Actor.Kind.RETAIL)
    return {
        "measure": world["measure"],
        "contact": Contact.objects.create(actor=baeckerei, name="Hanna Hülsmann", email="hanna@example.org"),
        "event": NetworkEvent.objects.create(authority=authority, title="Händlerfrühstück", starts_at=timezone.now(),
                                             place="Markt 1"),
        "fund": world["round"].fund, "dia": world["dia"], "draft": draft, "requested": requested,
        "implementing": implementing, "document": requested.documents.first(),
        "letter": implementing.letters.filter(status=Letter.Status.ISSUED).first(),
        "notification": Notification.objects.filter(recipient=people["alice"]).first(),
        "item": implementing.agenda_items.get(),
        "item_document": implementing.documents.filter(kind="quote").first(),
        "invitation": Invitation.objects.create(organisation=world["dia"], email="neu@example.org",
                                                invited_by=people["alice"]),
        "users": {**people, "anna": anna},
    }


def test_every_url_answers_every_visitor_as_the_matrix_says(scene):
    clients = {"anonymous": Client()}
    for name in VISITORS[1:]:
        clients[name] = Client()
        clients[name].force_login(scene["users"][name])
    wrong = []
    for route, (method, build, expected) in MATRIX.items():
        url = build(scene)
        for visitor, status in expected.items():
            if status is None:
                continue  # a state change its owner may make: exercised by the feature tests
            client = clients[visitor]
            response = client.get(url) if method == "GET" else client.post(url, {})
            got = response.status_code
            if got == 302 and response["Location"].startswith("/anmelden/"):
                got = LOGIN
            if got != status:
                wrong.append((route, visitor, status, got))
    assert wrong == [], "\n".join(f"{r} as {v}: expected {e}, got {g}" for r, v, e, g in wrong)
