from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Konkursy ofert")

    def ready(self):
        # G11: the contract and its annexes are signed when their approval flow ends (U6)
        from units.services import register_approval_finisher  # noqa: PLC0415 - cycle: app registry loads models later

        from .services import contracts  # noqa: PLC0415 - cycle: as above

        register_approval_finisher(contracts.DOC_CONTRACT, contracts.contract_flow_finished)
        register_approval_finisher(contracts.DOC_CONTRACT_ANNEX, contracts.annex_flow_finished)
