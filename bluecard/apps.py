from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BluecardConfig(AppConfig):
    name = "bluecard"
    verbose_name = _("Niebieska Karta")

    def ready(self):
        # Imported when the app registry is ready: services import the models, which apps.py may not.
        from units.services import register_approval_finisher  # noqa: PLC0415 - cycle: apps.py loads before models

        from . import services  # noqa: PLC0415 - cycle: apps.py loads before models

        register_approval_finisher(services.CLOSURE_DOCUMENT_KIND, services.closure_finished)
        register_approval_finisher(services.MEETING_PROTOCOL_KIND, services.meeting_protocol_finished)
