from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xuncha.web"
    label = "web"
    verbose_name = "web"
