"""The benchmark: a generated corpus, timed rebuilds, queries and uploads (`manage.py benchmark`)."""
