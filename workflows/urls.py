from django.urls import path

from . import applicant_views

app_name = "antrag"

urlpatterns = [
    path("antraege/<int:pk>/einreichen/", applicant_views.submit, name="submit"),
    path("antraege/<int:pk>/zurueckziehen/", applicant_views.withdraw, name="withdraw"),
    path("antraege/<int:pk>/nachreichen/", applicant_views.answer_documents, name="answer_documents"),
    path("antraege/<int:pk>/umsetzung/", applicant_views.implementation, name="implementation"),
]
