"""Public pages: the fund's start page, accessibility statement with feedback form, Leichte Sprache."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from fonds import public_views

app_name = "public"

urlpatterns = [
    path("fonds/<int:pk>/", public_views.fund_start, name="fund"),
    path("barrierefreiheit/", public_views.accessibility, name="accessibility"),
    path("leichte-sprache/", public_views.easy_language, name="easy_language"),
    path("datenschutz/", public_views.privacy, name="privacy"),
    # Django's own view at its usual address, open to visitors who are not signed in: the language
    # switcher sits on every page, the login page included.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
