from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "xuncha.reports"
    label = "reports"
    verbose_name = "reports"
