from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TwinningConfig(AppConfig):
    name = "twinning"
    verbose_name = _("Twinnings and agreements")

    def ready(self):
        from twinning.page_cache import connect_signals
        from twinning.services import sync_groups

        connect_signals()

        # After migrate, so that the permissions of every app exist.
        post_migrate.connect(sync_groups, dispatch_uid="twinning.sync_groups")
