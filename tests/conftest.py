"""Shared fixtures. Argos reads its settings (and creates folders) at import
time, so the environment is pointed at a temporary home before anything
imports it."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest

_HOME = Path(tempfile.mkdtemp(prefix="termguard-tests-"))
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_HOME / _var.lower())
os.environ["ARGOS_PACKAGES_DIR"] = str(_HOME / "packages")
# Never reach a real index from a test.
os.environ["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"

from click.testing import CliRunner  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TEST_MODEL = REPO / "tests" / "model" / "translate-en_qtc-1_0.argosmodel"
ARTICLE = REPO / "samples" / "nato-armenia-azerbaijan.txt"
DATA = REPO / "tests" / "data"


class Clock:
    """A deterministic UTC clock for the review workflow: each call is one minute after the last."""

    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def packages_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty, private ARGOS_PACKAGES_DIR for one test."""
    folder = tmp_path / "packages"
    folder.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def _shared_model_dir() -> Iterator[Path]:
    """The test model installed once per session through the real install path."""
    from translate.argos import packages

    folder = _HOME / "shared-packages"
    folder.mkdir(exist_ok=True)
    old = os.environ["ARGOS_PACKAGES_DIR"]
    os.environ["ARGOS_PACKAGES_DIR"] = str(folder)
    try:
        packages.install_file(TEST_MODEL)
    finally:
        os.environ["ARGOS_PACKAGES_DIR"] = old
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def test_model(_shared_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ARGOS_PACKAGES_DIR holding the installed en->qtc test model; returns the package folder."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(_shared_model_dir))
    return _shared_model_dir / "translate-en_qtc"


@pytest.fixture(scope="session")
def lexicon() -> dict[str, str]:
    """English word -> test-language word, as the model was trained."""
    rows = (REPO / "tests" / "model" / "lexicon.tsv").read_text(encoding="utf-8").splitlines()
    return dict(row.split("\t", 1) for row in rows if "\t" in row)


# Whole modules whose tests start real processes, clusters or browsers, or
# translate many documents. They are marked `slow`: `pytest -m "not slow"`
# skips them while working; CI (.ci/run) runs everything.
SLOW_MODULES = {
    "test_faults",
    "test_distributed",
    "test_report_browser",
    "test_benchmark_smoke",
    "test_attacks_smoke",
    "test_translate_many",
    "test_bad_input_matrix",
    "test_fuzz_cli",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.rpartition(".")[2] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def same_as_whole_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every edit a test makes is also made by editing the whole document; the two must agree.

    Yields the texts the fast (block) path wrote, so a test can check it was taken.
    """
    import glossary.edit.apply as apply
    import glossary.edit.yaml_edit as yaml_edit
    import glossary.review.planning as planning

    original = apply.apply_edits
    fast_texts: list[str] = []
    blocks = apply._apply_blocks

    def spied_blocks(*args: object, **kwargs: object) -> object:
        result = blocks(*args, **kwargs)  # type: ignore[arg-type]
        if result is not None:
            fast_texts.append(result.text)
        return result

    def both(*args: object, **kwargs: object) -> object:
        kwargs.pop("whole", None)
        try:
            fast = original(*args, **kwargs)  # type: ignore[arg-type]
        except Exception as error:
            with pytest.raises(type(error)) as whole_error:
                original(*args, whole=True, **kwargs)  # type: ignore[arg-type]
            assert str(whole_error.value) == str(error)
            raise
        whole = original(*args, whole=True, **kwargs)  # type: ignore[arg-type]
        assert fast.text == whole.text
        assert fast.glossary == whole.glossary
        return fast

    monkeypatch.setattr(apply, "_apply_blocks", spied_blocks)
    monkeypatch.setattr(planning, "apply_edits", both)
    monkeypatch.setattr(yaml_edit, "apply_edits", both)
    yield fast_texts
