"""Every page the benchmark measures costs the same number of queries with 1 row as with 50, and at most 12
SQL statements (session, user and session renewal included; BEGIN/COMMIT not counted, as in the benchmark's
X-Query-Count). Measured on the benchmark's own population (bench.seed).

The status page and the dossier read all their lists in one query (fonds.selectors.rows.read_lists): their
budgets here are what they cost now, well below the 12, so that any new query fails the test."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from bench.seed import Sizes, seed
from fonds.models import Application, Document, Fund, LedgerEntry, Membership, PublicationConsent, Stage
from workflows.flows import GrantFlow

MAX_QUERIES = 12
BUDGET = {"/antraege/{pk}/": 6, "/verwaltung/antraege/{pk}/": 6}
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@pytest.fixture
def population(db):
    seed(Sizes(funds=1, applications=300, tasks=3000, documents=60, users=7, rush=0, letters=0), log=lambda m: None)
    return {
        "applicant": User.objects.get(username="app1"),
        "advisor": User.objects.get(username="cm1"),
        "finance": User.objects.get(username="fin1"),
        "fund": Fund.objects.get(),
    }


def _count(client, user, path) -> int:
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    client.get(path)  # the first request fills Django's per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return sum(1 for query in context.captured_queries if not query["sql"].startswith(TRANSACTION_CONTROL))


def _assert_constant(many, one, budget=MAX_QUERIES):
    assert many == one, f"{many} Abfragen bei 50 Zeilen, {one} bei einer"
    assert many <= budget


def test_my_applications(client, population):
    applicant = population["applicant"]
    mine = Application.objects.filter(created_by=applicant)
    assert mine.count() >= 50
    many = _count(client, applicant, "/antraege/")
    keep = mine.order_by("pk").first()
    other = Membership.objects.exclude(user=applicant).first().organisation
    mine.exclude(pk=keep.pk).update(organisation=other)
    _assert_constant(many, _count(client, applicant, "/antraege/"))


@pytest.mark.parametrize("path", ["/antraege/{pk}/", "/verwaltung/antraege/{pk}/"])
def test_status_page_and_dossier(client, population, path):
    """Documents, letters and tasks of the one application: 50 of each, then 1."""
    application = Application.objects.filter(created_by=population["applicant"],
                                             stage=Stage.IMPLEMENTATION).order_by("pk").first()
    template = application.documents.first() or Document(
        application=application, kind=Document.Kind.QUOTE, file="documents/x.pdf", original_name="x.pdf",
        content_type="application/pdf", size=1, sha256="0" * 64, uploaded_by=application.created_by)
    Document.objects.bulk_create([Document(
        application=application, kind=template.kind, file=f"documents/{n}.pdf", original_name=f"{n}.pdf",
        content_type=template.content_type, size=1, sha256="0" * 64, uploaded_by_id=template.uploaded_by_id)
        for n in range(50)])
    user = population["applicant"] if path.startswith("/antraege/") else population["advisor"]
    url = path.format(pk=application.pk)
    many = _count(client, user, url)
    first = application.documents.order_by("pk").first()
    application.documents.exclude(pk=first.pk).delete()
    _assert_constant(many, _count(client, user, url), BUDGET[path])


def _open_staff_tasks():
    return Task.objects.filter(flow_task__in=[GrantFlow.eligibility, GrantFlow.recommendation])


def test_inbox(client, population):
    advisor = population["advisor"]
    tasks = _open_staff_tasks().filter(status__in=[STATUS.NEW, STATUS.ASSIGNED])
    assert tasks.count() >= 50
    tasks.update(owner=advisor, status=STATUS.ASSIGNED)
    many = _count(client, advisor, "/arbeit/aufgaben/")
    keep = tasks.order_by("pk").first()
    Task.objects.filter(owner=advisor, status=STATUS.ASSIGNED).exclude(pk=keep.pk).update(
        owner=population["finance"])
    _assert_constant(many, _count(client, advisor, "/arbeit/aufgaben/"))


def test_team_queue(client, population):
    advisor = population["advisor"]
    tasks = _open_staff_tasks().filter(status__in=[STATUS.NEW, STATUS.ASSIGNED])
    assert tasks.count() >= 50
    tasks.update(owner=None, status=STATUS.NEW)
    many = _count(client, advisor, "/arbeit/aufgaben/team/")
    keep = tasks.order_by("pk").first()
    Task.objects.filter(owner__isnull=True, status=STATUS.NEW).exclude(pk=keep.pk).update(status=STATUS.CANCELED)
    _assert_constant(many, _count(client, advisor, "/arbeit/aufgaben/team/"))


def test_public_projects(client, population):
    consents = PublicationConsent.objects.all()
    approved = Application.objects.filter(stage__in=[Stage.IMPLEMENTATION, Stage.CLOSED]).exclude(
        publication_consents__isnull=False)
    PublicationConsent.objects.bulk_create([PublicationConsent(
        application=a, show_organisation=True, show_location=True, show_grant=True, show_description=True,
        given_by_id=a.created_by_id) for a in approved])
    assert consents.count() >= 20
    many = _count(client, None, "/projekte/")
    keep = consents.order_by("pk").first()
    consents.exclude(pk=keep.pk).update(withdrawn_at=timezone.now(), withdrawn_by=population["finance"])
    _assert_constant(many, _count(client, None, "/projekte/"))


def test_fund_dashboard(client, population):
    fund = population["fund"]
    entries = LedgerEntry.objects.filter(fund=fund)
    assert entries.count() >= 20
    path = f"/verwaltung/fonds/{fund.pk}/finanzen/"
    many = _count(client, population["finance"], path)
    keep = entries.order_by("pk").first()
    entries.exclude(pk=keep.pk).update(year=timezone.localdate().year - 5, created_at=timezone.now() - timedelta(1))
    _assert_constant(many, _count(client, population["finance"], path))


def test_floor_is_one_query_besides_the_session(client, population, settings):
    settings.ROOT_URLCONF = "bench.urls"
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]
    queries = _count(client, population["applicant"], "/bench/floor/")
    assert queries <= 5


def test_the_team_queue_shows_50_tasks_a_page_with_links_between_the_pages(client, population):
    advisor = population["advisor"]
    tasks = _open_staff_tasks().filter(status__in=[STATUS.NEW, STATUS.ASSIGNED])
    tasks.update(owner=None, status=STATUS.NEW)
    client.force_login(advisor)
    first = client.get("/arbeit/aufgaben/team/").content.decode()
    assert first.count('name="task"') == 50  # one checkbox per row
    total = int(first.split("Team: ")[1].split(" Aufgaben")[0].replace(".", ""))
    last = -(-total // 50)
    assert total > 50 and f"Seite 1 von {last}" in first
    assert 'aria-label="Seiten der Aufgabenliste"' in first and 'href="?seite=2" rel="next"' in first
    assert 'rel="prev"' not in first.split('aria-label="Seiten der Aufgabenliste"')[1]
    end = client.get(f"/arbeit/aufgaben/team/?seite={last}").content.decode()
    assert f"Seite {last} von {last}" in end and end.count('name="task"') == total - 50 * (last - 1)
    assert f'href="?seite={last - 1}" rel="prev"' in end and 'rel="next"' not in end
    # The filter stays in the links; a page beyond the last shows the last.
    filtered = client.get(f"/arbeit/aufgaben/team/?sort=due&seite={last + 5}").content.decode()
    assert f"Seite {last} von {last}" in filtered and f'href="?sort=due&amp;seite={last - 1}"' in filtered
