import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# The fallback key is for local development only; production sets SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-insecure-key-do-not-use-in-production")
DEBUG = os.environ.get("DEBUG", "1").lower() in ("1", "true", "yes", "on")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    # Static files go through WhiteNoise in development too, so they are compressed
    # by the middleware below exactly as in production.
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages are compressed so the first page stays small; CSRF tokens are masked per
    # request, which is Django's answer to BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language comes from the language cookie, else Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "search.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "search.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DATABASE_PATH", BASE_DIR / "db.sqlite3"),
        "OPTIONS": {
            # Two staff publishing at once: the second writer waits for the first
            # (IMMEDIATE takes the write lock at BEGIN, so no deadlock on upgrade)
            # and searches keep reading meanwhile (WAL).
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # Tests use a file, not shared-cache memory, so concurrent writers behave
        # as they do in production (waiting, not "table is locked").
        # One file per test run, so two runs side by side never share it.
        "TEST": {
            "NAME": os.environ.get(
                "TEST_DATABASE_PATH",
                os.path.join(tempfile.gettempdir(), f"un-search-test-{os.getpid()}.sqlite3"),
            )
        },
    }
}

# Where the full-text index lives. It is derived from the database and never committed.
INDEX_DIR = Path(os.environ.get("INDEX_DIR", BASE_DIR / "var" / "index"))

# The corpus that load_corpus reads by default.
CORPUS_DIR = Path(os.environ.get("CORPUS_DIR", BASE_DIR / "corpus"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
# Compiled to .mo by `manage.py compile_translations` (polib, no GNU gettext needed).
LOCALE_PATHS = [BASE_DIR / "search" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Served from the app and project folders without collectstatic; cached for a day.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 86400

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
