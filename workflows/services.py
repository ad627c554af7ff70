"""Flow-level operations that start, continue or stop a process for the applicant, usable from views,
tests and the demo loader alike."""

from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from fonds.errors import DomainError
from fonds.models import Application
from fonds.services.applications import application_submit, application_withdraw

from .flows import GrantFlow
from .models import GrantProcess

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def process_for(application: Application) -> GrantProcess | None:
    return GrantProcess.for_application(application)


def open_task(application: Application, node) -> Task | None:
    process = process_for(application)
    if process is None:
        return None
    return process.task_set.filter(flow_task=node, status__in=OPEN).first()


def submit_and_start(*, actor, application: Application) -> GrantProcess:
    """Submission and the start of the process are one transaction: no file number without a process."""
    with transaction.atomic():
        application = application_submit(actor=actor, application=application)
        return GrantFlow.start.run(application=application)


def withdraw(*, actor, application: Application) -> Application:
    process = process_for(application)
    if process is None:
        with transaction.atomic():
            return application_withdraw(actor=actor, application=application)
    with GrantFlow.lock(process.pk), transaction.atomic():
        application = application_withdraw(actor=actor, application=application)
        GrantFlow.instance.cancel(process)
    return application


def applicant_task_execute(*, user, application: Application, node, perform) -> None:
    """Take an applicant step: the member who acts takes the task over, `perform()` calls the fonds
    service (which may refuse with a DomainError, leaving everything as it was), the flow moves on."""
    task = open_task(application, node)
    if task is None:
        raise DomainError(_("Dieser Schritt steht für Ihren Antrag gerade nicht an."))
    with GrantFlow.lock(task.process_id), transaction.atomic():
        task.refresh_from_db()
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            raise DomainError(_("Dieser Schritt wurde bereits erledigt."))
        if not node.can_execute(user, task):
            raise DomainError(_("Sie dürfen diesen Schritt nicht ausführen."))
        task.owner = user
        task.status = STATUS.ASSIGNED
        task.save()
        activation = node.activation_class(task)
        activation.start(request=None)
        perform(activation.process)
        activation.process.save()
        activation.execute()


def staff_task_execute(*, user, application: Application, node, perform) -> None:
    """Claim and do a staff step outside the web frontend (demo data, commands), with the same
    permission checks the frontend applies. `perform(process)` calls the fonds service."""
    task = open_task(application, node)
    if task is None:
        raise DomainError(_("Der Schritt „%(step)s“ steht nicht an.") % {"step": node.task_title})
    with GrantFlow.lock(task.process_id), transaction.atomic():
        task.refresh_from_db()
        activation = node.activation_class(task)
        if task.status == STATUS.NEW:
            if not node.can_assign(user, task):
                raise DomainError(_("%(user)s darf den Schritt „%(step)s“ nicht übernehmen.")
                                  % {"user": user, "step": node.task_title})
            activation.assign(user)
        if not node.can_execute(user, task):
            raise DomainError(_("%(user)s darf den Schritt „%(step)s“ nicht ausführen.")
                              % {"user": user, "step": node.task_title})
        activation.start(request=None)
        perform(activation.process)
        activation.process.save()
        activation.execute()
