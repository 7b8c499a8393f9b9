"""Public routes of the naskah module (no login): the verification page /v/<code>/."""

from django.urls import path  # noqa: F401

app_name = "naskah_public"
urlpatterns: list = []
