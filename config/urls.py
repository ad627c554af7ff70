from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from viewflow.urls import Site
from viewflow.workflow.flow import FlowAppViewset

from fonds import views as fonds_views
from workflows.flows import GrantFlow

staff_site = Site(title="Fondsflow – Arbeitsbereich", viewsets=[
    FlowAppViewset(GrantFlow, icon="payments"),
])

urlpatterns = [
    path("", fonds_views.home, name="home"),
    path("anmelden/", login_not_required(auth_views.LoginView.as_view(template_name="fonds/login.html")), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("fonds.urls")),
    path("", include("workflows.urls")),
    path("", include("notifications.urls")),
    path("arbeit/", staff_site.urls),
]
