"""A realistic population for the benchmarks, written with bulk inserts (no services, no flow runs).

Default scale 1.0: 3 funds, 10,000 applications over every stage, 100,000 viewflow tasks, 30,000 document rows,
2,000 users. Each submitted application has its viewflow process with the history of done tasks its stage
implies and one open task where the flow waits, so the task lists, the status page and the dossier see what
they would see in real use. Besides: 200 complete drafts of "rush" applicants for the deadline rush, and
Bescheide queued for rendering (bench.letters). Everything shares the password PASSWORD."""

import hashlib
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from fonds import roles
from fonds.models import (
    Application,
    Authority,
    BudgetLine,
    CostItem,
    Document,
    FileNumberSequence,
    Fund,
    FundingRound,
    LedgerEntry,
    Letter,
    Membership,
    Organisation,
    PublicationConsent,
    RuleSet,
    StaffMembership,
    Stage,
)
from fonds.services.letters import letter_snapshot
from workflows.flows import GrantFlow

PASSWORD = "fondsflow-bench"
D = Decimal
AUTHORITY_NAME = "Bench-Stadt"
RUSH_PREFIX = "rush"
TOPICS = ["Blumenampeln", "Sitzbänke", "Fassade", "Leitsystem", "Beleuchtung"]
BATCH = 5000
START = Token("start")

# Share of the applications per stage (drafts apart from the rush drafts).
STAGE_WEIGHTS = [
    (Stage.DRAFT, 8), (Stage.ELIGIBILITY, 14), (Stage.DOCUMENTS_REQUESTED, 4), (Stage.RECOMMENDATION, 10),
    (Stage.BOARD, 8), (Stage.DEFERRED, 2), (Stage.BESCHEID, 5), (Stage.IMPLEMENTATION, 16),
    (Stage.USE_REPORT_CHECK, 5), (Stage.SETTLEMENT, 3), (Stage.CLOSED, 14), (Stage.REJECTED, 8),
    (Stage.WITHDRAWN, 3),
]

F = GrantFlow
RECEIPT = [F.start, F.receipt, F.receipt_stored]
TO_RECOMMENDATION = [*RECEIPT, F.eligibility, F.eligibility_outcome]
TO_BOARD = [*TO_RECOMMENDATION, F.recommendation, F.recommendation_review]
TO_BESCHEID = [*TO_BOARD, F.board, F.board_outcome]
TO_IMPLEMENTATION = [*TO_BESCHEID, F.bescheid_draft, F.bescheid_issue, F.bescheid_checked, F.bescheid_render,
                     F.bescheid_stored]
PAYMENT_CYCLE = [F.implementation, F.implementation_choice, F.payment_order, F.payment_ordered, F.payment_release,
                 F.payment_released]
TO_USE_REPORT = [*TO_IMPLEMENTATION, F.implementation, F.implementation_choice]
TO_SETTLEMENT = [*TO_USE_REPORT, F.use_report_check, F.use_report_outcome]
# Stage: (done nodes, the node the flow waits in or None when the process ended)
HISTORY = {
    Stage.ELIGIBILITY: (RECEIPT, F.eligibility),
    Stage.DOCUMENTS_REQUESTED: ([*RECEIPT, F.eligibility, F.eligibility_outcome], F.answer_documents),
    Stage.RECOMMENDATION: (TO_RECOMMENDATION, F.recommendation),
    Stage.BOARD: (TO_BOARD, F.board),
    Stage.DEFERRED: ([*TO_BOARD, F.board, F.board_outcome], F.board),
    Stage.BESCHEID: (TO_BESCHEID, F.bescheid_draft),
    Stage.IMPLEMENTATION: (TO_IMPLEMENTATION, F.implementation),
    Stage.USE_REPORT_CHECK: (TO_USE_REPORT, F.use_report_check),
    Stage.SETTLEMENT: (TO_SETTLEMENT, F.settlement),
    Stage.CLOSED: ([*TO_SETTLEMENT, F.settlement, F.settlement_render, F.settlement_stored, F.settlement_outcome,
                    F.payment_order, F.payment_ordered, F.payment_release, F.payment_released, F.close], F.end),
    Stage.REJECTED: ([*RECEIPT, F.eligibility, F.eligibility_outcome, F.rejection, F.rejection_stored], F.rejected),
    Stage.WITHDRAWN: (RECEIPT, F.eligibility),
}
APPROVED = {Stage.BESCHEID, Stage.IMPLEMENTATION, Stage.USE_REPORT_CHECK, Stage.SETTLEMENT, Stage.CLOSED}
PUBLIC = {Stage.IMPLEMENTATION, Stage.USE_REPORT_CHECK, Stage.SETTLEMENT, Stage.CLOSED}
STAFF = [  # username prefix, role, how many (at scale 1)
    ("cm", roles.CITYMANAGEMENT, 10), ("lead", roles.CITYMANAGEMENT_LEAD, 2), ("fin", roles.FINANCE, 6),
    ("admin", roles.FUND_ADMIN, 1), ("beirat", roles.BOARD, 3),
]


@dataclass
class Sizes:
    funds: int = 3
    applications: int = 10_000
    tasks: int = 100_000
    documents: int = 30_000
    users: int = 2_000
    rush: int = 200
    letters: int = 125

    @classmethod
    def at(cls, scale: float, **overrides) -> "Sizes":
        base = cls()
        sizes = cls(funds=base.funds, applications=max(1, round(base.applications * scale)),
                    tasks=max(1, round(base.tasks * scale)), documents=max(1, round(base.documents * scale)),
                    users=max(1, round(base.users * scale)), rush=min(base.rush, max(2, round(base.rush * scale))),
                    letters=min(base.letters, max(2, round(base.letters * scale))))
        for name, value in overrides.items():
            if value is not None:
                setattr(sizes, name, value)
        return sizes


def _created(model, objects):
    """bulk_create in batches; PostgreSQL returns the primary keys."""
    result = []
    for start in range(0, len(objects), BATCH):
        result += model.objects.bulk_create(objects[start:start + BATCH])
    return result


def _fast_inserts():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _staff_count(scale_users: int) -> list[tuple[str, str, int]]:
    factor = min(1.0, scale_users / Sizes.users)
    return [(prefix, role, max(1, round(count * factor))) for prefix, role, count in STAFF]


@transaction.atomic
def seed(sizes: Sizes, *, seed_value: int = 9, log=print) -> dict:
    """Writes the population into the (migrated) database. Refuses to run twice."""
    if Authority.objects.filter(name=AUTHORITY_NAME).exists():
        raise RuntimeError("Die Datenbank enthält bereits eine Benchmark-Population.")
    _fast_inserts()
    rng = random.Random(seed_value)
    call_command("sync_roles", verbosity=0, stdout=io.StringIO())
    today = timezone.localdate()
    now = timezone.now()
    password = make_password(PASSWORD)

    authority = Authority.objects.create(
        name=AUTHORITY_NAME, department="Der Bürgermeister – Stadtentwicklung", signatory="Im Auftrag",
        street="Marktplatz 1", postcode="12345", city="Benchstadt", phone="0123 45-0", email="fonds@bench.example",
        website="www.bench.example", bank_name="Sparkasse Bench", iban="DE85 4265 0150 0090 0012 34",
        bic="WELADED1REK", court_name="Verwaltungsgericht Bench", court_address="Gerichtsplatz 1, 12345 Benchstadt")
    funds, rounds, rules = [], [], []
    for number in range(sizes.funds):
        fund = Fund.objects.create(
            authority=authority, name=f"Innenstadtfonds {number + 1}", code=f"B{number + 1}",
            programme="Städtebauförderung „Lebendige Zentren“", budget_account=f"5110.5318{number:02d}",
            purpose="Stärkung der Innenstadt durch dauerhafte private Projekte",
            funding_note="Gefördert im Städtebauförderungsprogramm „Lebendige Zentren“")
        round_ = FundingRound.objects.create(fund=fund, name=f"Förderrunde {today.year}", year=today.year,
                                             opens_on=date(today.year, 1, 1), closes_on=date(today.year, 12, 31))
        rules.append(RuleSet.objects.create(
            round=round_, version=1, rate_percent=D("50"), max_grant=D("15000"), min_grant=D("250"),
            min_total_cost=D("500"), quotes_required=3, quote_threshold=D("1000"), proof_of_use_months=6,
            earmarking_years=10, eligible_area="Innenstadt"))
        for source, amount in ((BudgetLine.Source.BUND, "4000000"), (BudgetLine.Source.LAND, "4000000"),
                               (BudgetLine.Source.STADT, "2000000"), (BudgetLine.Source.PRIVATE, "10000000")):
            BudgetLine.objects.create(fund=fund, year=today.year, source=source, amount=D(amount))
        funds.append(fund)
        rounds.append(round_)

    # Users: staff per role, the rush applicants, everyone else an applicant with an organisation of their own.
    staff_plan = _staff_count(sizes.users)
    users = []
    for prefix, _role, count in staff_plan:
        users += [User(username=f"{prefix}{n}", first_name=prefix.capitalize(), last_name=f"Nr. {n}",
                       email=f"{prefix}{n}@bench.example", password=password) for n in range(1, count + 1)]
    staff_total = len(users)
    applicant_count = max(2, sizes.users - staff_total)
    rush_count = min(sizes.rush, applicant_count // 2) if sizes.rush else 0
    users += [User(username=f"{RUSH_PREFIX}{n}", first_name="Eilig", last_name=f"Nr. {n}",
                   email=f"{RUSH_PREFIX}{n}@bench.example", password=password) for n in range(1, rush_count + 1)]
    users += [User(username=f"app{n}", first_name="Antrag", last_name=f"Nr. {n}", email=f"app{n}@bench.example",
                   password=password) for n in range(1, applicant_count - rush_count + 1)]
    users = _created(User, users)
    staff_users, applicants = users[:staff_total], users[staff_total:]
    rush_users, regular = applicants[:rush_count], applicants[rush_count:]
    groups = {group.name: group for group in Group.objects.all()}
    through, position = [], 0
    by_role: dict[str, list[User]] = {}
    for _prefix, role, count in staff_plan:
        for user in staff_users[position:position + count]:
            through.append(User.groups.through(user_id=user.pk, group_id=groups[role].pk))
            by_role.setdefault(role, []).append(user)
        position += count
    through += [User.groups.through(user_id=user.pk, group_id=groups[roles.APPLICANT].pk) for user in applicants]
    _created(User.groups.through, through)
    _created(StaffMembership, [StaffMembership(user=user, authority=authority) for user in staff_users])
    organisations = _created(Organisation, [
        Organisation(name=f"Verein {user.last_name} e. V.", kind=Organisation.Kind.ASSOCIATION,
                     legal_form=Organisation.LegalForm.EV, representative=f"{user.first_name} {user.last_name}",
                     street=f"Marktstraße {n % 200 + 1}", postcode="12345", city="Benchstadt", email=user.email)
        for n, user in enumerate(applicants)])
    _created(Membership, [Membership(user=user, organisation=org)
                          for user, org in zip(applicants, organisations, strict=True)])
    org_of = dict(zip([u.pk for u in applicants], organisations, strict=True))
    log(f"  {len(users)} Konten, {len(organisations)} Organisationen")

    # Applications: the rush drafts first (complete, ready to submit), then the population by stage.
    stages = [stage for stage, weight in STAGE_WEIGHTS for _ in range(weight)]
    plan = [(user, Stage.DRAFT, True) for user in rush_users]
    regular_users = regular or rush_users
    plan += [(regular_users[n % len(regular_users)], rng.choice(stages), False)
             for n in range(max(0, sizes.applications - len(plan)))]
    sequences = {fund.pk: 0 for fund in funds}
    applications = []
    for n, (user, stage, rush) in enumerate(plan):
        index = n % len(funds)
        fund = funds[index]
        gross = D(900) if rush else D(rng.randrange(6, 300) * 100)
        grant = (gross / 2).quantize(D("0.01"))
        submitted = stage != Stage.DRAFT
        if submitted:
            sequences[fund.pk] += 1
        created_at = now - timedelta(days=rng.randrange(1, 300), minutes=rng.randrange(0, 1440))
        applications.append(Application(
            fund=fund, round=rounds[index], rules=rules[index] if submitted else None, organisation=org_of[user.pk],
            created_by=user, stage=stage,
            file_number=f"{fund.code}-{today.year}-{sequences[fund.pk]:05d}" if submitted else None,
            title=f"Projekt {n + 1}: {rng.choice(TOPICS)}",
            description="Ein dauerhaftes Projekt in der Innenstadt, öffentlich zugänglich.",
            location=f"Marktstraße {n % 200 + 1}, 12345 Benchstadt",
            latitude=D("51.660700") + D(rng.randrange(-300, 300)) / D(100000),
            longitude=D("6.965500") + D(rng.randrange(-300, 300)) / D(100000),
            planned_start=today + timedelta(days=30), planned_end=today + timedelta(days=150),
            own_funds=gross - grant, requested_grant=grant,
            approved_grant=grant if stage in APPROVED else None,
            final_grant=grant if stage == Stage.CLOSED else None,
            privacy_acknowledged_at=created_at, truth_declared_at=created_at,
            submitted_at=created_at + timedelta(hours=2) if submitted else None))
    applications = _created(Application, applications)
    with connection.cursor() as cursor:  # auto_now_add wrote now(); the real history is older
        if connection.vendor != "postgresql":
            raise RuntimeError("Die Benchmark-Population braucht PostgreSQL.")
        cursor.execute("UPDATE fonds_application SET created_at = submitted_at - interval '2 hours' "
                       "WHERE submitted_at IS NOT NULL")
    _created(FileNumberSequence, [FileNumberSequence(fund=fund, year=today.year, last_number=sequences[fund.pk])
                                  for fund in funds])
    _created(CostItem, [CostItem(
        application=a, description="Material und Montage", gross_amount=a.own_funds + a.requested_grant,
        net_amount=((a.own_funds + a.requested_grant) / D("1.19")).quantize(D("0.01")), eligible=True)
        for a in applications])
    log(f"  {len(applications)} Anträge ({rush_count} Entwürfe für den Fristansturm)")

    submitted = [a for a in applications if a.stage != Stage.DRAFT]
    _seed_documents(applications[rush_count:] or applications, sizes.documents, rng)
    tasks = _seed_processes(submitted, sizes.tasks, by_role, rng, now)
    _seed_letters_and_money(submitted, by_role, now, today)
    bench_letters = _seed_bench_letters(submitted, by_role, sizes.letters)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    counts = {
        "funds": len(funds), "applications": len(applications), "submitted": len(submitted),
        "tasks": tasks, "documents": Document.objects.count(), "users": User.objects.count(),
        "rush_drafts": rush_count, "bench_letters": len(bench_letters),
    }
    log("  " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    return counts


def _seed_documents(applications, total, rng):
    kinds = [Document.Kind.QUOTE, Document.Kind.PHOTO, Document.Kind.PERMIT, Document.Kind.RECEIPT]
    documents = []
    for n in range(total):
        # not the rush drafts: their costs lie below the quote threshold, they need no document
        application = applications[n % len(applications)]
        documents.append(Document(
            application=application, kind=kinds[n % len(kinds)], file=f"documents/{application.pk}/bench-{n}.pdf",
            original_name=f"Unterlage {n}.pdf", content_type="application/pdf", size=rng.randrange(20_000, 900_000),
            sha256=hashlib.sha256(str(n).encode()).hexdigest(), uploaded_by_id=application.created_by_id))
    _created(Document, documents)


def _perm(node) -> str | None:
    return getattr(node, "_owner_permission", None)


def _staff_owner(node, by_role, n):
    permission = _perm(node) or ""
    role = roles.FINANCE if permission.split(".")[-1] in {
        "draft_bescheid", "issue_bescheid", "order_payment", "release_payment", "settle"} else roles.CITYMANAGEMENT
    people = by_role.get(role) or [None]
    return people[n % len(people)]


def _seed_processes(submitted, target_tasks, by_role, rng, now) -> int:
    """One process per submitted application; its done tasks and the open one. Payment cycles of the
    applications in implementation or later fill the tasks up to the target."""
    content_type = ContentType.objects.get_for_model(Application)
    processes = []
    for application in submitted:
        _done, waiting = HISTORY[Stage(application.stage)]
        ended = waiting in (F.end, F.rejected)
        status = (PROCESS.CANCELED if application.stage == Stage.WITHDRAWN
                  else PROCESS.DONE if ended else PROCESS.NEW)
        processes.append(GrantProcessRow(application, status, ended))
    rows = _created(Process, [Process(
        flow_class=GrantFlow, status=row.status, created=row.application.submitted_at,
        finished=row.application.submitted_at + timedelta(days=30) if row.ended else None,
        artifact_content_type=content_type, artifact_object_id=row.application.pk, data={})
        for row in processes])
    base = sum(len(HISTORY[Stage(a.stage)][0]) + 1 for a in submitted)
    cycle_targets = [i for i, a in enumerate(submitted)
                     if a.stage in (Stage.IMPLEMENTATION, Stage.USE_REPORT_CHECK, Stage.SETTLEMENT, Stage.CLOSED)]
    cycles = [0] * len(submitted)
    extra = max(0, target_tasks - base)
    if cycle_targets:
        for n in range(extra // len(PAYMENT_CYCLE)):
            cycles[cycle_targets[n % len(cycle_targets)]] += 1
    tasks = []
    for n, (application, process) in enumerate(zip(submitted, rows, strict=True)):
        done, waiting = HISTORY[Stage(application.stage)]
        history = list(done)
        if cycles[n]:
            at = history.index(F.implementation) if F.implementation in history else len(history)
            history[at:at] = PAYMENT_CYCLE * cycles[n]
        if application.stage == Stage.IMPLEMENTATION and cycles[n]:
            history = [*TO_IMPLEMENTATION, *(PAYMENT_CYCLE * cycles[n])]
        started = application.submitted_at
        step = timedelta(days=max(1, 200 // max(1, len(history))))
        for position, node in enumerate(history):
            when = started + step * position
            owner = (application.created_by_id if node in (F.implementation, F.answer_documents)
                     else getattr(_staff_owner(node, by_role, n), "pk", None) if _perm(node) else None)
            tasks.append(Task(process=process, flow_task=node, flow_task_type=node.task_type, status=STATUS.DONE,
                              created=when, assigned=when if owner else None, started=when,
                              finished=when + timedelta(hours=4), token=START, owner_id=owner,
                              owner_permission=_perm(node), data={}))
        when = now - timedelta(days=rng.randrange(0, 40), hours=rng.randrange(0, 24))
        if application.stage == Stage.WITHDRAWN:
            tasks.append(Task(process=process, flow_task=waiting, flow_task_type=waiting.task_type,
                              status=STATUS.CANCELED, created=when, finished=when, token=START, data={},
                              owner_permission=_perm(waiting)))
        elif waiting in (F.end, F.rejected):
            tasks.append(Task(process=process, flow_task=waiting, flow_task_type=waiting.task_type, status=STATUS.DONE,
                              created=when, started=when, finished=when, token=START, data={}))
        elif waiting in (F.implementation, F.answer_documents):
            tasks.append(Task(process=process, flow_task=waiting, flow_task_type=waiting.task_type,
                              status=STATUS.ASSIGNED, created=when, assigned=when, token=START,
                              owner_id=application.created_by_id, data={}))
        elif waiting == F.board:
            tasks.append(Task(process=process, flow_task=waiting, flow_task_type=waiting.task_type, status=STATUS.NEW,
                              created=when, token=START, data={}))
        else:  # a staff step: a third claimed by someone (inbox), the rest in the team queue
            owner = _staff_owner(waiting, by_role, n) if n % 3 == 0 else None
            due = timezone.localtime(when).date() + timedelta(days=14)
            tasks.append(Task(process=process, flow_task=waiting, flow_task_type=waiting.task_type,
                              status=STATUS.ASSIGNED if owner else STATUS.NEW, created=when,
                              assigned=when if owner else None, token=START, owner=owner,
                              owner_permission=_perm(waiting), data={"due_on": due.isoformat()}))
    _created(Task, tasks)
    return len(tasks)


@dataclass
class GrantProcessRow:
    application: Application
    status: str
    ended: bool


def _seed_letters_and_money(submitted, by_role, now, today):
    """A stored receipt for every submitted application, a stored Bescheid, a commitment and a publication
    consent for the approved ones (the rows only: the PDFs are not rendered)."""
    finance = by_role.get(roles.FINANCE) or [None]
    letters, entries, consents = [], [], []
    for n, a in enumerate(submitted):
        letters.append(Letter(application=a, kind=Letter.Kind.RECEIPT, number=f"{a.file_number}/E1",
                              status=Letter.Status.ISSUED, data={}, pdf=f"letters/{a.pk}/E1.pdf", sha256="0" * 64,
                              issued_at=a.submitted_at))
        if a.stage in APPROVED and a.stage != Stage.BESCHEID:
            issuer = finance[n % len(finance)]
            letters.append(Letter(application=a, kind=Letter.Kind.BESCHEID, number=f"{a.file_number}/B1",
                                  status=Letter.Status.ISSUED, data={}, pdf=f"letters/{a.pk}/B1.pdf",
                                  sha256="1" * 64, issued_at=a.submitted_at + timedelta(days=40),
                                  issued_by=issuer))
            entries.append(LedgerEntry(fund_id=a.fund_id, year=today.year, application=a,
                                       kind=LedgerEntry.Kind.COMMITMENT, amount=a.approved_grant,
                                       public_amount=a.approved_grant, own_share=a.approved_grant,
                                       note="Bewilligungsbescheid", created_by=issuer))
        if a.stage in PUBLIC and n % 2 == 0:
            consents.append(PublicationConsent(application=a, show_organisation=True, show_location=True,
                                               show_grant=True, show_description=True, given_by_id=a.created_by_id))
    _created(Letter, letters)
    _created(LedgerEntry, entries)
    _created(PublicationConsent, consents)


def _seed_bench_letters(submitted, by_role, count) -> list[Letter]:
    """Bescheide queued for rendering, with the full snapshot a real one carries (bench.letters renders them)."""
    candidates = [a for a in submitted if a.stage in APPROVED][:count] or submitted[:count]
    finance = by_role.get(roles.FINANCE) or [None, None]
    drafter, issuer = finance[0], finance[-1] if len(finance) > 1 else None
    letters = []
    for n in range(count):
        application = candidates[n % len(candidates)]
        data = letter_snapshot(application)
        data["content"] = {
            "amount": str(application.requested_grant), "rate_percent": "50",
            "eligible_costs": str(application.own_funds + application.requested_grant),
            "own_share": str(application.own_funds), "period_start": application.planned_start.isoformat(),
            "period_end": application.planned_end.isoformat(),
            "conditions": "Am Objekt ist dauerhaft ein gut sichtbarer Hinweis auf die Förderung anzubringen.",
            "reasons": "Der Beirat hat beschlossen, das Vorhaben zu fördern.",
            "payment_terms": "Die Zuwendung wird auf Anforderung ausgezahlt.",
            "board_decided_on": application.planned_start.isoformat(),
            "use_report_due": (application.planned_end + timedelta(days=180)).isoformat(),
            "earmarking_years": 10, "de_minimis": False,
        }
        data["issued_on"] = timezone.localdate().isoformat()
        data["signed_by"] = issuer.get_full_name() if issuer else "Bench"
        letters.append(Letter(application=application, kind=Letter.Kind.BESCHEID,
                              number=f"{application.file_number}/BENCH{n + 1}", status=Letter.Status.QUEUED,
                              data=data, drafted_by=drafter, issued_by=issuer, issued_at=timezone.now()))
    return _created(Letter, letters)
