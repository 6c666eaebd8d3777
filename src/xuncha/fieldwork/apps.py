from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "xuncha.fieldwork"
    label = "fieldwork"
    verbose_name = "fieldwork"

    def ready(self) -> None:
        from xuncha.fieldwork import handlers  # noqa: F401
