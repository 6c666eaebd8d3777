from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "xuncha.rectification"
    label = "rectification"
    verbose_name = "rectification"

    def ready(self) -> None:
        from xuncha.rectification import handlers  # noqa: F401
