from django.urls import path

from . import area_views, document_views, views, wizard

app_name = "portal"

urlpatterns = [
    path("antraege/", views.my_applications, name="applications"),
    path("antraege/neu/", wizard.start, name="application_new"),
    path("antraege/<int:pk>/schritt/<slug:step>/", wizard.step, name="wizard"),
    path("antraege/<int:pk>/weiter/", views.wizard_resume, name="wizard_resume"),
    path("sitzung/verlaengern/", views.session_extend, name="session_extend"),
    path("antraege/<int:pk>/", views.application_detail, name="application"),
    path("antraege/<int:pk>/unterlagen/", document_views.document_upload_view, name="document_upload"),
    path("dokumente/<int:pk>/", document_views.document_download, name="document"),
    path("briefe/<int:pk>/", document_views.letter_download, name="letter"),
    path("verwaltung/antraege/", views.staff_applications, name="staff_applications"),
    path("verwaltung/antraege/<int:pk>/", views.dossier, name="dossier"),
    path("verwaltung/fonds/<int:pk>/", views.fund_ledger, name="fund_ledger"),
    path("verwaltung/fonds/<int:pk>/gebiet.geojson", area_views.fund_area, name="fund_area"),
]
