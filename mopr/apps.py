from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MoprConfig(AppConfig):
    name = "mopr"
    verbose_name = _("Rdzeń systemu")

    def ready(self):
        from . import signals  # noqa: F401
