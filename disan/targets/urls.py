"""Progress towards the digitization targets, mounted at ``progress/``."""

from django.urls import path

from disan.targets import views

app_name = "targets"
urlpatterns = [
    path("", views.progress, name="progress"),
]
