from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BluecardConfig(AppConfig):
    name = "bluecard"
    verbose_name = _("Niebieska Karta")
