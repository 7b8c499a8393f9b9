"""Routes of the naskah module's 'keluar' part (merged by naskah/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
