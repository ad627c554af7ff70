"""In-app notifications, e-mail preferences, and for staff the failed deliveries and the health page."""

from celery import current_app as celery_app
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Min, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .forms import SettingsForm
from .models import Notification, NotificationSettings
from .services import notification_mark_read, notification_resend


def inbox(request):
    page = Paginator(Notification.objects.filter(recipient=request.user).select_related("application"), 25)
    return render(request, "notifications/inbox.html", {"page": page.get_page(request.GET.get("seite"))})


@require_POST
def mark_read(request, pk=None):
    if pk is not None:
        get_object_or_404(Notification, pk=pk, recipient=request.user)
    count = notification_mark_read(user=request.user, pks=[pk] if pk is not None else None)
    messages.success(request, ngettext("%(count)s Benachrichtigung(en) als gelesen markiert.",
                                       "%(count)s Benachrichtigung(en) als gelesen markiert.", count)
                     % {"count": count})
    return redirect("benachrichtigungen:inbox")


def preferences(request):
    settings_row, _created = NotificationSettings.objects.get_or_create(user=request.user)
    staff = request.user.has_perm("fonds.view_all_applications")
    form = SettingsForm(request.POST or None, staff=staff, initial={
        "language": settings_row.language,
        "email_events": [code for code, _label in SettingsForm(staff=staff).fields["email_events"].choices
                         if code not in settings_row.muted_events]})
    if request.method == "POST" and form.is_valid():
        offered = {code for code, _label in form.fields["email_events"].choices}
        settings_row.language = form.cleaned_data["language"]
        settings_row.muted_events = sorted(offered - set(form.cleaned_data["email_events"]))
        settings_row.save()
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        return redirect("benachrichtigungen:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _failed_for(user):
    """Failed rows of the user's authority: about its applications, or to its staff (e.g. digests)."""
    mine = (Q(application__fund__authority__staff_memberships__user=user)
            | Q(application__isnull=True, recipient__staff_memberships__authority__staff_memberships__user=user))
    ids = Notification.objects.filter(mine, email_status=Notification.EmailStatus.FAILED).values("pk")
    return Notification.objects.filter(pk__in=ids)


@permission_required("notifications.resend_notification", raise_exception=True)
def failed(request):
    rows = _failed_for(request.user).select_related("recipient", "application").order_by("-created_at")[:200]
    return render(request, "notifications/failed.html", {"rows": rows})


@require_POST
@permission_required("notifications.resend_notification", raise_exception=True)
def resend(request, pk):
    notification = get_object_or_404(_failed_for(request.user), pk=pk)
    notification_resend(actor=request.user, notification=notification)
    messages.success(request, _("Die Benachrichtigung an %(email)s wird erneut gesendet.")
                     % {"email": notification.recipient.email})
    return redirect("benachrichtigungen:failed")


def broker_reachable(timeout: float = 2.0) -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)
        return True, ""
    except Exception as exc:  # whatever the transport says, the page shows it
        return False, f"{type(exc).__name__}: {exc}"


@permission_required("notifications.resend_notification", raise_exception=True)
def health(request):
    reachable, error = broker_reachable()
    pending = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING)
    context = {
        "broker_ok": reachable, "broker_error": error,
        "backlog": pending.count(),
        "oldest": pending.aggregate(oldest=Min("created_at"))["oldest"],
        "failed": Notification.objects.filter(email_status=Notification.EmailStatus.FAILED).count(),
    }
    return render(request, "notifications/health.html", context, status=200 if reachable else 503)
