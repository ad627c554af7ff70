"""Public pages: the fund's start page, funded projects with open data, measures, accessibility statement with
feedback form, Leichte Sprache."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from fonds import network_public_views, project_views, public_views

app_name = "public"

urlpatterns = [
    path("fonds/<int:pk>/", public_views.fund_start, name="fund"),
    path("projekte/", project_views.projects, name="projects"),
    path("projekte/projekte.csv", project_views.projects_csv_download, name="projects_csv"),
    path("projekte/projekte.geojson", project_views.projects_geojson_download, name="projects_geojson"),
    path("projekte/<int:pk>/foto/", project_views.project_photo, name="project_photo"),
    path("massnahmen/", project_views.measures, name="measures"),
    path("massnahmen/<int:pk>/", project_views.measure_detail, name="measure"),
    path("massnahmen/<int:pk>/foto/", project_views.measure_photo, name="measure_photo"),
    path("treffen/anmeldung/<str:token>/", network_public_views.event_register, name="event_register"),
    path("treffen/einwilligung/<str:token>/", network_public_views.event_unsubscribe, name="event_unsubscribe"),
    path("barrierefreiheit/", public_views.accessibility, name="accessibility"),
    path("leichte-sprache/", public_views.easy_language, name="easy_language"),
    path("datenschutz/", public_views.privacy, name="privacy"),
    # Django's own view at its usual address, open to visitors who are not signed in: the language
    # switcher sits on every page, the login page included.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
