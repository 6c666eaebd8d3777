"""Public, login-free survey pages (/survey/, namespace "survey"): one-time anonymous tokens."""

from django.urls import path

from xuncha.web import public_survey_views as views

app_name = "survey"
urlpatterns = [
    path("", views.start, name="start"),
    path("t/<str:code>/", views.token, name="token"),
    path("answer/", views.answer, name="answer"),
    path("done/", views.done, name="done"),
]
