"""The product's URLs plus the floor view; served only with config.settings.bench."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("", include("config.urls")),
]
