"""Start-up checks: what a server needs before it serves, each refusal said in words.

Registered when the app loads (SearchConfig.ready) under the tag "serving". The index
folder and the language data are ordinary checks: `manage.py check` and runserver run
them. The collected static files are a deployment check (`manage.py check --deploy`),
since the commands that prepare a server (migrate, the corpus) run before
collectstatic. A server runs them all before it takes a request: gunicorn before it
binds (search/gunicorn_conf.py), and every process that imports search.wsgi.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

SERVING = "serving"


def _cannot_write(folder: Path | None) -> str | None:
    """Why nothing can be written in folder; None when it can. (Root bypasses permission
    bits: only a write tells.)"""
    if folder is None or not folder.is_dir():
        return "not a folder"
    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as error:
        return error.strerror or "not a folder"


def _index_folders(path: Path) -> list[Path | None]:
    """The folders the index is written in: the index folder (or, not made yet, the parent
    that would hold it) and the generation searches read and updates write."""
    # A folder not made yet is made by the first process that needs it: its parent decides.
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing == path and (path / "current").is_dir():
        return [existing, (path / "current").resolve()]
    return [existing]


@checks.register(SERVING)
def check_index_folder(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The index is written by every serving process (it applies the change log)."""
    path = Path(settings.INDEX_DIR)
    for folder in _index_folders(path):
        reason = _cannot_write(folder)
        if reason is not None:
            return [
                checks.Error(
                    f"The search index folder {path} cannot be written ({folder}: {reason}): "
                    "searches could not be answered and publishing could not update the index.",
                    hint="Make it writable by the user that runs the server, or set INDEX_DIR "
                    "to a folder that is.",
                    id="search.E001",
                )
            ]
    return []


def jieba_dictionary() -> Path | None:
    """Where jieba's dictionary is, found without importing jieba (which takes a second)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "dict.txt"


REINSTALL = "Reinstall the pinned packages: .venv/bin/pip install -r requirements.lock."


@checks.register(SERVING)
def check_language_data(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Chinese is segmented with jieba's dictionary and folded to simplified by OpenCC."""
    return [error for error in (_jieba_error(), _opencc_error()) if error is not None]


def _jieba_error() -> checks.Error | None:
    dictionary = jieba_dictionary()
    if dictionary is not None and dictionary.is_file() and dictionary.stat().st_size > 0:
        return None
    return checks.Error(
        f"jieba's dictionary is missing ({dictionary or 'jieba is not installed'}): "
        "Chinese text could be neither indexed nor searched.",
        hint=REINSTALL,
        id="search.E002",
    )


def _opencc_error() -> checks.Error | None:
    try:
        import opencc

        opencc.OpenCC("t2s")
    except Exception as error:  # whatever OpenCC raises, the conversion is not there
        return checks.Error(
            f"OpenCC's traditional-to-simplified conversion cannot be loaded ({error}): "
            "traditional Chinese could not be searched as simplified.",
            hint=REINSTALL,
            id="search.E003",
        )
    return None


def _source_static_files() -> set[str]:
    """Every file collectstatic would collect, by the name pages ask for."""
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    names = set()
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore):
            prefix = getattr(storage, "prefix", None)
            names.add(f"{prefix}/{path}" if prefix else path)
    return {name.replace("\\", "/") for name in names}


def _uncollected() -> list[str]:
    """The static files the manifest does not name, or names but storage does not hold."""
    hashed, _ = staticfiles_storage.load_manifest()
    return sorted(
        name
        for name in _source_static_files()
        if name not in hashed or not staticfiles_storage.exists(hashed[name])
    )


@checks.register(SERVING, deploy=True)
def check_collected_static(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Without DEBUG, pages name static files by the hashes collectstatic recorded."""
    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    manifest = Path(settings.STATIC_ROOT or ".") / staticfiles_storage.manifest_name
    hint = "Run `manage.py collectstatic --noinput` with these settings (make serve does)."
    if staticfiles_storage.read_manifest() is None:
        return [
            checks.Error(
                f"Static files are not collected: {manifest} is missing, so without DEBUG "
                "every page that names a stylesheet or a script would fail (a server error).",
                hint=hint,
                id="search.E004",
            )
        ]
    missing = _uncollected()
    if missing:
        return [
            checks.Error(
                f"Static files are missing from those collected in {manifest.parent} "
                f"({len(missing)} in all: {_first_five(missing)}): pages that name them would fail.",
                hint=hint,
                id="search.E005",
            )
        ]
    return []


def _first_five(names: list[str]) -> str:
    return ", ".join(names[:5]) + (", …" if len(names) > 5 else "")


def serving_problems() -> list[checks.CheckMessage]:
    """The errors of the checks above: what stops a server. (Django's own deployment
    advice is `manage.py check --deploy`'s to give.)"""
    issues = checks.run_checks(tags=[SERVING], include_deployment_checks=True)
    return [issue for issue in issues if issue.is_serious() and not issue.is_silenced()]


def require_ready_to_serve() -> None:
    """Raise ImproperlyConfigured, saying every problem, unless a server can serve."""
    problems = serving_problems()
    if problems:
        lines = "\n".join(str(problem) for problem in problems)
        raise ImproperlyConfigured(f"The server cannot start:\n{lines}")
