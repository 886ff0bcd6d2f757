from django.urls import path

app_name = "iiif"
urlpatterns: list = []
