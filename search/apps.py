from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "UN resolutions"

    def ready(self):
        # Registers the start-up checks (the index folder, the language data, the
        # collected static files) with Django's system checks.
        from search import checks  # noqa: F401
