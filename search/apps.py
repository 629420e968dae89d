from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("UN resolutions")

    def ready(self):
        # Registers the start-up checks (the index folder, the language data, the
        # collected static files) with Django's system checks.
        from search import checks  # noqa: F401
