"""Many documents into many locales: a plan that cannot clobber, models loaded once, documents in parallel.

``plan_batch`` decides everything that could make one run overwrite another
before anything is decoded: which documents (termguard's own earlier
outputs are skipped), where each translation goes (two documents that would
write one file are refused), and which catalog domain each uses: each
document its own (``x/note.txt`` and ``y/note.txt`` become ``x_note`` and
``y_note``), because two documents in one domain would obsolete each other's
entries; an explicit ``--domain`` shared by several documents is refused.
"""

from __future__ import annotations

import itertools
import os
import string
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from glossary.files.names import display_name
from translate.argos.engine import Chain, DecodeOptions, Engine
from translate.catalogs.folder import catalog_path
from translate.errors import InputError, OutputCollision, TermguardError
from translate.run.document import SourceDocument
from translate.run.job import LocaleRun, run_locale
from translate.run.pipeline import ParagraphResult, translate_paragraphs
from translate.run.reading import STDIN, read_text

if TYPE_CHECKING:
    from glossary import Glossary
    from translate.ladder.enforce import Enforcer

DOCUMENT_SUFFIXES = (".txt", ".md")
OUTPUT_FIELDS = ("dir", "name", "locale", "suffix")
DEFAULT_TEMPLATE = "{dir}/{name}.{locale}{suffix}"
STDIN_NAME = "stdin"  # the document name (and default domain) of text read from `-`
# Small documents are decoded together, a window at a time: one decode call for
# the window's paragraphs keeps the decoder's batches full (benchmarks/many_documents.py);
# each document is still written as soon as its window is decoded.
WINDOW_PARAGRAPHS = 64
WINDOW_DOCUMENTS = 32


@dataclass(frozen=True)
class Target:
    """One locale: its loaded-once engine and enforcer."""

    locale: str
    engine: Engine | Chain  # a Chain translates through English
    argos_package: str
    enforcer: Enforcer | None


@dataclass
class DocumentResult:
    path: Path
    runs: list[LocaleRun] = field(default_factory=list)
    error: str | None = None
    written: list[Path] = field(default_factory=list)


def document_name(path: Path) -> str:
    """The name a document has in catalogs and messages (control characters escaped)."""
    return STDIN_NAME if str(path) == STDIN else display_name(path.name)


def default_domain(path: Path) -> str:
    """The catalog domain of a document when --domain is not given: its name without extension."""
    if str(path) == STDIN:
        return STDIN_NAME
    # A catalog file name: control characters, bytes that are not UTF-8 and
    # path separators become "_" (the name is also written into the catalog).
    return "".join(
        "_" if not ch.isprintable() or ch in "/\\" or "\udc80" <= ch <= "\udcff" else ch for ch in path.stem
    ) or "_"


# --------------------------------------------------------------------------- output templates


def check_template(template: str) -> list[str]:
    """The fields a -o template uses; InputError (one line) for stray braces or unknown fields."""
    fields: list[str] = []
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise InputError(
            f"-o {template!r}: {exc}; write a literal brace as {{{{ or }}}}, fields are "
            + ", ".join(f"{{{f}}}" for f in OUTPUT_FIELDS)
        ) from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in OUTPUT_FIELDS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise InputError(
                f"-o {template!r}: unknown field {shown}; the fields are "
                + ", ".join(f"{{{f}}}" for f in OUTPUT_FIELDS)
            )
        fields.append(name)
    return fields


def output_path(template: str, path: Path, locale: str) -> Path:
    """Where the translation of `path` into `locale` goes under `template`."""
    if str(path) == STDIN:
        return Path(template.format(dir=".", name=STDIN_NAME, locale=locale, suffix=".txt"))
    return Path(template.format(dir=path.parent, name=path.stem, locale=locale, suffix=path.suffix))


# --------------------------------------------------------------------------- documents


def collect_documents(paths: Iterable[Path], recursive: bool) -> list[Path]:
    """Files as given; folders expand to their text documents (sorted)."""
    return _collect(paths, recursive)[0]


def _collect(paths: Iterable[Path], recursive: bool) -> tuple[list[Path], set[Path]]:
    """The documents, and which of them came from expanding a folder."""
    out: list[Path] = []
    found: set[Path] = set()
    for path in paths:
        if str(path) != STDIN and path.is_dir():
            pattern = "**/*" if recursive else "*"
            inside = sorted(p for p in path.glob(pattern)
                            if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
            out.extend(inside)
            found.update(inside)
        else:
            out.append(path)
    return list(dict.fromkeys(out)), found


def _is_locale(text: str) -> bool:
    from glossary.errors import GlossaryError
    from glossary.termbase.locales import normalize_locale

    try:
        normalize_locale(text)
    except (GlossaryError, ValueError):
        return False
    return True


def _looks_like_output(path: Path, documents: set[Path]) -> bool:
    """`note.de.txt` next to `note.txt`: the default output name of an earlier run."""
    stem, dot, tag = path.stem.rpartition(".")
    return bool(dot and stem) and path.with_name(stem + path.suffix) in documents and _is_locale(tag)


@dataclass(frozen=True)
class Plan:
    """What a batch run will read and write, checked before any decoding."""

    documents: list[Path]
    skipped: list[Path]  # earlier outputs of termguard found in the folders given
    outputs: dict[tuple[Path, str], Path | None]  # None: standard output
    domains: dict[Path, str]


def plan_batch(
    paths: Iterable[Path],
    locales: list[str],
    *,
    recursive: bool,
    template: str | None,
    domain: str | None,
    catalogs: bool,
) -> Plan:
    """Decide documents, outputs and domains; OutputCollision (bad input) before anything runs."""
    documents, from_folders = _collect(paths, recursive)
    if template is not None and template != STDIN:
        check_template(template)

    def planned(doc: Path) -> list[Path]:
        if template is None or template == STDIN:
            return []
        return [output_path(template, doc, loc) for loc in locales]

    # Our own outputs, found again in a folder, are not new documents.
    every_output = {Path(os.path.abspath(out)) for doc in documents for out in planned(doc)}
    every_document = {Path(os.path.abspath(doc)) for doc in documents}
    skipped = [
        doc for doc in documents
        if doc in from_folders and (Path(os.path.abspath(doc)) in every_output
                                    or _looks_like_output(Path(os.path.abspath(doc)), every_document))
    ]
    documents = [doc for doc in documents if doc not in skipped]

    outputs: dict[tuple[Path, str], Path | None] = {}
    claimed: dict[str, Path] = {}
    sources = {os.path.realpath(doc): doc for doc in documents if str(doc) != STDIN}
    for doc in documents:
        for locale in locales:
            out: Path | None = None
            if template is not None and template != STDIN:
                out = output_path(template, doc, locale)
                key = os.path.realpath(out)
                if key in sources:
                    raise OutputCollision(
                        f"{display_name(doc)}: its {locale} translation would be written over "
                        f"{display_name(sources[key])}; choose another -o"
                    )
                if key in claimed and claimed[key] != doc:
                    raise OutputCollision(
                        f"{display_name(claimed[key])} and {display_name(doc)} would both be written to "
                        f"{display_name(out)}; put {{dir}} in -o, or translate them separately "
                        "(nothing was translated)"
                    )
                claimed[key] = doc
            outputs[(doc, locale)] = out

    domains = {doc: domain for doc in documents} if domain else _default_domains(documents)
    if catalogs:
        owner: dict[str, Path] = {}
        for doc, name in domains.items():
            if name in owner:
                how = "--domain " + name if domain else f"the domain {name!r} (from their names)"
                raise OutputCollision(
                    f"{display_name(owner[name])} and {display_name(doc)} would share {how}, and each "
                    "run would make the other's catalog entries obsolete; "
                    + ("drop --domain so each document gets its own catalog" if domain
                       else "rename one, or translate them separately with --domain")
                    + " (nothing was translated)"
                )
            owner[name] = doc
    return Plan(documents, skipped, outputs, domains)


def _default_domains(documents: list[Path]) -> dict[Path, str]:
    """Each document's own domain: its name, or, where names repeat (x/note.txt and
    y/note.txt), its name qualified by as many parent folders as make it unique."""
    domains = {doc: default_domain(doc) for doc in documents}
    depth = 0
    while True:
        seen: dict[str, list[Path]] = {}
        for doc, name in domains.items():
            seen.setdefault(name, []).append(doc)
        clashing = [docs for docs in seen.values() if len(docs) > 1]
        if not clashing or depth > 32:
            return domains
        depth += 1
        for docs in clashing:
            for doc in docs:
                parents = [p for p in Path(os.path.abspath(doc)).parent.parts if p != "/"][-depth:]
                qualified = "_".join([*(default_domain(Path(p + ".x")) for p in parents), default_domain(doc)])
                domains[doc] = qualified


# --------------------------------------------------------------------------- running


def translate_documents(
    paths: list[Path],
    targets: list[Target],
    *,
    options: DecodeOptions,
    glossary: Glossary | None,
    catalog_dir: Path | None,
    domain: Callable[[Path], str],
    jobs: int = 1,
    fail_fast: bool = False,
    on_progress: Callable[[int], None] | None = None,
    on_done: Callable[[DocumentResult], None] | None = None,
    stdin: bytes | None = None,
) -> Iterator[DocumentResult]:
    """Translate every document into every target; yields results in input order.

    ``on_done`` runs in the worker as soon as a document is translated (to
    write its output at once, so an interruption keeps what was finished); a
    TermguardError it raises becomes the document's error. A document that
    cannot be read or translated is reported in its result and the others go
    on, unless ``fail_fast``. Documents are decoded a window at a time; with
    ``jobs`` > 1 that many windows run at once, sharing the engines:
    CTranslate2 releases the GIL while decoding, and a translator built with
    ``inter_threads=jobs`` decodes that many batches at once.
    """
    lock = threading.Lock()
    done = 0

    def read(path: Path) -> SourceDocument | str:
        try:
            return SourceDocument.from_text(document_name(path), read_text(path, stdin=stdin))
        except TermguardError as exc:
            return str(exc)

    def one(path: Path, document: SourceDocument | str,
            decoded: list[dict[str, ParagraphResult]] | None) -> DocumentResult:
        nonlocal done
        result = DocumentResult(path)
        try:
            if isinstance(document, str):
                raise InputError(document)
            for k, target in enumerate(targets):
                result.runs.append(run_locale(
                    document, target.locale, target.engine, target.argos_package,
                    options=options, glossary=glossary, enforcer=target.enforcer,
                    catalog_dir=catalog_dir, domain=domain(path),
                    decoded=decoded[k] if decoded else None))
            if on_done is not None:
                on_done(result)
        except TermguardError as exc:
            result.error = str(exc)
        with lock:
            done += 1
            if on_progress:
                on_progress(done)
        return result

    def prefetch(window: list[tuple[Path, SourceDocument | str]]) -> list[dict[str, ParagraphResult]]:
        """The window's paragraphs decoded in one call per target.

        Only documents without a catalog yet: where one exists, the catalog
        decides what needs decoding (usually little), so nothing is decoded twice.
        """
        out: list[dict[str, ParagraphResult]] = []
        for target in targets:
            paragraphs: dict[str, None] = {}
            for path, document in window:
                if isinstance(document, str) or (
                        catalog_dir is not None and catalog_path(catalog_dir, target.locale, domain(path)).exists()):
                    continue
                paragraphs.update(dict.fromkeys(p for _, p in document.paragraphs()))
            try:
                results = translate_paragraphs(target.engine, list(paragraphs), options, target.enforcer)
            except TermguardError:
                results = []  # each document then meets (and reports) the error itself
            out.append({r.source: r for r in results})
        return out

    def windows() -> Iterator[list[tuple[Path, SourceDocument | str]]]:
        """The documents, read one by one, in windows of about WINDOW_PARAGRAPHS paragraphs."""
        window: list[tuple[Path, SourceDocument | str]] = []
        size = 0
        for path in paths:
            document = read(path)
            window.append((path, document))
            size += 0 if isinstance(document, str) else len(document.paragraphs())
            if size >= WINDOW_PARAGRAPHS or len(window) >= WINDOW_DOCUMENTS:
                yield window
                window, size = [], 0
        if window:
            yield window

    stop = threading.Event()  # set once a failure ends a --fail-fast run: no further document starts

    def run_window(window: list[tuple[Path, SourceDocument | str]]) -> Iterator[DocumentResult]:
        decoded = prefetch(window) if len(window) > 1 else None
        for path, document in window:
            if stop.is_set():
                return
            result = one(path, document, decoded)
            yield result
            if result.error and fail_fast:
                return

    def run_whole(window: list[tuple[Path, SourceDocument | str]]) -> list[DocumentResult]:
        return list(run_window(window))

    if jobs <= 1:
        for window in windows():
            for result in run_window(window):
                yield result
                if result.error and fail_fast:
                    return
        return
    # Windows, not documents, go to the workers: each worker decodes whole
    # windows, so parallel runs keep the decoder's batches as full as one run.
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="termguard")
    running: deque[Future[list[DocumentResult]]] = deque()
    try:
        queued = windows()
        while True:
            # Read ahead only as far as the workers can use (documents stay on disk until then).
            for window in itertools.islice(queued, jobs + 1 - len(running)):
                running.append(pool.submit(run_whole, window))
            if not running:
                return
            for result in running.popleft().result():
                yield result
                if result.error and fail_fast:
                    return
    finally:
        # After a failure or Ctrl-C no further document starts; running ones
        # finish their (atomic) writes.
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)


__all__ = [
    "DEFAULT_TEMPLATE",
    "DocumentResult",
    "InputError",
    "Plan",
    "Target",
    "check_template",
    "collect_documents",
    "default_domain",
    "document_name",
    "output_path",
    "plan_batch",
    "translate_documents",
]
