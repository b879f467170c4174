"""The Ray worker: the body of one actor, which loads the glossary and each locale's models once."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate.argos.engine import DecodeOptions, Engine
from translate.errors import TermguardError
from translate.run.batch import Target

if TYPE_CHECKING:
    from glossary import Glossary
    from translate.ladder.enforce import Enforcer
    from translate.run.job import LocaleRun

__all__ = ["CountingEngine", "LocaleSpec", "Worker", "WorkerInfo", "WorkerReply", "locale_specs"]


@dataclass(frozen=True)
class LocaleSpec:
    """What a worker needs to build one locale's engine and enforcer itself."""

    locale: str
    package_dir: Path  # the installed Argos package; same path on every node
    argos_package: str  # e.g. "en->de 1.9", recorded in catalog headers
    enforce: bool  # build an Enforcer for this locale (the glossary covers it)


@dataclass(frozen=True)
class WorkerInfo:
    """Which worker translated a document, and how often it loaded each model."""

    index: int
    pid: int
    node: str
    loads: dict[str, int]  # locale -> model loads in this worker process
    engines: dict[str, int]  # locale -> id() of the worker's Engine
    documents: int  # documents this worker process has translated so far
    peak_rss_mib: float  # the worker process's peak resident memory so far
    cpu_s: float  # CPU seconds this worker spent since its models were loaded


@dataclass
class WorkerReply:
    """What a worker sends back for one document (plain, picklable data)."""

    runs: list[LocaleRun] = field(default_factory=list)
    error: str | None = None
    worker: WorkerInfo | None = None


def locale_specs(targets: Sequence[Target]) -> list[LocaleSpec]:
    """The CLI's local targets as specs a worker can rebuild (engines are not shipped)."""
    return [LocaleSpec(t.locale, Path(t.engine.package_dir).resolve(), t.argos_package,
                       t.enforcer is not None) for t in targets]


@dataclass
class CountingEngine(Engine):
    """An Engine that counts real model loads, so a test can see "once per worker"."""

    loads: int = 0

    def load(self) -> None:
        if self._translator is None:
            super().load()
            self.loads += 1


class Worker:
    """The body of the Ray actor (kept a plain class so it is importable and testable)."""

    def __init__(self, index: int, specs: Sequence[LocaleSpec], glossary_path: str | None,
                 options: DecodeOptions, catalog_dir: str | None, threads: int) -> None:
        self.index = index
        self.specs = list(specs)
        self.options = options
        self.catalog_dir = Path(catalog_dir) if catalog_dir is not None else None
        self.glossary: Glossary | None = None
        self.glossary_path = glossary_path
        self.engines: dict[str, CountingEngine] = {}
        self.enforcers: dict[str, Enforcer | None] = {}
        self.threads = threads
        self.documents = 0
        self.cpu_start = _cpu_seconds()

    def ready(self) -> dict[str, Any]:
        """Load the glossary and every model now; report what was loaded."""
        if self.glossary_path is not None and self.glossary is None:
            from glossary import load_glossary

            self.glossary = load_glossary(self.glossary_path)
        for spec in self.specs:
            if spec.locale in self.engines:
                continue
            # One decoding thread pool per worker: the worker is the unit of
            # parallelism, so inter_threads stays 1.
            engine = CountingEngine(spec.package_dir, inter_threads=1, intra_threads=self.threads)
            engine.load()
            self.engines[spec.locale] = engine
            enforcer = None
            if spec.enforce and self.glossary is not None:
                from translate.ladder.enforce import Enforcer

                enforcer = Enforcer(self.glossary, spec.locale)
            self.enforcers[spec.locale] = enforcer
        if self.documents == 0:
            # Start-up (Ray's own import, model loads) is not document work.
            self.cpu_start = _cpu_seconds()
        return {"index": self.index, "pid": os.getpid(), "node": _node_name(),
                "glossary_digest": self.glossary.digest if self.glossary is not None else None}

    def info(self) -> WorkerInfo:
        return WorkerInfo(self.index, os.getpid(), _node_name(),
                          {loc: e.loads for loc, e in self.engines.items()},
                          {loc: id(e) for loc, e in self.engines.items()}, self.documents,
                          _peak_rss_mib(), round(_cpu_seconds() - self.cpu_start, 3))

    def translate(self, text: str, name: str, domain: str) -> WorkerReply:
        """Translate one document's text into every locale, through the catalogs."""
        from translate.run.document import SourceDocument
        from translate.run.job import run_locale

        self.ready()  # a restarted worker (after a crash) rebuilds its state here
        reply = WorkerReply()
        try:
            document = SourceDocument.from_text(name, text)
            for spec in self.specs:
                reply.runs.append(run_locale(
                    document, spec.locale, self.engines[spec.locale], spec.argos_package,
                    options=self.options, glossary=self.glossary, enforcer=self.enforcers[spec.locale],
                    catalog_dir=self.catalog_dir, domain=domain))
        except TermguardError as exc:
            reply.error = str(exc)  # runs done before it stay, as in translate.run.batch
        self.documents += 1
        reply.worker = self.info()
        return reply


def _peak_rss_mib() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss would carry the parent's across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)  # kB
    except (OSError, ValueError, IndexError):
        pass
    return 0.0  # not Linux: no figure rather than a wrong one


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def _node_name() -> str:
    import socket

    return socket.gethostname()
