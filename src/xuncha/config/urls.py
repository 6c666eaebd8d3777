from django.urls import include, path

from xuncha.api.router import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("xuncha.web.urls")),
]
