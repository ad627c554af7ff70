"""The Stadtteilbüro keeps its measures current: status, facts, photo and milestones (the rest in the admin)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fonds.errors import DomainError
from fonds.measure_forms import STAFF_FIELDS, MeasureStaffForm, MilestoneFormSet
from fonds.models import Measure
from fonds.selectors.public import measure_progress, measures_with_progress
from fonds.services.measures import measure_update

EDIT = "fonds.change_measure"


def _measures(user):
    return Measure.objects.filter(authority__staff_memberships__user=user)


@permission_required(EDIT, raise_exception=True)
def measures_staff(request):
    rows = [(m, measure_progress(m)) for m in measures_with_progress(_measures(request.user))]
    return render(request, "fonds/network/measures.html", {"rows": rows})


@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def measure_edit(request, pk):
    measure = _measures(request.user).filter(pk=pk).first()
    if measure is None:
        raise Http404
    form = MeasureStaffForm(request.POST or None, request.FILES or None, instance=measure)
    formset = MilestoneFormSet(request.POST or None, instance=measure, prefix="meilensteine")
    status = 200
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            fields = {name: form.cleaned_data[name] for name in STAFF_FIELDS if name in form.changed_data}
            milestones = [{"id": f.instance.pk, "title": f.cleaned_data.get("title"), "due": f.cleaned_data.get("due"),
                           "done_on": f.cleaned_data.get("done_on"), "delete": f.cleaned_data.get("DELETE")}
                          for f in formset.forms if f.has_changed()]
            try:
                measure_update(actor=request.user, measure=measure, fields=fields, milestones=milestones)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Die Maßnahme ist gespeichert. Die öffentliche Seite zeigt den neuen "
                                            "Stand."))
                return redirect("portal:measure_edit", pk=pk)
        status = 400
    return render(request, "fonds/network/measure_edit.html", {"measure": measure, "form": form, "formset": formset},
                  status=status)
