"""Reports of barriers (BITV NRW: the accessibility statement's feedback mechanism)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fonds.models import AccessibilityFeedback

logger = logging.getLogger(__name__)


def accessibility_feedback_submit(*, page: str, message: str, name: str, email: str, actor) -> AccessibilityFeedback:
    """Store the report, then mail it to the accessibility contact once the row is committed."""
    user = actor if actor is not None and actor.is_authenticated else None
    feedback = AccessibilityFeedback(page=page, message=message, name=name, email=email, user=user)
    feedback.full_clean()
    feedback.save()
    transaction.on_commit(lambda: _mail_feedback(feedback))
    return feedback


def _mail_feedback(feedback: AccessibilityFeedback) -> None:
    received = timezone.localtime(feedback.created_at)
    none = "–"
    body = "\n".join([
        _("Über die Erklärung zur Barrierefreiheit ist eine Rückmeldung eingegangen."),
        "",
        _("Eingegangen am: %(when)s") % {"when": f"{received:%d.%m.%Y, %H:%M}"},
        _("Betroffene Seite: %(page)s") % {"page": feedback.page or none},
        _("Name: %(name)s") % {"name": feedback.name or none},
        _("E-Mail für die Antwort: %(email)s") % {"email": feedback.email or none},
        _("Angemeldet als: %(user)s") % {"user": feedback.user.get_username() if feedback.user else none},
        "",
        _("Beschreibung der Barriere:"),
        feedback.message,
        "",
        _("Rückmeldung %(number)s. Bitte antworten Sie in angemessener Frist, in der Regel innerhalb von sechs Wochen.")
        % {"number": feedback.pk},
    ])
    message = EmailMessage(
        subject=(_("Barriere gemeldet: %(page)s") % {"page": feedback.page or _("ohne Seitenangabe")})[:200],
        body=body,
        to=[settings.FONDSFLOW_ACCESSIBILITY_EMAIL],
        reply_to=[feedback.email] if feedback.email else None,
    )
    try:
        message.send()
    except Exception:  # the report is stored; a mail server that is down must not lose it or fail the page
        logger.exception("Rückmeldung zur Barrierefreiheit %s konnte nicht gemailt werden", feedback.pk)
