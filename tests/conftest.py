import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CORPUS = Path(settings.BASE_DIR) / "corpus"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the .po files as `make test` does, so plain `pytest` sees Chinese too."""
    from search.management.commands.compile_translations import compile_translations

    compile_translations()


@pytest.fixture(autouse=True)
def index_dir(settings, tmp_path_factory):
    """Give every test its own index folder, never the development one."""
    from search.engine.index import reset_searcher

    settings.INDEX_DIR = tmp_path_factory.mktemp("index")
    reset_searcher()
    yield settings.INDEX_DIR
    reset_searcher()


@pytest.fixture
def loaded_corpus(db):
    """Load the real corpus, as `make run` does."""
    call_command("load_corpus", stdout=_Sink(), stderr=_Sink())


@pytest.fixture
def make_corpus(tmp_path):
    """Return a function that writes a corpus dir from {name: bytes} and manifest entries."""

    def make(files: dict[str, bytes], entries: list[dict]) -> Path:
        for name, data in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        lines = []
        for entry in entries:
            lines.append("[[document]]")
            lines.extend(f"{field} = {_toml(value)}" for field, value in entry.items())
            lines.append("")
        (tmp_path / "manifest.toml").write_text("\n".join(lines), encoding="utf-8")
        return tmp_path

    return make


def corpus_bytes(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def copy_corpus(to: Path) -> Path:
    shutil.copytree(CORPUS, to)
    return to


def _toml(value):
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
