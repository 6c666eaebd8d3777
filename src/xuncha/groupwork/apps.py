from django.apps import AppConfig


class GroupworkConfig(AppConfig):
    name = "xuncha.groupwork"
    label = "groupwork"
    verbose_name = "group discipline"
