from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "xuncha.findings"
    label = "findings"
    verbose_name = "findings"

    def ready(self) -> None:
        from xuncha.findings import handlers  # noqa: F401
