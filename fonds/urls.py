from django.urls import path

from . import (
    area_views,
    document_views,
    measure_views,
    network_views,
    notice_views,
    payment_export_views,
    publication_views,
    views,
    wizard,
)

app_name = "portal"

urlpatterns = [
    path("antraege/", views.my_applications, name="applications"),
    path("antraege/neu/", wizard.start, name="application_new"),
    path("antraege/<int:pk>/schritt/<slug:step>/", wizard.step, name="wizard"),
    path("antraege/<int:pk>/weiter/", views.wizard_resume, name="wizard_resume"),
    path("sitzung/verlaengern/", views.session_extend, name="session_extend"),
    path("antraege/<int:pk>/", views.application_detail, name="application"),
    path("antraege/<int:pk>/veroeffentlichung/", publication_views.publication, name="publication"),
    path("antraege/<int:pk>/unterlagen/", document_views.document_upload_view, name="document_upload"),
    path("dokumente/<int:pk>/", document_views.document_download, name="document"),
    path("briefe/<int:pk>/", document_views.letter_download, name="letter"),
    path("verwaltung/briefe/<int:pk>/bekanntgabe/", notice_views.letter_notice, name="letter_notice"),
    path("verwaltung/antraege/", views.staff_applications, name="staff_applications"),
    path("verwaltung/antraege/<int:pk>/", views.dossier, name="dossier"),
    path("verwaltung/akteure/", network_views.actors, name="actors"),
    path("verwaltung/akteure/import/", network_views.actor_import, name="actor_import"),
    path("verwaltung/akteure/neu/", network_views.actor_edit, name="actor_new"),
    path("verwaltung/akteure/<int:pk>/bearbeiten/", network_views.actor_edit, name="actor_edit"),
    path("verwaltung/akteure/<int:pk>/kontakt/neu/", network_views.contact_new, name="contact_new"),
    path("verwaltung/akteure/<int:pk>/", network_views.actor_detail, name="actor"),
    path("verwaltung/kontakte/<int:pk>/", network_views.contact_detail, name="contact"),
    path("verwaltung/kontakte/<int:pk>/auskunft.json", network_views.contact_export_json, name="contact_export_json"),
    path("verwaltung/kontakte/<int:pk>/auskunft.csv", network_views.contact_export_table, name="contact_export_csv"),
    path("verwaltung/kontakte/<int:pk>/loeschen/", network_views.contact_erase_view, name="contact_erase"),
    path("verwaltung/massnahmen/", measure_views.measures_staff, name="measures_staff"),
    path("verwaltung/massnahmen/<int:pk>/", measure_views.measure_edit, name="measure_edit"),
    path("verwaltung/treffen/", network_views.events, name="events"),
    path("verwaltung/treffen/<int:pk>/", network_views.event_detail, name="event"),
    path("verwaltung/fonds/<int:pk>/", views.fund_ledger, name="fund_ledger"),
    path("verwaltung/fonds/<int:pk>/auszahlungen/", payment_export_views.fund_payments, name="fund_payments"),
    path("verwaltung/stadtkasse/<int:pk>/", payment_export_views.payment_export_download, name="payment_export"),
    path("verwaltung/fonds/<int:pk>/gebiet.geojson", area_views.fund_area, name="fund_area"),
]
