"""Demo data for `make run`: Dorsten's Altstadtfonds, one user per role, applications in several stages.
Every application is moved through the real services and the real flow."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from fonds import roles
from fonds.models import (
    Actor,
    Application,
    Authority,
    BaseRate,
    Board,
    BoardMember,
    BudgetLine,
    ConditionTemplate,
    Consent,
    Contact,
    Cooperation,
    Criterion,
    Document,
    Fund,
    FundingRound,
    Measure,
    MeasureFunding,
    Meeting,
    Membership,
    Milestone,
    NetworkEvent,
    Organisation,
    RuleSet,
    StaffMembership,
    StandingInterest,
    Topic,
)
from fonds.selectors.board import item_quorum
from fonds.services import board as board_services
from fonds.services import meetings as meeting_services
from fonds.services.actors import consent_give
from fonds.services.applications import application_create_draft, application_declare
from fonds.services.documents import document_upload
from fonds.services.finality import letter_record_posting, letter_record_waiver
from fonds.services.publication import publication_consent_give
from notifications.invitations import network_event_invite

from . import board as board_flow
from . import queue_services, services, steps
from .flows import GrantFlow
from .models import GrantProcess

PASSWORD = "fondsflow-demo"
D = Decimal

# Basiszinssatz nach § 247 BGB as published by the Deutsche Bundesbank; the fund admin adds new ones.
BASE_RATES = [(date(2024, 1, 1), D("3.62")), (date(2024, 7, 1), D("3.37")), (date(2025, 1, 1), D("2.27")),
              (date(2025, 7, 1), D("1.27"))]

# The streets inside Dorsten's Wallring (programme area of „Wir machen MITte“).
ALTSTADT_STREETS = ["Markt", "Lippestraße", "Essener Straße", "Recklinghäuser Straße", "Ursulastraße",
                    "Südgraben", "Nordgraben", "Ostgraben", "Westgraben", "Wiesenstraße", "Kirchplatz",
                    "Blindestraße", "Marler Straße", "Klosterstraße", "Am Blauen Stein", "Im Werth"]

# The Altstadt inside the Wallring as the fund admin would upload it (GeoJSON, WGS84: longitude, latitude).
ALTSTADT_AREA = {"type": "Polygon", "coordinates": [[
    [6.9600, 51.6605], [6.9615, 51.6630], [6.9650, 51.6640], [6.9690, 51.6635], [6.9720, 51.6610],
    [6.9710, 51.6582], [6.9670, 51.6570], [6.9625, 51.6575], [6.9600, 51.6605]]]}
MARKT_POINT = (D("51.660700"), D("6.965500"))

# Standard conditions (Auflagen) the Citymanagement picks from in its recommendation.
CONDITION_TEMPLATES = [
    "Am Objekt ist dauerhaft ein gut sichtbarer Hinweis auf die Förderung aus dem Altstadtfonds anzubringen.",
    "Die Gestaltungssatzung der Altstadt ist einzuhalten; die Ausführung ist vorab mit dem Citymanagement "
    "abzustimmen.",
    "Erforderliche Genehmigungen (Bauordnung, Denkmalschutz, Sondernutzung) sind vor Beginn vorzulegen.",
    "Die geförderten Gegenstände sind während der Zweckbindungsfrist instand zu halten.",
]

# The round's criteria for the recommendation's score: name, explanation, max points, weight.
CRITERIA = [
    ("Wirkung für die Altstadt", "Belebt das Vorhaben die Altstadt sichtbar und dauerhaft?", 5, "2"),
    ("Öffentlicher Nutzen", "Ist das Ergebnis öffentlich oder halböffentlich zugänglich?", 5, "1"),
    ("Nachhaltigkeit", "Langlebigkeit, Material, Pflege und Folgekosten.", 3, "1"),
]

MEASURES = [
    ("3.1", "Altstadtfonds", "local_economy",
     "Verfügungsfonds für kleine, dauerhafte Projekte privater Akteure in der Altstadt."),
    ("2.4", "Aufwertung der Geschäftsfassaden", "buildings",
     "Fassaden, Schaufenster und Werbeanlagen im Einklang mit der Gestaltungssatzung."),
    ("1.2", "Belebung des Marktplatzes", "public_space",
     "Aufenthaltsqualität, Begrünung und Möblierung rund um den Markt."),
    ("4.1", "Altstadt erleben – Kultur und Image", "culture",
     "Veranstaltungen, Leitsystem und gemeinsamer Auftritt der Altstadt."),
]

USERS = [
    # username, first, last, role, email
    ("alice", "Alice", "Albers", roles.APPLICANT, "alice@dia-dorsten.example"),
    ("bob", "Bob", "Brinkmann", roles.APPLICANT, "bob@lions-dorsten.example"),
    ("carla", "Carla", "Citymanagerin", roles.CITYMANAGEMENT, "carla@dorsten.example"),
    ("clemens", "Clemens", "Kampmann", roles.CITYMANAGEMENT, "clemens@dorsten.example"),
    ("lena", "Lena", "Lorenz", roles.CITYMANAGEMENT_LEAD, "lena@dorsten.example"),
    ("dieter", "Dieter", "Drees", roles.BOARD, "dieter@dorsten.example"),
    ("bernd", "Bernd", "Bergmann", roles.BOARD, "bernd@dorsten.example"),  # Beirat; member of the Lions Club
    ("gisela", "Gisela", "Gerlach", roles.BOARD, "gisela@dorsten.example"),  # Beirat, advisory (no vote)
    ("frieda", "Frieda", "Finke", roles.FINANCE, "frieda@dorsten.example"),
    ("felix", "Felix", "Franke", roles.FINANCE, "felix@dorsten.example"),
    ("verwaltung", "Vera", "Verwaltung", roles.FUND_ADMIN, "verwaltung@dorsten.example"),
]


def create_base(today: date) -> dict:
    authority = Authority.objects.create(
        name="Stadt Dorsten", department="Der Bürgermeister – Stadtentwicklung, Citymanagement",
        signatory="Im Auftrag", street="Halterner Straße 5", postcode="46284", city="Dorsten",
        phone="02362 66-0", email="altstadtfonds@dorsten.example", website="www.dorsten.de",
        bank_name="Sparkasse Vest Recklinghausen", iban="DE85 4265 0150 0090 0012 34", bic="WELADED1REK",
        court_name="Verwaltungsgericht Gelsenkirchen", court_address="Bahnhofsvorplatz 2, 45879 Gelsenkirchen")
    fund = Fund.objects.create(
        authority=authority, name="Altstadtfonds Dorsten", code="AF", programme="Städtebauförderung „Wir machen MITte“",
        budget_account="5110.531800 Verfügungsfonds Altstadt",
        description="Der Altstadtfonds fördert kleine, dauerhafte Projekte von Vereinen, Händlern und "
                    "Eigentümern in der Altstadt – in der Regel zur Hälfte der Kosten.",
        purpose="Stärkung der Dorstener Altstadt durch dauerhafte private Projekte im öffentlichen oder "
                "halböffentlichen Raum",
        funding_note="Gefördert im Städtebauförderungsprogramm „Lebendige Zentren“ durch Bund, Land NRW und "
                     "Stadt Dorsten")
    round_ = FundingRound.objects.create(fund=fund, name=f"Förderrunde {today.year}", year=today.year,
                                         opens_on=date(today.year, 1, 1), closes_on=date(today.year, 12, 31))
    RuleSet.objects.create(round=round_, version=1, rate_percent=D("50"), max_grant=D("15000"), min_grant=D("250"),
                           min_total_cost=D("500"), quotes_required=3, quote_threshold=D("1000"),
                           proof_of_use_months=6, earmarking_years=10,
                           eligible_area="Altstadt innerhalb des Wallrings (Programmgebiet „Wir machen MITte“)",
                           eligible_streets="\n".join(ALTSTADT_STREETS))
    measures = [Measure.objects.create(authority=authority, number=number, title=title, field_of_action=field,
                                       status=Measure.Status.IN_PROGRESS, description=description)
                for number, title, field, description in MEASURES]
    for source, amount in ((BudgetLine.Source.BUND, "10000"), (BudgetLine.Source.LAND, "10000"),
                           (BudgetLine.Source.STADT, "5000"), (BudgetLine.Source.PRIVATE, "20000"),
                           (BudgetLine.Source.SPONSOR, "5000")):
        BudgetLine.objects.create(fund=fund, year=today.year, source=source, amount=D(amount))
    for valid_from, rate in BASE_RATES:
        BaseRate.objects.get_or_create(valid_from=valid_from, defaults={"rate_percent": rate})

    users = {}
    for username, first, last, role, email in USERS:
        user = User.objects.create_user(username, email, PASSWORD, first_name=first, last_name=last,
                                        is_staff=role == roles.FUND_ADMIN)
        user.groups.add(Group.objects.get(name=role))
        if role != roles.APPLICANT:
            StaffMembership.objects.create(user=user, authority=authority)
        users[username] = user
    dia = Organisation.objects.create(
        name="Dorstener Interessengemeinschaft Altstadt e. V.", kind=Organisation.Kind.ASSOCIATION,
        legal_form=Organisation.LegalForm.EV, representative="Alice Albers (Vorsitzende)", street="Markt 1",
        postcode="46282", city="Dorsten", email="alice@dia-dorsten.example", iban="DE02 1203 0000 0000 2020 51")
    lions = Organisation.objects.create(
        name="Lions Club Dorsten e. V.", kind=Organisation.Kind.CLUB, legal_form=Organisation.LegalForm.EV,
        representative="Bob Brinkmann (Präsident)", street="Lippestraße 12", postcode="46282", city="Dorsten",
        email="bob@lions-dorsten.example", iban="DE86 4265 0150 0090 0056 78")
    Membership.objects.create(user=users["alice"], organisation=dia)
    Membership.objects.create(user=users["bob"], organisation=lions)
    board = Board.objects.create(fund=fund, name="Beirat Altstadtfonds")
    since = date(today.year - 1, 1, 1)
    BoardMember.objects.create(board=board, user=users["dieter"], role=BoardMember.Role.CHAIR,
                               organisation="Rat der Stadt Dorsten", term_from=since)
    bernd = BoardMember.objects.create(board=board, user=users["bernd"], role=BoardMember.Role.MEMBER,
                                       organisation="Einzelhandel Altstadt", term_from=since)
    StandingInterest.objects.create(member=bernd, organisation=lions, note="Mitglied des Vorstands")
    BoardMember.objects.create(board=board, user=users["gisela"], role=BoardMember.Role.ADVISORY,
                               organisation="Stadt Dorsten, Planungsamt", term_from=since)
    return {"round": round_, "users": users, "dia": dia, "lions": lions, "measure": measures[0],
            "measures": measures, "board": board}


def add_workspace_settings(round_):
    """What the fund admin sets up for the Citymanagement's work: the area map, standard conditions and the
    round's criteria. Only in the demo: the tests' world decides these per test."""
    fund = round_.fund
    fund.area_geojson = ALTSTADT_AREA
    fund.save(update_fields=["area_geojson"])
    for position, text in enumerate(CONDITION_TEMPLATES, start=1):
        ConditionTemplate.objects.create(fund=fund, position=position, text=text)
    for position, (name, description, max_points, weight) in enumerate(CRITERIA, start=1):
        Criterion.objects.create(round=round_, position=position, name=name, description=description,
                                 max_points=max_points, weight=D(weight))


def pdf_bytes(text: str) -> bytes:
    """A small, valid one-page PDF standing in for a scanned quote."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def draft(base, org, user, title, costs, *, vat=False, start_in_days=30, location="Markt 1, 46282 Dorsten",
          point=None):
    """A complete draft as the form would leave it: project, cost plan, financing, the comparison
    quotes the rules ask for, and the declarations. The point on the map: `point`, else the Markt where the fund
    has an area (the form offers the map only then)."""
    today = timezone.localdate()
    if point is None and base["round"].fund.area_geojson:
        point = MARKT_POINT
    total = sum(D(gross) for _, _, gross in costs)
    grant = (total / 2).quantize(D("0.01"))
    application = application_create_draft(
        actor=user, organisation=org, round=base["round"], data={
            "title": title, "description": f"{title} in der Dorstener Altstadt; dauerhaft, öffentlich zugänglich.",
            "location": location, "measure": base.get("measure"),
            **({"latitude": point[0], "longitude": point[1]} if point else {}),
            "planned_start": today + timedelta(days=start_in_days),
            "planned_end": today + timedelta(days=start_in_days + 120), "vat_deductible": vat,
            "own_funds": total - grant, "third_party_funds": D("0"), "requested_grant": grant},
        cost_items=[{"description": d, "net_amount": D(n), "gross_amount": D(g), "eligible": True}
                    for d, n, g in costs])
    rules = base["round"].current_rules
    for item_description, _, gross in costs:
        if D(gross) > rules.quote_threshold:
            for n in range(1, rules.quotes_required + 1):
                document_upload(actor=user, application=application, kind=Document.Kind.QUOTE,
                                uploaded_file=SimpleUploadedFile(f"Angebot {n} {item_description}.pdf",
                                                                 pdf_bytes(f"Angebot {n}: {item_description}")))
    return application_declare(actor=user, application=application, privacy=True, truth=True)


def attach(user, application, kind, filename):
    document_upload(actor=user, application=application, kind=kind,
                    uploaded_file=SimpleUploadedFile(filename, pdf_bytes(filename)))


def staff(user, application, node, step, **data):
    def perform(process):
        # As in a web request, the step sees the application as it is now.
        step(user=user, process=process, application=Application.objects.get(pk=application.pk), **data)

    services.staff_task_execute(user=user, application=application, node=node, perform=perform)


def applicant(user, application, node, perform):
    services.applicant_task_execute(user=user, application=application, node=node, perform=perform)


def to_board(u, application):
    staff(u["carla"], application, GrantFlow.eligibility, steps.check_eligibility, outcome="eligible",
          reasons="Im Fördergebiet, nicht begonnen, Eigenanteil gesichert, drei Angebote liegen vor.")
    templates = list(application.fund.condition_templates.order_by("position")[:2])
    scores = {criterion: criterion.max_points - 1 for criterion in application.round.criteria.all()}
    staff(u["carla"], application, GrantFlow.recommendation, steps.recommend,
          amount=application.requested_grant, conditions="", condition_templates=templates, scores=scores,
          reasoning="Stärkt die Aufenthaltsqualität am Markt; dauerhaft und öffentlich zugänglich.")


def hold_meeting(u, board, applications, *, starts_at, place="Altes Rathaus, Sitzungssaal") -> Meeting:
    """A Beirat meeting as Citymanagement and the chair hold it: agenda, attendance, votes on the
    recommendations, close, sign-off. Members conflicted on an item do not vote on it."""
    carla = u["carla"]
    meeting = board_services.meeting_create(actor=carla, board=board, kind=Meeting.Kind.MEETING,
                                            starts_at=starts_at, place=place)
    items = board_services.agenda_add(actor=carla, meeting=meeting, applications=applications)
    meeting_services.attendance_record(actor=carla, meeting=meeting,
                                       present_ids=[m.pk for m in board.members.all()])
    for item in items:
        quorum = item_quorum(item)
        meeting_services.votes_record(actor=carla, item=item, choices={pk: "yes" for pk in quorum.eligible_ids})
    board_flow.meeting_close(actor=carla, meeting=meeting)
    return board_flow.meeting_sign_off(actor=u["dieter"], meeting=meeting)


def issue_bescheid(u, application):
    application.refresh_from_db()
    staff(u["frieda"], application, GrantFlow.bescheid_draft, steps.draft_bescheid,
          **steps.bescheid_defaults(application))
    staff(u["felix"], application, GrantFlow.bescheid_issue, steps.issue_bescheid, decision="issue")


def load() -> bool:
    """Each step commits on its own, as in real use: letters render (eagerly) at each commit."""
    if Authority.objects.filter(name="Stadt Dorsten").exists():
        return False
    today = timezone.localdate()
    with transaction.atomic():
        base = create_base(today)
        add_workspace_settings(base["round"])
    u, dia, lions = base["users"], base["dia"], base["lions"]

    draft(base, dia, u["alice"], "Beleuchtung Altes Rathaus", [("LED-Fassadenstrahler", "3000", "3570")])

    a = draft(base, dia, u["alice"], "Blumenampeln Lippestraße", [("20 Blumenampeln mit Halterung", "2000", "2380")])
    services.submit_and_start(actor=u["alice"], application=a)

    b = draft(base, lions, u["bob"], "Tastmodell der Altstadt", [("Bronzemodell 1:500", "12000", "14280"),
                                                                  ("Sockel und Montage", "2000", "2380")])
    services.submit_and_start(actor=u["bob"], application=b)
    staff(u["carla"], b, GrantFlow.eligibility, steps.check_eligibility, outcome="missing",
          reasons="Es liegt nur ein Angebot vor.", missing_items="Zwei weitere Vergleichsangebote für das Modell",
          deadline=today + timedelta(days=21))

    c = draft(base, dia, u["alice"], "Adventskranz auf dem Marktplatz", [("Elektrischer Adventskranz", "6000", "7140")])
    services.submit_and_start(actor=u["alice"], application=c)
    to_board(u, c)

    d = draft(base, dia, u["alice"], "Historische Marktstände", [("20 Holzmarktstände", "14000", "16660")])
    services.submit_and_start(actor=u["alice"], application=d)
    to_board(u, d)
    e = draft(base, lions, u["bob"], "Brunnen am Essener Tor", [("Sanierung Brunnenbecken", "4000", "4760")],
              location="Essener Straße 1, 46282 Dorsten", point=(D("51.659800"), D("6.963600")))
    services.submit_and_start(actor=u["bob"], application=e)
    to_board(u, e)
    # Two weeks ago the Beirat approved d and e (bernd, of the Lions Club, left the room for e).
    past = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) - timedelta(days=14)
    hold_meeting(u, base["board"], [d, e], starts_at=past)
    issue_bescheid(u, d)
    issue_bescheid(u, e)
    # Both posted today, and both recipients sent their waiver of appeal back at once: the Bescheide are final
    # (Bestandskraft), so payments need not wait for the one-month action period.
    for application in (d, e):
        bescheid = application.letters.get(kind="bescheid")
        letter_record_posting(actor=u["frieda"], letter=bescheid, posted_on=today)
        letter_record_waiver(actor=u["frieda"], letter=bescheid, received_on=today)
    attach(u["alice"], d, Document.Kind.RECEIPT, "Abschlagsrechnung Schreinerei Hülsmann.pdf")
    applicant(u["alice"], d, GrantFlow.implementation, lambda process: steps.request_payment(
        user=u["alice"], process=process, application=d, amount=D("4000"), note="Anzahlung Schreinerei"))
    staff(u["frieda"], d, GrantFlow.payment_order, steps.order_payment, decision="order", amount=D("4000"),
          factually_correct=True)
    staff(u["felix"], d, GrantFlow.payment_release, steps.release_payment, arithmetically_correct=True)

    attach(u["bob"], e, Document.Kind.RECEIPT, "Rechnung Steinmetz Hülsmann.pdf")
    attach(u["bob"], e, Document.Kind.FINISHED_PHOTO, "Brunnen nach der Sanierung.pdf")
    attach(u["bob"], e, Document.Kind.FUNDING_SIGN, "Förderschild am Brunnen.pdf")
    applicant(u["bob"], e, GrantFlow.implementation, lambda process: steps.submit_use_report(
        user=u["bob"], process=process, application=e, narrative="Das Brunnenbecken wurde saniert.",
        funding_sign_in_place=True,
        lines=[{"paid_on": today, "payee": "Steinmetz Hülsmann", "purpose": "Sanierung",
                "net_amount": D("4000"), "gross_amount": D("4760"), "eligible": True}]))
    staff(u["carla"], e, GrantFlow.use_report_check, steps.check_use_report, decision="accept",
          accepted_costs=D("4760"), note="Belege vollständig, Förderhinweis angebracht.")
    staff(u["frieda"], e, GrantFlow.settlement, steps.settle)
    staff(u["frieda"], e, GrantFlow.payment_order, steps.order_payment, decision="order", amount=D("2380"),
          factually_correct=True)
    staff(u["felix"], e, GrantFlow.payment_release, steps.release_payment, arithmetically_correct=True)
    # The Lions Club lets the public see the fountain (status page in the portal, after approval).
    publication_consent_give(actor=u["bob"], application=e, fields={"organisation", "location", "grant",
                                                                    "description"})

    # Lena, the team lead, has given the eligibility check of a fresh application to Clemens.
    g = draft(base, lions, u["bob"], "Sitzbänke am Kirchplatz", [("Vier Sitzbänke aus Eiche", "3200", "3808")])
    services.submit_and_start(actor=u["bob"], application=g)
    queue_services.tasks_assign(actor=u["lena"], assignee=u["clemens"], task_ids=[
        GrantProcess.for_application(g).task_set.get(flow_task=GrantFlow.eligibility).pk])

    f = draft(base, dia, u["alice"], "Werbebanner für den Sommerschlussverkauf", [("Banner", "800", "952")])
    services.submit_and_start(actor=u["alice"], application=f)
    staff(u["carla"], f, GrantFlow.eligibility, steps.check_eligibility, outcome="not_eligible",
          reasons="Werbung für einzelne Geschäfte dient dem Gewinn und ist nach den Förderregeln nicht förderfähig.",
          items=[{"key": "purpose", "met": False,
                  "reason": "Werbung für einzelne Geschäfte dient dem Gewinn, nicht der Allgemeinheit."}])

    # The next meeting in three weeks, with c on its agenda.
    upcoming = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) + timedelta(days=21)
    meeting = board_services.meeting_create(actor=u["carla"], board=base["board"], kind=Meeting.Kind.MEETING,
                                            starts_at=upcoming, place="Altes Rathaus, Sitzungssaal",
                                            agenda_deadline=(upcoming - timedelta(days=7)).date())
    board_services.agenda_add(actor=u["carla"], meeting=meeting, applications=[c])
    board_flow.meeting_invite(actor=u["carla"], meeting=meeting)
    with transaction.atomic():
        load_network(base, today)
        load_contributions(base, today)
    return True


def load_contributions(base, today):
    """A sponsor's pledge into the fund's pool, partly received (Finanzübersicht, Private Beiträge)."""
    from fonds.models import PrivateContribution
    from fonds.services.contributions import contribution_pledge, contribution_receive

    sponsor = contribution_pledge(actor=base["users"]["frieda"], fund=base["round"].fund, year=today.year,
                                  contributor="Sparkasse Vest Recklinghausen", kind=PrivateContribution.Kind.SPONSOR,
                                  pledged=D("3000"), note="Zusage für Projekte in der Altstadt")
    contribution_receive(actor=base["users"]["frieda"], contribution=sponsor, amount=D("1000"), received_on=today)


# Progress of the demo measures: (number, [(milestone, due in days from today, done days ago or None)]).
MILESTONES = {
    "3.1": [("Richtlinie vom Rat beschlossen", -400, 410), ("Beirat konstituiert", -330, 335),
            ("Erste Förderrunde abgeschlossen", -30, 20), ("Zwischenbilanz im Ausschuss", 120, None)],
    "1.2": [("Bürgerwerkstatt Marktplatz", -200, 190), ("Entwurfsplanung", 60, None), ("Umbau", 400, None)],
    "2.4": [("Gestaltungssatzung überarbeitet", -100, 95), ("Fassadenberatung gestartet", 30, None)],
}
MEASURE_DETAILS = {
    "3.1": ("Stadt Dorsten, Stadtteilbüro / Citymanagement", "50000", (D("51.660700"), D("6.965500")), "Markt"),
    "1.2": ("Stadt Dorsten, Tiefbauamt", "480000", (D("51.660900"), D("6.965000")), "Marktplatz"),
    "2.4": ("Stadt Dorsten, Stadtteilbüro", "120000", None, "Altstadt innerhalb des Wallrings"),
}
ACTORS = [
    # name, kind, street, organisation key, contact, e-mail, agreed to invitations
    ("Dorstener Interessengemeinschaft Altstadt e. V.", Actor.Kind.INITIATIVE, "Markt 1", "dia", "Alice Albers",
     "alice@dia-dorsten.example", True),
    ("Lions Club Dorsten e. V.", Actor.Kind.CLUB, "Lippestraße 12", "lions", "Bob Brinkmann",
     "bob@lions-dorsten.example", True),
    ("Bäckerei Hülsmann", Actor.Kind.RETAIL, "Lippestraße 3", None, "Hanna Hülsmann", "hanna@baeckerei.example", True),
    ("Café am Markt", Actor.Kind.GASTRONOMY, "Markt 7", None, "Carlo Costa", "info@cafe-am-markt.example", False),
    ("Heimatverein Dorsten e. V.", Actor.Kind.CLUB, "Kirchplatz 2", None, "Karl Krause", "", False),
]


def load_network(base, today):
    """Progress for the measures, a few actors of the Altstadt with contacts and consents, a cooperation and a
    Händlerfrühstück with the invitations sent (only to those who agreed)."""
    carla = base["users"]["carla"]
    for measure in base["measures"]:
        for title, due, done in MILESTONES.get(measure.number, []):
            Milestone.objects.create(measure=measure, title=title, due=today + timedelta(days=due),
                                     done_on=today - timedelta(days=done) if done is not None else None)
        if measure.number in MEASURE_DETAILS:
            body, budget, point, place = MEASURE_DETAILS[measure.number]
            measure.responsible_body, measure.budget, measure.location = body, D(budget), place
            measure.latitude, measure.longitude = point or (None, None)
            measure.save()
    market = base["measures"][2]
    for source, amount in ((MeasureFunding.Source.BUND, "160000"), (MeasureFunding.Source.LAND, "176000"),
                           (MeasureFunding.Source.STADT, "144000")):
        MeasureFunding.objects.create(measure=market, source=source, amount=D(amount))

    authority = base["round"].fund.authority
    retail = Topic.objects.get_or_create(name="Einzelhandel")[0]
    vacancy = Topic.objects.get_or_create(name="Leerstand")[0]
    actors = {}
    for name, kind, street, org, person, email, agreed in ACTORS:
        actor = Actor.objects.create(authority=authority, name=name, kind=kind, street=street, postcode="46282",
                                     city="Dorsten", organisation=base[org] if org else None)
        actor.topics.add(retail if kind == Actor.Kind.RETAIL else vacancy)
        actor.measures.add(base["measure"])
        contact = Contact.objects.create(actor=actor, name=person, email=email)
        if agreed:
            consent_give(actor=carla, contact=contact, purpose=Consent.Purpose.INVITATIONS,
                         source="schriftlich beim Stadtfest")
        actors[name] = actor
    Cooperation.objects.create(first=actors["Bäckerei Hülsmann"], second=actors["Café am Markt"],
                               description="Gemeinsame Aktion „Altstadt-Frühstück“", since=today - timedelta(days=90))
    event = NetworkEvent.objects.create(
        authority=authority, title="Händlerfrühstück Altstadt", kind=NetworkEvent.Kind.BREAKFAST,
        starts_at=timezone.make_aware(datetime.combine(today + timedelta(days=21), time(8, 30))),
        place="Stadtteilbüro, Markt 1", measure=base["measure"],
        description="Austausch über Leerstand, Sauberkeit und das Weihnachtsprogramm.")
    network_event_invite(actor=carla, event=event, contacts=Contact.objects.filter(actor__authority=authority))
