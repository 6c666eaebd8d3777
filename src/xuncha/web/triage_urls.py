"""Staff URLs of the triage pages. web/urls.py appends these, so they are named web:<name>."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
