"""The product's URLs plus the floor view; served only with config.settings.bench."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("bench/frame/", views.frame, name="bench_frame"),
    path("", include("config.urls")),
]
