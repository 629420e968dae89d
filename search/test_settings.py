"""Production settings for the test suite: a key of its own, plain HTTP, static files as they are."""

import os

# In the environment, not only here, so the processes tests start (benchmark phases,
# which load search.settings) have a key too.
os.environ.setdefault("SECRET_KEY", "tests-only-key-that-signs-nothing-outside-the-test-suite")

from search.settings import *  # noqa: E402, F403
from search.settings import STORAGES  # noqa: E402

# The test servers speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Nothing is collected for tests: `{% static %}` names the source files, which
# WhiteNoise finds where they are (tests/test_settings.py checks the collected way).
STATIC_ROOT = None
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True

# Hashing a password the production way costs about 0.3 s of processor time, and the
# suite signs in a few hundred times; what it tests is who may sign in, not the hash.
# Production's hasher is known too, for users made for servers started with its settings.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
