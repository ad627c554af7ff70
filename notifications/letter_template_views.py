"""The fund admin's letter texts: the kinds with their current version, the edit form (every save is a new
version), the version history and a PDF preview of a sample letter with the texts as typed.

The preview is rendered in the request on purpose: it is one sample letter of one to three pages (well under
a second), only on an explicit POST by a fund admin, never on an ordinary page view; queueing it behind the
letters of real applicants would make the admin wait longer for no gain."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fonds.errors import DomainError
from fonds.letter_texts import BLOCKS, blocks_validate, placeholders_for
from fonds.models import Fund, Letter, LetterTemplate
from fonds.services.letter_templates import letter_template_save, letter_template_texts

from .letter_preview import preview_pdf

PERMISSION = "fonds.change_lettertemplate"


class LetterTemplateForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Was wurde geändert?"), max_length=300, required=False,
                           help_text=gettext_lazy("Kurzer Vermerk für die Versionsgeschichte, z. B. "
                                                  "„Förderhinweis an das neue Logo angepasst“."))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for block in BLOCKS[kind]:
            self.fields[block.key] = forms.CharField(label=block.label, required=False,
                                                     widget=forms.Textarea(attrs={"rows": 5}))
        self.order_fields([block.key for block in BLOCKS[kind]] + ["note"])


def _fund(user, pk) -> Fund:
    """A fund of the user's own authority; another authority's fund does not exist for them."""
    return get_object_or_404(Fund.objects.filter(authority__staff_memberships__user=user)
                             .select_related("authority"), pk=pk)


def _kind(kind: str) -> str:
    if kind not in BLOCKS:
        raise Http404
    return kind


@permission_required(PERMISSION, raise_exception=True)
def template_list(request):
    funds = list(Fund.objects.filter(authority__staff_memberships__user=request.user).order_by("name"))
    latest = {(row["fund"], row["kind"]): row for row in
              LetterTemplate.objects.filter(fund__in=funds).values("fund", "kind")
              .annotate(version=Max("version"), changed=Max("created_at"))}
    labels = dict(Letter.Kind.choices)
    rows = [{"fund": fund, "kinds": [{"kind": kind, "label": labels[kind], "current": latest.get((fund.pk, kind))}
                                     for kind in BLOCKS]} for fund in funds]
    return render(request, "notifications/letter_templates/list.html", {"rows": rows})


@permission_required(PERMISSION, raise_exception=True)
def template_edit(request, pk, kind):
    fund, kind = _fund(request.user, pk), _kind(kind)
    texts, current = letter_template_texts(fund=fund, kind=kind)
    form = LetterTemplateForm(request.POST or None, kind=kind, initial=texts)
    if request.method == "POST" and form.is_valid():
        try:
            template = letter_template_save(actor=request.user, fund=fund, kind=kind, note=form.cleaned_data["note"],
                                            blocks={key: form.cleaned_data[key] for key in texts})
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Version %(version)s der Texte ist gespeichert. Neue Briefe verwenden sie ab "
                                        "jetzt; bereits entworfene und erlassene Briefe behalten ihren Text.")
                             % {"version": template.version})
            return redirect("benachrichtigungen:letter_template", pk=fund.pk, kind=kind)
    history = LetterTemplate.objects.filter(fund=fund, kind=kind).select_related("created_by").order_by("-version")
    return render(request, "notifications/letter_templates/edit.html", {
        "fund": fund, "kind": kind, "kind_label": Letter.Kind(kind).label, "form": form, "current": current,
        "placeholders": placeholders_for(kind).items(), "history": history,
    }, status=400 if form.errors else 200)


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def template_preview(request, pk, kind):
    """The sample letter as PDF with the texts as typed in the form (saved or not)."""
    fund, kind = _fund(request.user, pk), _kind(kind)
    form = LetterTemplateForm(request.POST, kind=kind)
    form.is_valid()
    try:
        texts = blocks_validate(kind, {key: form.cleaned_data.get(key, "") for key in (b.key for b in BLOCKS[kind])})
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        _texts, current = letter_template_texts(fund=fund, kind=kind)
        return render(request, "notifications/letter_templates/edit.html", {
            "fund": fund, "kind": kind, "kind_label": Letter.Kind(kind).label, "form": form, "current": current,
            "placeholders": placeholders_for(kind).items(),
            "history": LetterTemplate.objects.filter(fund=fund, kind=kind).select_related("created_by")
            .order_by("-version")}, status=400)
    response = HttpResponse(preview_pdf(fund=fund, kind=kind, texts=texts), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="Vorschau-{kind}.pdf"'
    return response
