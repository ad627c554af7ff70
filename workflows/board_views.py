"""The Beirat's pages: meetings for the Citymanagement (prepare, protocol, close) and for the members (agenda,
conflicts, item pages, written votes); the chair signs. Views only check access, call a service, redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fonds.document_views import _attachment
from fonds.errors import DomainError
from fonds.ical import meeting_ics
from fonds.models import Board, BoardMember, BoardPack, Document, Meeting
from fonds.selectors import board as sel
from fonds.services import board as board_services
from fonds.services import meetings as meeting_services

from . import board as board_flow
from . import board_forms as forms

# What the board sees of an application's uploads; receipts and proofs of use come later and are not theirs.
BOARD_DOCUMENT_KINDS = (Document.Kind.QUOTE, Document.Kind.PHOTO, Document.Kind.PERMIT, Document.Kind.OWNER_CONSENT,
                        Document.Kind.OTHER)


def _preparer_boards(user):
    if not user.has_perm(sel.PREPARE):
        raise PermissionDenied
    return Board.objects.filter(fund__authority__staff_memberships__user=user).select_related("fund")


def _protocol_access(request, pk):
    """Citymanagement or the chair: who keeps the protocol (attendance, votes, deferral)."""
    access = sel.meeting_access(user=request.user, pk=pk)
    if not (access.preparer or access.is_chair):
        raise PermissionDenied
    return access


def meetings(request):
    """Citymanagement: every meeting of its authority's boards."""
    _preparer_boards(request.user)
    rows = sel.meetings_for_staff(user=request.user).annotate(item_count=Count("items", distinct=True))
    return render(request, "beirat/meetings.html", {"meetings": rows, "staff": True})


def my_meetings(request):
    """Beirat members: the meetings of the boards they belong to."""
    if not BoardMember.objects.filter(user=request.user).exists():
        raise PermissionDenied
    rows = sel.meetings_for_member(user=request.user).annotate(item_count=Count("items", distinct=True))
    return render(request, "beirat/meetings.html", {"meetings": rows, "staff": False})


def meeting_new(request):
    boards = _preparer_boards(request.user)
    form = forms.MeetingForm(request.POST or None, boards=boards)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = board_services.meeting_create(actor=request.user, **data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Die Sitzung ist angelegt. Setzen Sie nun Anträge auf die Tagesordnung."))
            return redirect("beirat:meeting", meeting.pk)
    return render(request, "beirat/meeting_form.html", {"form": form, "meeting": None})


def _staff_access(request, pk) -> sel.Access:
    access = sel.meeting_access(user=request.user, pk=pk)
    if not access.preparer:
        raise PermissionDenied
    return access


def meeting_edit(request, pk):
    access = _staff_access(request, pk)
    meeting = access.meeting
    form = forms.MeetingForm(request.POST or None, boards=Board.objects.none(), editing=True, initial={
        "starts_at": meeting.starts_at, "place": meeting.place, "agenda_deadline": meeting.agenda_deadline,
        "response_deadline": meeting.response_deadline})
    if request.method == "POST" and form.is_valid():
        try:
            board_services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Die Sitzung ist geändert."))
            return redirect("beirat:meeting", meeting.pk)
    return render(request, "beirat/meeting_form.html", {"form": form, "meeting": meeting})


def meeting_page(request, pk, *, error=None, forms_override=None):
    access = sel.meeting_access(user=request.user, pk=pk)
    meeting = access.meeting
    items = list(meeting.items.select_related("application__organisation").order_by("position"))
    context = {"meeting": meeting, "access": access, "items": items, "error": error}
    if access.preparer or access.is_chair:
        members = sel.members_in_term(meeting)
        present = [str(pk) for pk in meeting.attendance.filter(present=True).values_list("member_id", flat=True)]
        context.update(attendance_form=forms.AttendanceForm(members=members, initial={"present": present}))
    if access.preparer:
        candidates = list(sel.candidates(meeting.board)) if meeting.status == Meeting.Status.PLANNED else []
        context.update(template="beirat/meeting_staff.html", candidates=candidates,
                       add_form=forms.AgendaAddForm(candidates=candidates))
    if access.member is not None:
        excluded = sel.conflicted_item_ids(access.member, meeting)
        current = {c.item_id: c for c in access.member.conflicts.filter(item__meeting=meeting)}
        fixed = {pk for pk, c in current.items() if c.automatic} | (
            excluded - {pk for pk, c in current.items() if c.conflicted})
        context.update(excluded=excluded, conflicts_form=forms.ConflictsForm(
            items=items, fixed_ids=fixed, current=current))
        context.setdefault("template", "beirat/meeting_member.html")
    context.update(forms_override or {})
    return render(request, context["template"], context)


def _act(request, pk, action, success):
    try:
        action()
    except DomainError as error:
        return meeting_page(request, pk, error=error.message)
    if success:
        messages.success(request, success)
    return redirect("beirat:meeting", pk)


@require_POST
def agenda_add(request, pk):
    access = _staff_access(request, pk)
    candidates = list(sel.candidates(access.meeting.board))
    if request.POST.get("all"):
        chosen = [a.pk for a in candidates]
    else:
        form = forms.AgendaAddForm(request.POST, candidates=candidates)
        chosen = [int(v) for v in form.data.getlist("applications") if v.isdigit()]
    return _act(request, pk, lambda: board_services.agenda_add(actor=request.user, meeting=access.meeting,
                                                               applications=chosen),
                _("Die Anträge stehen auf der Tagesordnung."))


@require_POST
def item_action(request, pk, item_pk, action):
    access = _staff_access(request, pk)
    item = sel.item_for(access, item_pk)
    actions = {
        "hoch": lambda: board_services.agenda_move(actor=request.user, item=item, direction="up"),
        "runter": lambda: board_services.agenda_move(actor=request.user, item=item, direction="down"),
        "absetzen": lambda: board_services.agenda_remove(actor=request.user, item=item),
        "oeffentlich": lambda: board_services.item_set_public(actor=request.user, item=item,
                                                              public=request.POST.get("public") == "1"),
    }
    if action not in actions:
        raise Http404
    return _act(request, pk, actions[action], None)


@require_POST
def attendance(request, pk):
    access = _protocol_access(request, pk)
    present = [v for v in request.POST.getlist("present") if v.isdigit()]
    return _act(request, pk, lambda: meeting_services.attendance_record(actor=request.user, meeting=access.meeting,
                                                                        present_ids=present),
                _("Die Anwesenheit ist gespeichert."))


@require_POST
def invite(request, pk):
    access = _staff_access(request, pk)
    return _act(request, pk, lambda: board_flow.meeting_invite(actor=request.user, meeting=access.meeting),
                _("Die Einladung mit den Sitzungsunterlagen ist an die Mitglieder versandt."))


@require_POST
def close(request, pk):
    access = _staff_access(request, pk)
    return _act(request, pk, lambda: board_flow.meeting_close(actor=request.user, meeting=access.meeting),
                _("Die Sitzung ist geschlossen."))


@require_POST
def sign(request, pk):
    access = sel.meeting_access(user=request.user, pk=pk)
    if not access.is_chair:
        raise PermissionDenied
    return _act(request, pk, lambda: board_flow.meeting_sign_off(actor=request.user, meeting=access.meeting),
                _("Die Niederschrift ist unterzeichnet. Die Beschlüsse sind endgültig."))


@require_POST
def conflicts(request, pk):
    access = sel.meeting_access(user=request.user, pk=pk)
    if access.member is None:
        raise PermissionDenied
    meeting = access.meeting
    items = list(meeting.items.select_related("application").order_by("position"))
    current = {c.item_id: c for c in access.member.conflicts.filter(item__meeting=meeting)}
    excluded = sel.conflicted_item_ids(access.member, meeting)
    fixed = {pk for pk, c in current.items() if c.automatic} | (excluded - {pk for pk, c in current.items()})
    form = forms.ConflictsForm(request.POST, items=items, fixed_ids=fixed, current=current)
    if not form.is_valid():
        return meeting_page(request, pk, forms_override={"conflicts_form": form})
    try:
        board_services.conflicts_declare(actor=request.user, meeting=meeting, answers=form.answers())
    except DomainError as error:
        return meeting_page(request, pk, error=error.message)
    if meeting.invited_at:
        from notifications.board_pdf import board_packs_refresh

        board_packs_refresh(meeting=meeting, member=access.member)
    messages.success(request, _("Ihre Erklärung zur Befangenheit ist gespeichert."))
    return redirect("beirat:meeting", pk)


def item_page(request, pk, item_pk, *, forms_override=None, error=None):
    access = sel.meeting_access(user=request.user, pk=pk)
    item = sel.item_for(access, item_pk)
    meeting = access.meeting
    application = item.application
    context = {"meeting": meeting, "access": access, "item": item, "application": application, "error": error,
               "documents": application.documents.filter(kind__in=BOARD_DOCUMENT_KINDS).order_by("pk"),
               "cost_items": list(application.cost_items.all()),
               "check": application.eligibility_checks.order_by("-pk").first(),
               "recommendation": application.recommendations.order_by("-pk").first(),
               "votes": list(item.votes.select_related("member__user"))}
    if access.preparer or access.is_chair:  # the chair may keep the protocol too
        quorum = sel.item_quorum(item)
        eligible = [m for m in sel.voting_members(meeting) if m.pk in quorum.eligible_ids]
        context.update(quorum=quorum, proposal_form=forms.ProposalForm(initial={
            "proposal": item.proposal, "amount": item.amount, "conditions": item.conditions,
            "reasons": item.reasons}), votes_form=forms.VotesForm(members=eligible, initial={
                f"vote_{v.member_id}": v.choice for v in context["votes"]}), defer_form=forms.DeferForm())
    if access.member is not None and meeting.is_written:
        own = next((v for v in context["votes"] if v.member_id == access.member.pk), None)
        context.update(own_vote=own,
                       written_form=forms.WrittenVoteForm(initial={"choice": own.choice if own else None}))
    context.update(forms_override or {})
    return render(request, "beirat/item.html", context)


def _item_post(request, pk, item_pk, form, form_name, action, success):
    try:
        board_services.require_open(sel.meeting_access(user=request.user, pk=pk).meeting,
                                    Meeting.Status.PLANNED, Meeting.Status.HELD)
    except DomainError as error:
        return item_page(request, pk, item_pk, error=error.message)
    if not form.is_valid():
        return item_page(request, pk, item_pk, forms_override={form_name: form})
    try:
        action(form)
    except DomainError as error:
        if error.field in form.fields:
            form.add_error(error.field, error.message)
            return item_page(request, pk, item_pk, forms_override={form_name: form})
        return item_page(request, pk, item_pk, error=error.message)  # a refusal of the whole step
    messages.success(request, success)
    return redirect("beirat:item", pk, item_pk)


@require_POST
def item_proposal(request, pk, item_pk):
    access = _staff_access(request, pk)
    item = sel.item_for(access, item_pk)
    return _item_post(request, pk, item_pk, forms.ProposalForm(request.POST), "proposal_form",
                      lambda f: board_services.item_propose(actor=request.user, item=item, **f.cleaned_data),
                      _("Der Beschlussvorschlag ist gespeichert."))


@require_POST
def item_votes(request, pk, item_pk):
    access = _protocol_access(request, pk)
    item = sel.item_for(access, item_pk)
    quorum = sel.item_quorum(item)
    eligible = [m for m in sel.voting_members(access.meeting) if m.pk in quorum.eligible_ids]
    form = forms.VotesForm(request.POST, members=eligible)
    # Votes of anyone else (a conflicted or absent member) are refused by the service, not dropped here.
    extra = {int(k.removeprefix("vote_")): v for k, v in request.POST.items()
             if k.startswith("vote_") and k.removeprefix("vote_").isdigit()}
    return _item_post(request, pk, item_pk, form, "votes_form",
                      lambda f: meeting_services.votes_record(actor=request.user, item=item,
                                                              choices={**extra, **f.choices()}),
                      _("Die Abstimmung ist protokolliert."))


@require_POST
def item_defer(request, pk, item_pk):
    access = _protocol_access(request, pk)
    item = sel.item_for(access, item_pk)
    return _item_post(request, pk, item_pk, forms.DeferForm(request.POST), "defer_form",
                      lambda f: meeting_services.item_defer(actor=request.user, item=item, **f.cleaned_data),
                      _("Der Punkt ist vertagt."))


@require_POST
def written_vote(request, pk, item_pk):
    access = sel.meeting_access(user=request.user, pk=pk)
    if access.member is None:
        raise PermissionDenied
    item = sel.item_for(access, item_pk)
    return _item_post(request, pk, item_pk, forms.WrittenVoteForm(request.POST), "written_form",
                      lambda f: meeting_services.written_vote_cast(actor=request.user, item=item, **f.cleaned_data),
                      _("Ihre Stimme ist gespeichert."))


def item_document(request, pk, item_pk, doc_pk):
    access = sel.meeting_access(user=request.user, pk=pk)
    item = sel.item_for(access, item_pk)
    document = item.application.documents.filter(pk=doc_pk, kind__in=BOARD_DOCUMENT_KINDS).first()
    if document is None:
        raise Http404
    return _attachment(document.file, document.original_name, document.content_type)


def pack(request, pk):
    """The member's own pack (without the items they are excluded from), or the full one for the staff."""
    access = sel.meeting_access(user=request.user, pk=pk)
    member = None if access.preparer and access.member is None else access.member
    found = BoardPack.objects.filter(meeting=access.meeting, member=member).first()
    if found is None:
        return render(request, "beirat/pack_pending.html", {"meeting": access.meeting}, status=404)
    return _attachment(found.pdf, f"Sitzungsunterlagen-{access.meeting.starts_at:%Y-%m-%d}.pdf", "application/pdf")


def minutes(request, pk):
    access = sel.meeting_access(user=request.user, pk=pk)
    if not access.meeting.minutes_pdf:
        raise Http404
    return _attachment(access.meeting.minutes_pdf, f"Niederschrift-{access.meeting.starts_at:%Y-%m-%d}.pdf",
                       "application/pdf")


def ics(request, pk):
    access = sel.meeting_access(user=request.user, pk=pk)
    from urllib.parse import urlsplit

    from django.urls import reverse

    from notifications.services import absolute_url

    url = absolute_url(reverse("beirat:meeting", args=[pk]))
    # The UID's domain comes from the configured base URL, not the request, so it stays the same.
    body = meeting_ics(access.meeting, domain=urlsplit(url).hostname or "fondsflow", url=url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sitzung-{pk}.ics"'
    return response
