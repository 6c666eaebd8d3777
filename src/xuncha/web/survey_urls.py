"""Staff URLs of the survey pages. web/urls.py appends these, so they are named web:<name>."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
