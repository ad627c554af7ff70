"""Public pages: a start page per fund, the accessibility statement with its feedback form,
Leichte Sprache and the privacy notice. Anyone may read them, signed in or not."""

from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from fonds.models import AccessibilityFeedback, Authority, Fund, Organisation
from fonds.services.feedback import accessibility_feedback_submit
from fonds.services.ledger import fund_available, fund_budget

# Last review of the accessibility statement (BITV NRW: keep it current, at least once a year).
STATEMENT_DATE = date(2026, 11, 25)


def _round_to_show(fund):
    """The open round; if none is open, the next one; None if neither exists."""
    today = timezone.localdate()
    rounds = fund.rounds.all()
    open_round = rounds.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on").first()
    if open_round:
        return open_round, True
    return rounds.filter(opens_on__gt=today).order_by("opens_on").first(), False


@login_not_required
def fund_start(request, pk):
    fund = get_object_or_404(Fund.objects.select_related("authority"), pk=pk)
    funding_round, is_open = _round_to_show(fund)
    year = timezone.localdate().year
    budget = fund_budget(fund=fund, year=year)
    return render(request, "fonds/public/fund_start.html", {
        "year": year,
        "budget": budget,
        "available": fund_available(fund=fund, year=year) if budget else None,
        "funding_notes": [fund.funding_note] if fund.funding_note else [],
        "fund": fund,
        "round": funding_round,
        "round_is_open": is_open,
        "rules": funding_round.current_rules if funding_round else None,
        "applicant_kinds": [label for _value, label in Organisation.Kind.choices],
        "authority": fund.authority,
    })


class AccessibilityFeedbackForm(forms.ModelForm):
    message = forms.CharField(
        label=_("Beschreibung der Barriere"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Was wollten Sie tun, und was hat nicht funktioniert? Nennen Sie gern auch Ihr Hilfsmittel, "
                    "zum Beispiel einen Screenreader oder eine Vergrößerung."),
        error_messages={"required": _("Bitte beschreiben Sie, was nicht funktioniert hat.")})

    class Meta:
        model = AccessibilityFeedback
        fields = ["page", "message", "name", "email"]
        help_texts = {
            "page": _("Die Adresse oder der Name der Seite, zum Beispiel „Antrag, Schritt 3: Kosten“."),
            "email": _("Nur wenn Sie eine Antwort möchten."),
        }
        error_messages = {
            "email": {"invalid": _("Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein "
                                   "oder lassen Sie das Feld leer.")},
        }


def _referring_page(request) -> str:
    """The page the reader came from, if it is one of ours: a good guess for the page with the barrier."""
    parts = urlsplit(request.headers.get("Referer", ""))
    if parts.netloc != request.get_host() or not parts.path or parts.path == request.path:
        return ""
    return (parts.path + (f"?{parts.query}" if parts.query else ""))[:500]


@login_not_required
@require_http_methods(["GET", "POST"])
def accessibility(request):
    form = AccessibilityFeedbackForm(request.POST or None, initial={"page": _referring_page(request)})
    if request.method == "POST" and form.is_valid():
        accessibility_feedback_submit(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Vielen Dank! Ihre Rückmeldung ist angekommen. Wir melden uns in der Regel "
                                    "innerhalb von sechs Wochen, wenn Sie eine E-Mail-Adresse angegeben haben."))
        return redirect("public:accessibility")
    return render(request, "fonds/public/accessibility.html", {
        "form": form,
        "statement_date": STATEMENT_DATE,
        "authorities": Authority.objects.order_by("pk"),
        "contact_email": settings.FONDSFLOW_ACCESSIBILITY_EMAIL,
    })


def _easy_example(rules):
    """A worked example for the Leichte-Sprache page: what a project of 1.000 Euro would get."""
    cost = Decimal("1000")
    grant = min(cost * rules.rate_percent / 100, rules.max_grant)
    return {"cost": cost, "grant": grant.quantize(Decimal("1"))}


@login_not_required
def easy_language(request):
    fund = Fund.objects.select_related("authority").order_by("pk").first()
    funding_round, is_open = _round_to_show(fund) if fund else (None, False)
    rules = funding_round.current_rules if funding_round else None
    return render(request, "fonds/public/easy_language.html", {
        "fund": fund,
        "round": funding_round,
        "round_is_open": is_open,
        "rules": rules,
        "example": _easy_example(rules) if rules else None,
        "authority": fund.authority if fund else None,
    })


@login_not_required
def privacy(request):
    return render(request, "fonds/public/privacy.html", {"authorities": Authority.objects.order_by("pk")})
