from django.urls import path

from xuncha.web import views

app_name = "web"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("login/", views.login_view, name="login"),
]
