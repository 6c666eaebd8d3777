from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "xuncha.notifications"
    label = "notifications"
    verbose_name = "notifications"
