"""The public report pages, under /report/ (namespace `report`). None of them needs a login."""

from django.urls import path

from xuncha.web import public_report_views as views

app_name = "report"

urlpatterns = [
    path("", views.start, name="start"),
    path("i/<str:token>/", views.form, name="form"),
    path("i/<str:token>/qr.svg", views.qr, name="qr"),
    path("status/", views.status, name="status"),
]
