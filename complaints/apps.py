from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Skargi i wnioski")

    def ready(self):
        from units.models import DocumentKind
        from units.services import register_approval_finisher

        from .services import on_response_flow_finished

        register_approval_finisher(DocumentKind.COMPLAINT_RESPONSE.value, on_response_flow_finished)
