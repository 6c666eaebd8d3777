from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "xuncha.org"
    label = "org"
    verbose_name = "org"
