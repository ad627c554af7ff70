from django.urls import path

from . import applicant_views, letter_views, queue_views

app_name = "antrag"

urlpatterns = [
    path("antraege/<int:pk>/einreichen/", applicant_views.submit, name="submit"),
    path("antraege/<int:pk>/zurueckziehen/", applicant_views.withdraw, name="withdraw"),
    path("antraege/<int:pk>/nachreichen/", applicant_views.answer_documents, name="answer_documents"),
    path("antraege/<int:pk>/umsetzung/", applicant_views.implementation, name="implementation"),
    # the staff's task lists (viewflow's own workspace lives under /arbeit/ too)
    path("arbeit/aufgaben/", queue_views.task_list, {"tab": "mine"}, name="tasks_mine"),
    path("arbeit/aufgaben/team/", queue_views.task_list, {"tab": "team"}, name="tasks_team"),
    path("arbeit/aufgaben/erledigt/", queue_views.task_list, {"tab": "done"}, name="tasks_done"),
    path("arbeit/aufgaben/uebernehmen/", queue_views.claim, name="tasks_claim"),
    path("arbeit/aufgaben/zurueckgeben/", queue_views.hand_back, name="tasks_hand_back"),
    path("arbeit/aufgaben/zuweisen/", queue_views.assign, name="tasks_assign"),
    path("arbeit/uebersicht/", queue_views.team_overview, name="team_overview"),
    # letters beside the flow: Anhörung, Änderungsbescheid (four-eyes)
    path("verwaltung/antraege/<int:pk>/anhoerung/", letter_views.hearing, name="hearing"),
    path("verwaltung/antraege/<int:pk>/aenderungsbescheid/", letter_views.amendment, name="amendment"),
    path("verwaltung/aenderungsbescheide/", letter_views.amendments_awaiting, name="amendments"),
    path("verwaltung/aenderungsbescheide/<int:pk>/", letter_views.amendment_confirm, name="amendment_confirm"),
]
