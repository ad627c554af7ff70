from django.contrib import admin
from django.urls import include, path
from viewflow.urls import Site
from viewflow.workflow.flow import FlowAppViewset

from fonds import views as fonds_views
from fonds.account_views import urlpatterns as account_urls
from workflows.flows import GrantFlow

staff_site = Site(title="Fondsflow – Arbeitsbereich", viewsets=[
    FlowAppViewset(GrantFlow, icon="payments"),
])

urlpatterns = [
    path("", fonds_views.home, name="home"),
    path("", include(account_urls)),
    path("", include("fonds.public_urls")),
    path("admin/", admin.site.urls),
    path("", include("fonds.urls")),
    path("", include("workflows.urls")),
    path("", include("workflows.board_urls")),
    path("", include("notifications.urls")),
    path("arbeit/", staff_site.urls),
]
