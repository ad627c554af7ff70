"""Reads for the staff task lists: my tasks, the team's claimable tasks, my archive and the lead's overview.

A task reaches its application through the process's generic artifact, which SQL cannot join; so the lists
filter tasks by a subquery on the applications and attach the applications with one further query. Every
list costs the same few queries however many tasks it shows."""

import statistics
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import DateField, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from fonds.models import Application

from .flows import GrantFlow
from .nodes import SecondPersonView, StaffView

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
TABS = ("mine", "team", "done")
SORTS = ("waiting", "due")


def staff_nodes() -> list:
    """The flow's staff steps in diagram order."""
    order = list(vars(GrantFlow))
    return sorted((node for node in GrantFlow.instance.nodes() if isinstance(node, StaffView)),
                  key=lambda node: order.index(node.name))


def staff_node(name: str):
    return next((node for node in staff_nodes() if node.name == name), None)


@dataclass(frozen=True)
class QueueFilter:
    fund: int | None = None
    round: int | None = None
    step: str = ""
    overdue: bool = False
    applicant: int | None = None
    q: str = ""
    sort: str = "waiting"


def _applications(*, user, queue_filter: QueueFilter):
    applications = Application.objects.filter(fund__authority__staff_memberships__user=user)
    if queue_filter.fund:
        applications = applications.filter(fund_id=queue_filter.fund)
    if queue_filter.round:
        applications = applications.filter(round_id=queue_filter.round)
    if queue_filter.applicant:
        applications = applications.filter(organisation_id=queue_filter.applicant)
    if queue_filter.q:
        q = queue_filter.q
        applications = applications.filter(Q(file_number__icontains=q) | Q(organisation__name__icontains=q)
                                           | Q(title__icontains=q))
    return applications


def user_task_permissions(user) -> set[str]:
    """The flow permissions the user holds (Django caches them on the user: one query)."""
    return {node._owner_permission for node in staff_nodes()} & user.get_all_permissions()


def staff_tasks(*, user, queue_filter: QueueFilter = QueueFilter()):
    """Staff tasks of the user's authorities: only applications the user's authority handles count."""
    tasks = Task.objects.filter(
        process__flow_class=GrantFlow,
        process__artifact_content_type=ContentType.objects.get_for_model(Application),
        process__artifact_object_id__in=_applications(user=user, queue_filter=queue_filter).values("pk"),
        flow_task__in=staff_nodes(),
    ).annotate(due_on=Cast(KeyTextTransform("due_on", "data"), DateField()))
    if queue_filter.step and (node := staff_node(queue_filter.step)):
        tasks = tasks.filter(flow_task=node)
    if queue_filter.overdue:
        tasks = tasks.filter(due_on__lt=timezone.localdate())
    order = ("due_on", "created") if queue_filter.sort == "due" else ("created",)
    return tasks.select_related("owner", "process").order_by(*order, "pk")


def inbox(*, user, queue_filter: QueueFilter = QueueFilter()):
    """Open tasks assigned to the user."""
    return staff_tasks(user=user, queue_filter=queue_filter).filter(owner=user, status__in=OPEN)


def team_queue(*, user, queue_filter: QueueFilter = QueueFilter()):
    """Unclaimed tasks of the user's authority whose step the user's role may do; second-person steps
    (Vier-Augen-Prinzip) only where the user did not do the first half."""
    tasks = staff_tasks(user=user, queue_filter=queue_filter).filter(
        status=STATUS.NEW, owner__isnull=True, owner_permission__in=user_task_permissions(user))
    for node in staff_nodes():
        if isinstance(node, SecondPersonView):
            tasks = tasks.exclude(flow_task=node, process__artifact_object_id__in=node.first_person_of(user))
    return tasks


def archive(*, user, queue_filter: QueueFilter = QueueFilter()):
    """Tasks the user has done, newest first when sorted by waiting time."""
    tasks = staff_tasks(user=user, queue_filter=queue_filter).filter(owner=user, status=STATUS.DONE)
    return tasks if queue_filter.sort == "due" else tasks.order_by("-finished", "-pk")


TAB_SELECTORS = {"mine": inbox, "team": team_queue, "done": archive}


@dataclass
class Row:
    task: Task
    application: Application
    waiting_days: int
    due_on: date | None
    overdue: bool

    @property
    def url(self) -> str:
        """viewflow's task index: it leads on to the form, the assign page or the details as the user may."""
        return self.task.flow_task.reverse("index", args=[self.task.process_id, self.task.pk])


def rows(tasks, *, today: date | None = None) -> list[Row]:
    """The tasks with their applications (one query for all) and the figures the tables show."""
    today = today or timezone.localdate()
    tasks = list(tasks)
    # The fund's area (a GeoJSON polygon) is not shown here: not read and parsed once per row.
    applications = (Application.objects.select_related("fund", "round", "organisation").defer("fund__area_geojson")
                    .in_bulk({task.process.artifact_object_id for task in tasks}))
    result = []
    for task in tasks:
        end = timezone.localtime(task.finished).date() if task.finished else today
        result.append(Row(
            task=task, application=applications[task.process.artifact_object_id],
            waiting_days=(end - timezone.localtime(task.created).date()).days, due_on=task.due_on,
            overdue=task.status in OPEN and task.due_on is not None and task.due_on < today))
    return result


def overview(*, user, today: date | None = None) -> dict:
    """For the team lead: open tasks per person and per step, median waiting days and overdue count per step."""
    today = today or timezone.localdate()
    tasks = staff_tasks(user=user).filter(status__in=OPEN)
    per_person: dict = {}
    per_step = {node.name: {"node": node, "open": 0, "waiting": [], "overdue": 0, "unassigned": 0}
                for node in staff_nodes()}
    for task in tasks:
        overdue = task.due_on is not None and task.due_on < today
        person = per_person.setdefault(task.owner_id, {"owner": task.owner, "open": 0, "overdue": 0})
        person["open"] += 1
        person["overdue"] += overdue
        step = per_step[task.flow_task.name]
        step["open"] += 1
        step["overdue"] += overdue
        step["unassigned"] += task.owner_id is None
        step["waiting"].append((today - timezone.localtime(task.created).date()).days)
    steps = []
    for step in per_step.values():
        waiting = step.pop("waiting")
        steps.append({**step, "median_waiting": statistics.median(waiting) if waiting else None})
    people = sorted(per_person.values(),
                    key=lambda p: (p["owner"] is None, p["owner"].get_full_name() if p["owner"] else ""))
    return {"people": people, "steps": steps, "open": sum(s["open"] for s in steps),
            "overdue": sum(s["overdue"] for s in steps)}
