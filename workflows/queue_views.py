"""The staff's task lists (/arbeit/aufgaben/) and the team lead's overview (/arbeit/uebersicht/)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from fonds.errors import DomainError
from fonds.models import Application, Fund, FundingRound, Organisation
from fonds.selectors.people import staff_with_permission

from . import queue_services, queues

STAFF_PERMISSION = "fonds.view_all_applications"
# Rows per page of a task list: a team queue of thousands of tasks is shown page by page (bench/, issue 9).
PAGE_SIZE = 50
APPLICANT_CHOICES_MAX = 200
TAB_LABELS = {"mine": gettext_lazy("Meine Aufgaben"), "team": gettext_lazy("Team"),
              "done": gettext_lazy("Erledigt")}


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Suche"), required=False,
                        help_text=gettext_lazy("Aktenzeichen, Antragsteller/in oder Titel"))
    fund = forms.ModelChoiceField(label=gettext_lazy("Fonds"), queryset=Fund.objects.none(), required=False,
                                  empty_label=gettext_lazy("Alle"))
    round = forms.ModelChoiceField(label=gettext_lazy("Förderrunde"), queryset=FundingRound.objects.none(),
                                   required=False, empty_label=gettext_lazy("Alle"))
    step = forms.ChoiceField(label=gettext_lazy("Schritt"), required=False)
    applicant = forms.ModelChoiceField(label=gettext_lazy("Antragsteller/in"), queryset=Organisation.objects.none(),
                                       required=False, empty_label=gettext_lazy("Alle"))
    overdue = forms.BooleanField(label=gettext_lazy("Nur überfällige"), required=False)
    sort = forms.ChoiceField(label=gettext_lazy("Sortierung"), required=False, choices=[
        ("waiting", gettext_lazy("Wartezeit (älteste zuerst)")), ("due", gettext_lazy("Fälligkeit"))])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        funds = Fund.objects.filter(authority__staff_memberships__user=user)
        self.fields["fund"].queryset = funds
        self.fields["round"].queryset = FundingRound.objects.filter(fund__in=funds).select_related("fund")
        applicant = self.fields["applicant"]
        applicant.queryset = Organisation.objects.filter(Exists(Application.objects.filter(
            organisation=OuterRef("pk"), fund__in=funds, file_number__isnull=False))).order_by("name", "pk")
        # One query for the choices. Beyond a list one can choose from, the search finds applicants by name (a
        # select of thousands of organisations costs seconds to render and helps nobody); a link that names an
        # applicant still filters.
        organisations = list(applicant.queryset.values_list("pk", "name")[:APPLICANT_CHOICES_MAX + 1])
        if len(organisations) > APPLICANT_CHOICES_MAX:
            applicant.widget = forms.HiddenInput()
        else:
            applicant.widget.choices = [("", applicant.empty_label), *organisations]
        self.fields["step"].choices = [("", _("Alle"))] + [(n.name, n.task_title) for n in queues.staff_nodes()]

    def queue_filter(self) -> queues.QueueFilter:
        """The filter from the valid fields; an invalid one is shown with its error and not applied."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})

        def pk(name):
            return data[name].pk if data.get(name) else None

        return queues.QueueFilter(fund=pk("fund"), round=pk("round"), applicant=pk("applicant"),
                                  step=data.get("step", ""), overdue=data.get("overdue", False),
                                  q=data.get("q", "").strip(), sort=data.get("sort") or "waiting")


def _colleagues(user):
    """Everyone of the lead's authorities who may do at least one staff step."""
    users = get_user_model().objects.none()
    for authority in user.staff_memberships.values_list("authority", flat=True):
        for permission in {node._owner_permission for node in queues.staff_nodes()}:
            users = users | staff_with_permission(authority=authority, permission=permission)
    return users.distinct().order_by("last_name", "first_name", "username")


@permission_required(STAFF_PERMISSION, raise_exception=True)
def task_list(request, tab="mine"):
    form = QueueFilterForm(request.GET or None, user=request.user)
    queue_filter = form.queue_filter()
    page = Paginator(queues.TAB_SELECTORS[tab](user=request.user, queue_filter=queue_filter), PAGE_SIZE).get_page(
        request.GET.get("seite"))
    rows = queues.rows(page.object_list)
    query = request.GET.copy()
    query.pop("seite", None)
    is_lead = request.user.has_perm(queue_services.LEAD_PERMISSION)
    selectable = tab == "team" or (is_lead and tab == "mine")
    return render(request, "workflows/queues/task_list.html", {
        "tab": tab, "tab_label": TAB_LABELS[tab], "tabs": [(key, label, reverse(f"antrag:tasks_{key}"))
                                                          for key, label in TAB_LABELS.items()],
        "form": form, "rows": rows, "is_lead": is_lead, "page": page, "total": page.paginator.count,
        "page_query": query.urlencode(),
        "colleagues": _colleagues(request.user) if is_lead and tab != "done" else [],
        "selectable": selectable, "columns": 7 + selectable + (tab != "done"),
    })


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("antrag:tasks_mine")


def _act(request, perform, success):
    try:
        tasks = perform()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        count = len(tasks) if isinstance(tasks, list) else 1
        messages.success(request, success(count))
    return _back(request)


def _task_ids(request):
    single = request.POST.get("single")
    return [single] if single else request.POST.getlist("task")


def _ids(values):
    try:
        return [int(value) for value in values]
    except ValueError as error:
        raise DomainError(_("Die Auswahl ist ungültig.")) from error


@require_POST
@permission_required(STAFF_PERMISSION, raise_exception=True)
def claim(request):
    return _act(request, lambda: queue_services.tasks_claim(actor=request.user, task_ids=_ids(_task_ids(request))),
                lambda n: ngettext("Sie haben %(n)d Aufgabe übernommen.", "Sie haben %(n)d Aufgaben übernommen.",
                                   n) % {"n": n})


@require_POST
@permission_required(STAFF_PERMISSION, raise_exception=True)
def hand_back(request):
    return _act(request, lambda: queue_services.task_hand_back(
        actor=request.user, task_id=(_ids(_task_ids(request)) or [0])[0]),
        lambda n: _("Die Aufgabe steht wieder in der Liste des Teams."))


@require_POST
@permission_required(queue_services.LEAD_PERMISSION, raise_exception=True)
def assign(request):
    assignee = _colleagues(request.user).filter(pk=request.POST.get("assignee") or 0).first()
    if assignee is None:
        messages.error(request, _("Bitte wählen Sie eine Kollegin oder einen Kollegen aus."))
        return _back(request)
    return _act(request, lambda: queue_services.tasks_assign(actor=request.user, assignee=assignee,
                                                             task_ids=_ids(_task_ids(request))),
                lambda n: ngettext("%(n)d Aufgabe an %(name)s zugewiesen.", "%(n)d Aufgaben an %(name)s zugewiesen.",
                                   n) % {"n": n, "name": assignee.get_full_name() or assignee.get_username()})


@permission_required(queue_services.LEAD_PERMISSION, raise_exception=True)
def team_overview(request):
    return render(request, "workflows/queues/overview.html", {"overview": queues.overview(user=request.user)})
