from django.urls import path

from . import board_views as views

app_name = "beirat"

urlpatterns = [
    path("beirat/sitzungen/", views.meetings, name="meetings"),
    path("beirat/meine-sitzungen/", views.my_meetings, name="my_meetings"),
    path("beirat/sitzungen/neu/", views.meeting_new, name="meeting_new"),
    path("beirat/sitzungen/<int:pk>/", views.meeting_page, name="meeting"),
    path("beirat/sitzungen/<int:pk>/bearbeiten/", views.meeting_edit, name="meeting_edit"),
    path("beirat/sitzungen/<int:pk>/tagesordnung/", views.agenda_add, name="agenda_add"),
    path("beirat/sitzungen/<int:pk>/anwesenheit/", views.attendance, name="attendance"),
    path("beirat/sitzungen/<int:pk>/einladen/", views.invite, name="invite"),
    path("beirat/sitzungen/<int:pk>/schliessen/", views.close, name="close"),
    path("beirat/sitzungen/<int:pk>/unterzeichnen/", views.sign, name="sign"),
    path("beirat/sitzungen/<int:pk>/befangenheit/", views.conflicts, name="conflicts"),
    path("beirat/sitzungen/<int:pk>/sitzungsunterlagen.pdf", views.pack, name="pack"),
    path("beirat/sitzungen/<int:pk>/niederschrift.pdf", views.minutes, name="minutes"),
    path("beirat/sitzungen/<int:pk>/einladung.ics", views.ics, name="ics"),
    path("beirat/sitzungen/<int:pk>/top/<int:item_pk>/", views.item_page, name="item"),
    path("beirat/sitzungen/<int:pk>/top/<int:item_pk>/vorschlag/", views.item_proposal, name="item_proposal"),
    path("beirat/sitzungen/<int:pk>/top/<int:item_pk>/abstimmung/", views.item_votes, name="item_votes"),
    path("beirat/sitzungen/<int:pk>/top/<int:item_pk>/vertagen/", views.item_defer, name="item_defer"),
    path("beirat/sitzungen/<int:pk>/top/<int:item_pk>/stimme/", views.written_vote, name="written_vote"),
    path("beirat/sitzungen/<int:pk>/top/<int:item_pk>/unterlagen/<int:doc_pk>/", views.item_document,
         name="item_document"),
    path("beirat/sitzungen/<int:pk>/top/<int:item_pk>/<slug:action>/", views.item_action, name="item_action"),
]
