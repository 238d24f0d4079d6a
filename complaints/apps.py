from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Skargi i wnioski")

    def ready(self):
        # Models (and the services that import them) load only once the app registry is ready, after this module.
        from units.models import DocumentKind  # noqa: PLC0415 - cycle: app registry loads models after AppConfig
        from units.services import register_approval_finisher  # noqa: PLC0415 - cycle: as above

        from .services import on_response_flow_finished  # noqa: PLC0415 - cycle: as above

        register_approval_finisher(DocumentKind.COMPLAINT_RESPONSE.value, on_response_flow_finished)
