"""Writes for the task lists: claim, hand back, assign to a colleague. Each batch is all or nothing: one
refused task refuses the whole request and changes nothing. Every change writes an audit row."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from fonds.errors import DomainError
from fonds.models import Application
from fonds.services.audit import audit_record

from . import notify
from .models import GrantProcess
from .nodes import StaffView, _same_authority

LEAD_PERMISSION = "fonds.lead_team"


def may_take(user, task) -> bool:
    """Whether `user` may own the task: the node's own assign check (authority, role, second person), asked
    as if the task were still unassigned."""
    owner_id = task.owner_id
    task.owner_id = None
    try:
        return isinstance(task.flow_task, StaffView) and task.flow_task.can_assign(user, task)
    finally:
        task.owner_id = owner_id


def _locked_tasks(task_ids) -> list[Task]:
    """The tasks, their processes locked in a fixed order (as GrantFlow's select-for-update lock does), so two
    batches never deadlock. Call inside a transaction."""
    task_ids = sorted({int(pk) for pk in task_ids})
    if not task_ids:
        raise DomainError(_("Bitte wählen Sie mindestens eine Aufgabe aus."))
    process_ids = Task.objects.filter(pk__in=task_ids).values("process_id")
    list(GrantProcess.objects.select_for_update().filter(pk__in=process_ids).order_by("pk").values_list("pk"))
    tasks = list(Task.objects.select_related("owner", "process").filter(pk__in=task_ids).order_by("pk"))
    if len(tasks) != len(task_ids):
        raise DomainError(_("Mindestens eine der gewählten Aufgaben gibt es nicht (mehr)."))
    return tasks


def _file_number(task) -> str:
    return Application.objects.filter(pk=task.process.artifact_object_id).values_list("file_number", flat=True)[0]


def _refuse(refused: list[Task], message: str):
    if refused:
        numbers = ", ".join(_file_number(task) for task in refused)
        raise DomainError(message % {"numbers": numbers, "count": len(refused)})


def _audit(*, actor, action, task, before_owner, after_owner):
    audit_record(actor=actor, action=action, obj=task,
                 application=Application(pk=task.process.artifact_object_id),
                 before={"step": task.flow_task.name, "owner": before_owner.get_username() if before_owner else None},
                 after={"step": task.flow_task.name, "owner": after_owner.get_username() if after_owner else None})


def tasks_claim(*, actor, task_ids) -> list[Task]:
    """The actor takes over unclaimed tasks they may do."""
    with transaction.atomic():
        tasks = _locked_tasks(task_ids)
        refused = [task for task in tasks if task.status != STATUS.NEW or not may_take(actor, task)]
        _refuse(refused, ngettext(
            "Die Aufgabe %(numbers)s können Sie nicht übernehmen: Sie ist schon vergeben oder nicht Ihre Aufgabe. "
            "Es wurde nichts geändert.",
            "%(count)d Aufgaben können Sie nicht übernehmen (%(numbers)s): Sie sind schon vergeben oder nicht "
            "Ihre Aufgaben. Es wurde nichts geändert.", len(refused)))
        for task in tasks:
            task.flow_task.activation_class(task).assign(actor)
            _audit(actor=actor, action="task.assigned", task=task, before_owner=None, after_owner=actor)
    return tasks


def task_hand_back(*, actor, task_id) -> Task:
    """The actor gives back a task assigned to them; it returns to the team's list."""
    with transaction.atomic():
        (task,) = _locked_tasks([task_id])
        if task.status != STATUS.ASSIGNED or task.owner_id != actor.pk:
            raise DomainError(_("Sie können nur Aufgaben zurückgeben, die Ihnen zugewiesen und noch offen sind."))
        task.flow_task.activation_class(task).unassign()
        _audit(actor=actor, action="task.unassigned", task=task, before_owner=actor, after_owner=None)
    return task


def tasks_assign(*, actor, task_ids, assignee) -> list[Task]:
    """A team lead gives tasks of their authority, claimed or not, to a colleague who may do them."""
    if not actor.has_perm(LEAD_PERMISSION):
        raise DomainError(_("Nur die Teamleitung darf Aufgaben anderen zuweisen."))
    with transaction.atomic():
        tasks = _locked_tasks(task_ids)
        _refuse([task for task in tasks if task.status not in (STATUS.NEW, STATUS.ASSIGNED)
                 or not isinstance(task.flow_task, StaffView) or not _same_authority(actor, task)],
                _("Diese Aufgaben sind erledigt oder gehören nicht zu Ihrer Behörde: %(numbers)s. "
                  "Es wurde nichts geändert."))
        _refuse([task for task in tasks if not may_take(assignee, task)],
                _("%(name)s darf diese Aufgaben nicht bearbeiten: %%(numbers)s. Es wurde nichts geändert.")
                % {"name": assignee.get_full_name() or assignee.get_username()})
        for task in tasks:
            before = task.owner
            activation = task.flow_task.activation_class(task)
            if task.status == STATUS.NEW:
                activation.assign(assignee)
                action = "task.assigned"
            else:
                activation.reassign(assignee)
                action = "task.reassigned"
            _audit(actor=actor, action=action, task=task, before_owner=before, after_owner=assignee)
        if assignee != actor:
            applications = Application.objects.select_related("fund").in_bulk(
                {task.process.artifact_object_id for task in tasks})
            for task in tasks:
                notify.task_assigned(task, applications[task.process.artifact_object_id], assignee)
    return tasks
