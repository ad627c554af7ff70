"""The kinds of human step our flow needs beyond viewflow's stock View."""

from viewflow.workflow import flow

from fonds.models import StaffMembership


def _same_authority(user, task) -> bool:
    application = task.process.coerced.artifact
    return StaffMembership.objects.filter(user=user, authority_id=application.fund.authority_id).exists()


class StaffView(flow.View):
    """A staff step: besides the role's permission, the user must work for the authority whose fund the
    application belongs to. Staff of another city never take over or do its tasks. Each gets a due date."""

    def __init__(self, view, **kwargs):
        from .deadlines import set_due_date

        super().__init__(view, **kwargs)
        self._on_create = set_due_date

    def can_assign(self, user, task):
        return super().can_assign(user, task) and _same_authority(user, task)

    def can_execute(self, user, task):
        return super().can_execute(user, task) and _same_authority(user, task)


class ApplicantView(flow.View):
    """A step the applicant takes in the portal. Assigned to the submitter; any member of the
    organisation may take it over there. Never reachable through the staff frontend."""

    def can_assign(self, user, task):
        return False

    def can_unassign(self, user, task):
        return False

    def can_execute(self, user, task):
        from fonds.models import Membership

        return Membership.objects.filter(user=user, organisation=task.process.coerced.artifact.organisation).exists()


class SecondPersonView(StaffView):
    """A step that must be done by someone other than the person who did the first half of it
    (Vier-Augen-Prinzip). `first_person(process)` returns that person's user id; `first_person_of(user)` the
    applications (a queryset of pks) whose first half `user` did, so task lists can leave them out in SQL."""

    def __init__(self, view, *, first_person, first_person_of, **kwargs):
        super().__init__(view, **kwargs)
        self._first_person = first_person
        self.first_person_of = first_person_of

    def _is_first_person(self, user, task):
        return self._first_person(task.process.coerced) == user.pk

    def can_assign(self, user, task):
        return super().can_assign(user, task) and not self._is_first_person(user, task)

    def can_execute(self, user, task):
        return super().can_execute(user, task) and not self._is_first_person(user, task)
