from django.apps import AppConfig


class PoolConfig(AppConfig):
    name = "xuncha.pool"
    label = "pool"
    verbose_name = "talent pool"
