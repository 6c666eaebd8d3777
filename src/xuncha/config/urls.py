from django.urls import include, path

from xuncha.api.router import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("report/", include("xuncha.web.public_report_urls", namespace="report")),
    path("survey/", include("xuncha.web.public_survey_urls", namespace="survey")),
    path("", include("xuncha.web.urls")),
]
