"""Many documents into many locales: models loaded once, documents in parallel."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from translate.document import SourceDocument
from translate.engine import DecodeOptions, Engine
from translate.errors import InputError, TermguardError
from translate.job import LocaleRun, run_locale
from translate.reading import read_text

if TYPE_CHECKING:
    from glossary import Glossary

    from translate.enforce import Enforcer

DOCUMENT_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Target:
    """One locale: its loaded-once engine and enforcer."""

    locale: str
    engine: Engine
    argos_package: str
    enforcer: "Enforcer | None"


@dataclass
class DocumentResult:
    path: Path
    runs: list[LocaleRun] = field(default_factory=list)
    error: str | None = None


def collect_documents(paths: Iterable[Path], recursive: bool) -> list[Path]:
    """Files as given; folders expand to their text documents (sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            pattern = "**/*" if recursive else "*"
            out.extend(sorted(p for p in path.glob(pattern)
                              if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
                              and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def translate_documents(
    paths: list[Path],
    targets: list[Target],
    *,
    options: DecodeOptions,
    glossary: "Glossary | None",
    catalog_dir: Path | None,
    domain: Callable[[Path], str],
    jobs: int = 1,
    fail_fast: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[DocumentResult]:
    """Translate every document into every target; yields results in input order.

    A document that cannot be read or translated is reported in its result and
    the others go on, unless ``fail_fast``. Engines are shared by the worker
    threads: CTranslate2 releases the GIL while decoding, and a translator
    built with ``inter_threads=jobs`` decodes that many batches at once.
    """
    lock = threading.Lock()
    done = 0

    def one(path: Path) -> DocumentResult:
        nonlocal done
        result = DocumentResult(path)
        try:
            document = SourceDocument.from_text(path.name, read_text(path))
            for target in targets:
                result.runs.append(run_locale(
                    document, target.locale, target.engine, target.argos_package,
                    options=options, glossary=glossary, enforcer=target.enforcer,
                    catalog_dir=catalog_dir, domain=domain(path)))
        except (InputError, TermguardError) as exc:
            result.error = str(exc)
        with lock:
            done += 1
            if on_progress:
                on_progress(done)
        return result

    if jobs <= 1:
        for path in paths:
            result = one(path)
            yield result
            if result.error and fail_fast:
                return
        return
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="termguard")
    try:
        futures: list[Future[DocumentResult]] = [pool.submit(one, p) for p in paths]
        for future in futures:
            result = future.result()
            yield result
            if result.error and fail_fast:
                return
    finally:
        # Queued documents never start after a failure or Ctrl-C; running ones
        # finish their (atomic) writes.
        pool.shutdown(wait=True, cancel_futures=True)
