from django.urls import path

from . import letter_batch_views, letter_template_views, network_views, views

app_name = "benachrichtigungen"

urlpatterns = [
    path("benachrichtigungen/", views.inbox, name="inbox"),
    path("benachrichtigungen/gelesen/", views.mark_read, name="mark_all_read"),
    path("benachrichtigungen/<int:pk>/gelesen/", views.mark_read, name="mark_read"),
    path("benachrichtigungen/einstellungen/", views.preferences, name="preferences"),
    path("verwaltung/benachrichtigungen/", views.failed, name="failed"),
    path("verwaltung/benachrichtigungen/<int:pk>/erneut-senden/", views.resend, name="resend"),
    path("verwaltung/treffen/<int:pk>/einladen/", network_views.event_invite, name="event_invite"),
    path("verwaltung/betrieb/", views.health, name="health"),
    path("verwaltung/briefvorlagen/", letter_template_views.template_list, name="letter_templates"),
    path("verwaltung/fonds/<int:pk>/briefvorlagen/<slug:kind>/", letter_template_views.template_edit,
         name="letter_template"),
    path("verwaltung/fonds/<int:pk>/briefvorlagen/<slug:kind>/vorschau/", letter_template_views.template_preview,
         name="letter_template_preview"),
    path("verwaltung/fonds/<int:pk>/bescheide/", letter_batch_views.fund_letter_batches, name="letter_batches"),
    path("verwaltung/bescheide/stapel/<int:pk>/", letter_batch_views.letter_batch, name="letter_batch"),
    path("verwaltung/bescheide/stapel/<int:pk>/stand.json", letter_batch_views.letter_batch_progress,
         name="letter_batch_progress"),
    path("verwaltung/bescheide/stapel/<int:pk>/zip/", letter_batch_views.letter_batch_zip, name="letter_batch_zip"),
]
