from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = _("Diary")

    def ready(self) -> None:
        from .uploads import install_name_noting_parser

        install_name_noting_parser()
