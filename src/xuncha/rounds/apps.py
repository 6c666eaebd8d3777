from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "xuncha.rounds"
    label = "rounds"
    verbose_name = "rounds"

    def ready(self) -> None:
        from xuncha.rounds import scoping  # noqa: F401  registers the inspector's unit rule
