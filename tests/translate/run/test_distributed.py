"""translate_documents_ray on a private Ray cluster on this machine: same outputs as the local path.

The cluster is started by the code under test (bound to 127.0.0.1, no
dashboard, no usage reporting) and stopped at the end of each run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import ARTICLE, REPO, TEST_MODEL
from translate.argos.engine import DecodeOptions, Engine
from translate.errors import TermguardError
from translate.run.batch import Target, translate_documents

QTC_GLOSSARY = REPO / "tests" / "model" / "glossary-qtc.yaml"
# Header lines with the minute a catalog was written: the only bytes two runs
# of the same job may differ in.
DATES = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): [^"]*"$', re.MULTILINE)


def test_local_workers_get_the_folder_holding_both_packages() -> None:
    # Local workers import termguard through this PYTHONPATH entry; it must hold
    # the packages themselves, not be one of them.
    from translate.run.distributed import _SOURCE_ROOT

    root = Path(_SOURCE_ROOT)
    assert (root / "translate" / "__init__.py").is_file()
    assert (root / "glossary" / "__init__.py").is_file()


def test_without_ray_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.run.distributed import translate_documents_ray
    from translate.run.ray_cluster import RayNotInstalled

    monkeypatch.setitem(sys.modules, "ray", None)  # makes `import ray` fail
    with pytest.raises(RayNotInstalled, match=r"pip install 'termguard\[ray\]'") as caught:
        translate_documents_ray([ARTICLE], [], address=None, workers=2, glossary_path=None,
                                catalog_dir=None, domain_of=lambda p: p.stem)
    assert isinstance(caught.value, TermguardError)


def test_an_address_nobody_answers_fails_in_seconds() -> None:
    pytest.importorskip("ray", reason="Ray is optional: pip install 'termguard[ray]'")
    import ray

    from translate.run.distributed import translate_documents_ray
    from translate.run.ray_cluster import DistributedError

    results = translate_documents_ray([ARTICLE], [], address="127.0.0.1:1", workers=1, glossary_path=None,
                                      catalog_dir=None, domain_of=lambda p: p.stem)
    with pytest.raises(DistributedError, match="cannot reach the Ray cluster at 127.0.0.1:1"):
        next(results)
    assert not ray.is_initialized()


@pytest.fixture
def ray_module():  # type: ignore[no-untyped-def]
    ray = pytest.importorskip("ray", reason="Ray is optional: pip install 'termguard[ray]'")
    if not TEST_MODEL.is_file():
        pytest.skip(f"the test model {TEST_MODEL.name} is not built (tools/build_test_model.py)")
    yield ray
    if ray.is_initialized():  # a failed test must not leave a cluster behind
        ray.shutdown()


@pytest.fixture
def documents(tmp_path: Path) -> list[Path]:
    """The sample article, three small documents and, second, a file that is not UTF-8."""
    folder = tmp_path / "docs"
    folder.mkdir()
    paragraphs = [p for p in ARTICLE.read_text(encoding="utf-8").splitlines() if p.strip()]
    heldout = [row.split("\t")[0] for row in
               (REPO / "tests" / "model" / "heldout.tsv").read_text(encoding="utf-8").splitlines()]
    texts = {
        "brief.txt": "\n\n".join(paragraphs[2:5]) + "\n",
        "wire.txt": "\n".join(heldout[:4]) + "\n",
        "terms.md": ("# Karabakh\n\nAzerbaijan seized the breakaway Karabakh region "
                     "from Armenian separatists.\n\nArmenia and Azerbaijan have an opportunity "
                     "to achieve an enduring peace.\n"),
    }
    paths = [ARTICLE]
    bad = folder / "latin1.txt"
    bad.write_bytes("Caf\xe9 society in Yerevan.\n".encode("latin-1"))
    paths.append(bad)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def _targets(package_dir: Path) -> list[Target]:
    from glossary import load_glossary
    from translate.ladder.enforce import Enforcer

    return [Target("qtc", Engine(package_dir), "en->qtc 1.0", Enforcer(load_glossary(QTC_GLOSSARY), "qtc"))]


def _catalogs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): DATES.sub(rb'"\1: <date>"', p.read_bytes())
            for p in sorted(folder.rglob("*.po"))}


def test_ray_workers_match_the_local_path(ray_module, test_model: Path, documents: list[Path],  # type: ignore[no-untyped-def]
                                          tmp_path: Path) -> None:
    from glossary import load_glossary
    from translate.run.distributed import translate_documents_ray
    from translate.run.ray_worker import locale_specs

    options = DecodeOptions()
    targets = _targets(test_model)
    local = list(translate_documents(documents, targets, options=options,
                                     glossary=load_glossary(QTC_GLOSSARY), catalog_dir=tmp_path / "local",
                                     domain=lambda p: p.stem))
    progress: list[int] = []
    remote = list(translate_documents_ray(
        documents, locale_specs(targets), address=None, workers=2, options=options,
        glossary_path=QTC_GLOSSARY, catalog_dir=tmp_path / "ray", domain_of=lambda p: p.stem,
        on_progress=progress.append))

    assert not ray_module.is_initialized()  # the private cluster was stopped
    assert [r.path for r in remote] == documents  # input order, every document
    assert progress == list(range(1, len(documents) + 1))
    # The bad document is reported (read on the driver) and the rest go on.
    assert remote[1].error is not None and "not UTF-8" in remote[1].error and not remote[1].runs
    assert remote[1].error == local[1].error
    good = [r for r in remote if r.error is None]
    assert len(good) == len(documents) - 1
    for mine, theirs in zip(remote, local):
        assert [(r.locale, r.text, r.decoded, r.reused, r.flagged, r.occurrences) for r in mine.runs] == \
               [(r.locale, r.text, r.decoded, r.reused, r.flagged, r.occurrences) for r in theirs.runs]
    assert all(run.decoded > 0 and run.catalog is not None and run.catalog.is_file()
               for r in good for run in r.runs)
    # Same catalogs, byte for byte apart from the minute they were written.
    assert _catalogs(tmp_path / "ray") == _catalogs(tmp_path / "local")
    assert len(_catalogs(tmp_path / "ray")) == len(good)
    # Two worker processes shared the work; each loaded its model exactly once.
    workers = {r.worker.pid: r.worker for r in good if r.worker is not None}
    assert len(workers) == 2
    assert all(r.worker is not None and r.worker.loads == {"qtc": 1} for r in good)
    engine_ids = {(r.worker.pid, r.worker.engines["qtc"]) for r in good if r.worker is not None}
    assert len(engine_ids) == 2  # one Engine per worker, reused for every document
    assert max(r.worker.documents for r in good if r.worker is not None) >= 2


def test_fail_fast_stops_after_the_bad_document(ray_module, test_model: Path,  # type: ignore[no-untyped-def]
                                                documents: list[Path], tmp_path: Path) -> None:
    from translate.run.distributed import translate_documents_ray
    from translate.run.ray_worker import locale_specs

    results = list(translate_documents_ray(
        documents, locale_specs(_targets(test_model)), address=None, workers=2,
        glossary_path=QTC_GLOSSARY, catalog_dir=None, domain_of=lambda p: p.stem, fail_fast=True))
    assert [r.path for r in results] == documents[:2]
    assert results[0].error is None and results[0].runs[0].catalog is None
    assert results[1].error is not None
    assert not ray_module.is_initialized()
