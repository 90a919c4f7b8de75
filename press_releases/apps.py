from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressReleasesConfig(AppConfig):
    name = "press_releases"
    verbose_name = _("Press-release assistant")
