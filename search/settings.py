import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    """Read an on/off setting; a value that is neither stops the server instead of guessing."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use 1 or 0.")


def env_count(name: str, default: int) -> int:
    """Read a count (1 or more); anything else stops the server instead of guessing."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f"{name}={value!r}: use a whole number, 1 or more.")
    return int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Every setting that matters in production defaults to its safe value: DEBUG is off
# unless the environment turns it on (`make run` does), and without DEBUG there is no
# fallback key.
DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment to a long random value "
            "(or DEBUG=1 on a development machine)."
        )
    SECRET_KEY = "dev-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS: on unless DEBUG. Behind a proxy that ends TLS, SECURE_PROXY_SSL_HEADER
# (e.g. "HTTP_X_FORWARDED_PROTO,https") says which requests came in over HTTPS; set it
# only when that proxy overwrites the header, or clients could claim HTTPS themselves.
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe workers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_flag("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
# These two commit every subdomain, and the domain for browsers' built-in lists: the
# deployment opts in.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD")
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _header, _, _value = os.environ["SECURE_PROXY_SSL_HEADER"].partition(",")
    if not _header.startswith("HTTP_") or not _value:
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER: write it as HTTP_X_FORWARDED_PROTO,https.")
    SECURE_PROXY_SSL_HEADER = (_header.strip(), _value.strip())

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
    "search.apps.AxesConfig",  # django-axes, named in both languages
    "search",
]

# Health probes' own address (make serve binds it beside BIND; default 127.0.0.1:8001).
# gunicorn's sync workers accept from each ready address in turn, so a probe there is
# taken by the first worker to come free, not after every public request queued before
# it: a saturated site still answers its load balancer. Only /healthz is answered there.
PROBE_BIND = os.environ.get("PROBE_BIND", "").strip()
PROBE_PORT = PROBE_BIND.rpartition(":")[2]
if PROBE_BIND and not PROBE_PORT.isdigit():
    raise ImproperlyConfigured(f"PROBE_BIND={PROBE_BIND!r}: use host:port, as 127.0.0.1:8001.")

MIDDLEWARE = [
    # The probes' address answers /healthz and nothing else.
    "search.web.protection.probes_only",
    # Then: a body larger than its address accepts is refused before anything reads it
    # (CSRF reads the whole form).
    "search.web.protection.limit_request_body",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
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
    # Last, as django-axes asks: turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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

# PostgreSQL (or any database) by DATABASE_URL, e.g. postgres://user:password@host/name;
# without it, SQLite at DATABASE_PATH, which needs no setup. Both at once is a mistake
# that could write to the wrong database: refused.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL and os.environ.get("DATABASE_PATH"):
    raise ImproperlyConfigured("DATABASE_URL and DATABASE_PATH are both set: keep one.")
if DATABASE_URL:
    # A worker keeps its connection between requests and checks it before reusing it,
    # so a restarted database server costs one failed check, not a failed request.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DATABASE_PATH", BASE_DIR / "db.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Two staff publishing at once: the second writer waits for the first
        # (IMMEDIATE takes the write lock at BEGIN, so no deadlock on upgrade)
        # and searches keep reading meanwhile (WAL).
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A worker keeps its connection between requests, as on PostgreSQL: opening one
    # (the file, the pragmas, Django's functions) cost a twentieth of a served request.
    # In WAL mode a connection outside a transaction reads what was last committed.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Tests use a file, not shared-cache memory, so concurrent writers behave
    # as they do in production (waiting, not "table is locked").
    # One file per test run, so two runs side by side never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get(
            "TEST_DATABASE_PATH",
            os.path.join(tempfile.gettempdir(), f"un-search-test-{os.getpid()}.sqlite3"),
        )
    }

# Where the full-text index lives. It is derived from the database and never committed.
INDEX_DIR = Path(os.environ.get("INDEX_DIR", BASE_DIR / "var" / "index"))

# Results that are pure functions of stored rows (a comparison, agreed language) are kept in the
# "results" cache, keyed by what identifies those rows: a publish makes old entries
# unreachable, never wrong (search.web.comparing, search.web.agreed_language). By default each
# process keeps its own in memory (no setup; a worker computes a result once); a backend
# shared by the workers, e.g. RESULTS_CACHE_BACKEND=django.core.cache.backends.filebased.
# FileBasedCache with RESULTS_CACHE_LOCATION=/var/cache/un-search (one machine), or
# Redis or Memcached (several), computes it once for all of them.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "results": {
        "BACKEND": os.environ.get("RESULTS_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("RESULTS_CACHE_LOCATION", "results"),
        # Entries never go stale (their keys change instead): kept until crowded out.
        "TIMEOUT": None,
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("RESULTS_CACHE_ENTRIES", "500"))},
    },
}

# The corpus that load_corpus reads by default.
CORPUS_DIR = Path(os.environ.get("CORPUS_DIR", BASE_DIR / "corpus"))

# Sign-in throttling (django-axes): LOGIN_FAILURE_LIMIT wrong passwords for one user name
# from one address lock that pair out for LOGIN_COOLOFF_MINUTES, and each further try
# starts the wait again; the lockout page says so (templates/lockout.html). A locked-out
# try is refused before the password is hashed. The pair, not the user name alone, so
# that nobody can lock an administrator out from elsewhere, and colleagues behind one
# address do not lock each other out. `manage.py axes_reset` lifts every lockout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_count("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_count("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A successful sign-in forgets that user's earlier typos.
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "search.web.protection.lockout"
AXES_CLIENT_IP_CALLABLE = "search.web.protection.client_ip"
# Behind a proxy every request comes from the proxy's address: with USE_X_FORWARDED_FOR=1
# the client's address is the last one of X-Forwarded-For, the one the proxy wrote. Only
# behind a proxy that sets that header itself, or clients could pick any address.
USE_X_FORWARDED_FOR = env_flag("USE_X_FORWARDED_FOR")

# What a request may send. search.web.protection.limit_request_body answers 413 to a
# body over its address's limit before anything reads it, and 411 to one of unknown
# length; Django's own limits below then bound what it parses.
MB = 1024 * 1024
REQUEST_BODY_LIMIT = 1 * MB  # every form but the upload: the largest posts a few KB
# The admin's upload takes several files of at most 10 MB each (search/ingest/extract.py):
# five of them at once, and the form around them.
UPLOAD_BODY_LIMIT = 55 * MB
UPLOAD_URL_NAMES = ["admin:search_upload_add"]
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_LIMIT  # a form's fields, files aside
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # Django's default: an admin list posts one per ticked row
DATA_UPLOAD_MAX_NUMBER_FILES = 20  # files in one upload; more at once is import_documents' work
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * MB)  # a larger file waits in a temporary file, not in memory

# Content-Security-Policy (django-csp): scripts, styles, fonts and frames from this site
# only, no inline script or style, never framed. htmx is told not to inject its indicator
# style (<meta name="htmx-config"> in templates/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Permissions-Policy (django-permissions-policy): no device or sensor for any page; the
# clipboard, for the citation button, only for this site.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "clipboard-write": ["self"],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

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
# Where `collectstatic` (run by `make serve`) writes the files served without DEBUG.
STATIC_ROOT = None if DEBUG else Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Without DEBUG, pages name the collected files by their hash (cached forever by
    # WhiteNoise) and WhiteNoise serves the gzip copies collectstatic wrote; with DEBUG,
    # files are served from the source folders as they are, no collectstatic needed.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Files whose names carry no hash are cached for a day.
WHITENOISE_MAX_AGE = 86400

# Errors with their tracebacks and what the index applies go to stderr, which the
# process manager (gunicorn, systemd) keeps.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "loggers": {
        # 5xx with the traceback; 4xx (warnings) are the access log's business.
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "search.engine": {"handlers": ["stderr"], "level": "INFO"},
        # What a server process paid before its first request.
        "search.warmup": {"handlers": ["stderr"], "level": "INFO"},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
