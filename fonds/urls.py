from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("antraege/", views.my_applications, name="applications"),
    path("antraege/neu/", views.application_edit, name="application_new"),
    path("antraege/<int:pk>/", views.application_detail, name="application"),
    path("antraege/<int:pk>/bearbeiten/", views.application_edit, name="application_edit"),
    path("antraege/<int:pk>/unterlagen/", views.document_upload_view, name="document_upload"),
    path("dokumente/<int:pk>/", views.document_download, name="document"),
    path("briefe/<int:pk>/", views.letter_download, name="letter"),
    path("verwaltung/antraege/", views.staff_applications, name="staff_applications"),
    path("verwaltung/antraege/<int:pk>/", views.dossier, name="dossier"),
    path("verwaltung/fonds/<int:pk>/", views.fund_ledger, name="fund_ledger"),
]
