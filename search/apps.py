from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    default = True  # this module holds a second configuration, the one below
    verbose_name = _("UN resolutions")

    def ready(self):
        # Registers the start-up checks (the index folder, the language data, the
        # collected static files) with Django's system checks.
        from search import checks  # noqa: F401


class AxesConfig(AxesAppConfig):
    """django-axes (the sign-in lockout) under a name staff read in their language."""

    default = False
    verbose_name = _("Sign-in lockouts")
