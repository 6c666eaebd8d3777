from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Registered only so Django loads the API's message catalogue (api/locale)."""

    name = "xuncha.api"
    label = "api"
    verbose_name = "api"
