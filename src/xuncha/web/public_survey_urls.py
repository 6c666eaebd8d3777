"""Public, login-free survey pages (/survey/, namespace "survey"): one-time anonymous tokens."""

from django.urls import path  # noqa: F401

app_name = "survey"
urlpatterns: list = []
