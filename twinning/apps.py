from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwinningConfig(AppConfig):
    name = "twinning"
    verbose_name = _("Twinnings and agreements")
