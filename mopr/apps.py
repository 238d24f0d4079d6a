from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoprConfig(AppConfig):
    name = "mopr"
    verbose_name = _("Rdzeń systemu")

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 - receivers connect once the apps are ready
