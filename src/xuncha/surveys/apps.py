from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "xuncha.surveys"
    label = "surveys"
    verbose_name = "surveys"
