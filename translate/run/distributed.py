"""Many documents on a Ray cluster: one worker per core, each holding its models once.

``translate_documents_ray`` is the distributed twin of
``translate.run.batch.translate_documents``: same documents in, same
``DocumentResult`` out (in input order), same glossary enforcement and the
same catalogs, because every worker runs ``translate.run.job.run_locale`` itself.

* The driver reads each document (``translate.run.reading.read_text``) and sends
  its text, so workers never need to see the input files; a document that
  cannot be read is reported without reaching a worker.
* Each worker (a Ray actor) loads the glossary once and builds one ``Engine``
  and one ``Enforcer`` per locale once; the models are loaded when the worker
  starts, before the first document, so a broken package fails the job at once.
* Workers write the catalogs themselves, into ``catalog_dir`` (made absolute
  on the driver). ``CatalogUpdate`` already serialises writers with a file
  lock and writes atomically, so workers may share the folder: on one machine
  that just works; across machines ``catalog_dir`` must be the same path on a
  shared filesystem whose locks work (see docs/scaling.md).

Ray is an optional dependency (``pip install 'termguard[ray]'``) and is only
imported when a distributed job starts.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate.argos.engine import DecodeOptions, Engine
from translate.errors import TermguardError
from translate.run.batch import DocumentResult, Target, document_name
from translate.run.reading import read_text

if TYPE_CHECKING:
    from glossary import Glossary
    from translate.ladder.enforce import Enforcer
    from translate.run.job import LocaleRun

INSTALL_HINT = "pip install 'termguard[ray]'"
# The folder that holds the `translate` and `glossary` packages: workers of a
# cluster on this machine get it on their PYTHONPATH, so a source checkout
# works without installing termguard.
_SOURCE_ROOT = str(Path(__file__).resolve().parent.parent)
# Consecutive deaths after which a worker is taken out of the rotation (Ray
# restarts a dead worker up to _MAX_RESTARTS times; past that every call fails).
_MAX_RESTARTS = 2
_DEFAULT_OPTIONS = DecodeOptions()


class RayNotInstalled(TermguardError):
    """``--ray`` was asked for but the optional ``ray`` package is missing."""


class DistributedError(TermguardError):
    """The Ray cluster could not be reached, or its workers could not start."""


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
class RayDocumentResult(DocumentResult):
    """A ``DocumentResult`` plus the worker that produced it (None: never sent)."""

    worker: WorkerInfo | None = None


@dataclass
class _Reply:
    """What a worker sends back for one document (plain, picklable data)."""

    runs: list[LocaleRun] = field(default_factory=list)
    error: str | None = None
    worker: WorkerInfo | None = None


def locale_specs(targets: Sequence[Target]) -> list[LocaleSpec]:
    """The CLI's local targets as specs a worker can rebuild (engines are not shipped)."""
    return [LocaleSpec(t.locale, Path(t.engine.package_dir).resolve(), t.argos_package,
                       t.enforcer is not None) for t in targets]


@dataclass
class _CountingEngine(Engine):
    """An Engine that counts real model loads, so a test can see "once per worker"."""

    loads: int = 0

    def load(self) -> None:
        if self._translator is None:
            super().load()
            self.loads += 1


class _Worker:
    """The body of the Ray actor (kept a plain class so it is importable and testable)."""

    def __init__(self, index: int, specs: Sequence[LocaleSpec], glossary_path: str | None,
                 options: DecodeOptions, catalog_dir: str | None, threads: int) -> None:
        self.index = index
        self.specs = list(specs)
        self.options = options
        self.catalog_dir = Path(catalog_dir) if catalog_dir is not None else None
        self.glossary: Glossary | None = None
        self.glossary_path = glossary_path
        self.engines: dict[str, _CountingEngine] = {}
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
            engine = _CountingEngine(spec.package_dir, inter_threads=1, intra_threads=self.threads)
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

    def translate(self, text: str, name: str, domain: str) -> _Reply:
        """Translate one document's text into every locale, through the catalogs."""
        from translate.run.document import SourceDocument
        from translate.run.job import run_locale

        self.ready()  # a restarted worker (after a crash) rebuilds its state here
        reply = _Reply()
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


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise RayNotInstalled(f"distributed translation needs Ray: {INSTALL_HINT}") from None
    return ray


def _connect(ray: Any, address: str | None, num_cpus: int) -> bool:
    """Connect to ``address`` or start a private cluster; True if we must shut it down."""
    if ray.is_initialized():
        return False  # the caller's cluster (e.g. a test fixture): leave it running
    if address:
        _check_reachable(address)
        try:
            # Only what concerns this driver: the cluster's own settings are its operator's.
            ray.init(address=address, log_to_driver=False, logging_level=logging.ERROR)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise DistributedError(f"cannot connect to the Ray cluster at {address}: {exc}") from None
        return True  # shutdown() then only disconnects: the cluster stays up
    start_local_cluster(num_cpus)
    return True


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail in seconds on a HOST:PORT nobody answers: Ray itself retries for minutes."""
    import socket

    hostport = address.removeprefix("ray://")
    host, sep, port = hostport.rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto" or another form Ray resolves itself
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
            pass
    except OSError as exc:
        raise DistributedError(f"cannot reach the Ray cluster at {address}: "
                               f"{exc.strerror or exc}") from None


def start_local_cluster(num_cpus: int) -> None:
    """Start a Ray cluster on this machine that nothing outside can reach or hear from.

    Bound to 127.0.0.1 (Ray would otherwise look up the machine's outward
    address), without dashboard, and with Ray's usage reporting off: it is
    read by the cluster processes from the environment, so it is set around
    the start and restored after.
    """
    ray = _import_ray()
    previous = os.environ.get("RAY_USAGE_STATS_ENABLED")
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    try:
        ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.ERROR, _node_ip_address="127.0.0.1")
    except (ConnectionError, RuntimeError, ValueError, OSError) as exc:
        raise DistributedError(f"cannot start a local Ray cluster: {exc}") from None
    finally:
        if previous is None:
            os.environ.pop("RAY_USAGE_STATS_ENABLED", None)
        else:
            os.environ["RAY_USAGE_STATS_ENABLED"] = previous


def _remote_error(ray: Any, exc: Exception) -> str:
    """One line for a failed remote call: the worker's own error if there is one."""
    cause = getattr(exc, "cause", None)
    if isinstance(exc, ray.exceptions.RayActorError):
        return f"the worker died while translating it ({type(exc).__name__})"
    if cause is not None:
        return f"{type(cause).__name__}: {cause}"
    return str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__


def translate_documents_ray(
    paths: Sequence[Path],
    locales_and_packages: Sequence[LocaleSpec],
    *,
    address: str | None,
    workers: int,
    options: DecodeOptions = _DEFAULT_OPTIONS,
    glossary_path: Path | None,
    catalog_dir: Path | None,
    domain_of: Callable[[Path], str],
    fail_fast: bool = False,
    on_progress: Callable[[int], None] | None = None,
    threads_per_worker: int = 1,
    on_done: Callable[[DocumentResult], None] | None = None,
    stdin: bytes | None = None,
) -> Iterator[RayDocumentResult]:
    """Translate every document into every locale on Ray workers; results in input order.

    ``address``: a running cluster ("auto", "ray://host:10001", "host:6379");
    None starts a private cluster on this machine with ``workers *
    threads_per_worker`` CPUs and stops it at the end (a cluster connected to
    is left running; one the caller already initialised is reused as is, and
    taken to be on this machine).
    ``glossary_path``: the glossary to enforce, None for none; every worker
    loads it once and must read the same bytes as the driver. A document that
    fails is reported in its result and the others go on, unless
    ``fail_fast``. Raises RayNotInstalled (before anything starts) without Ray;
    while iterating, DistributedError if the cluster cannot be reached or the
    workers cannot start, and a worker's own TermguardError (e.g. ModelError
    for a broken package) as it is. ``on_done`` runs on the driver as soon as
    a document's result arrives (to write its output at once); a
    TermguardError it raises becomes that document's error.
    """
    ray = _import_ray()  # now, not on first iteration: the CLI reports it up front
    if workers < 1:
        raise ValueError("workers must be at least 1")
    return _run(ray, list(paths), list(locales_and_packages), address=address, workers=workers,
                options=options, glossary_path=glossary_path, catalog_dir=catalog_dir,
                domain_of=domain_of, fail_fast=fail_fast, on_progress=on_progress,
                threads=max(1, threads_per_worker), on_done=on_done, stdin=stdin)


def _run(ray: Any, paths: list[Path], specs: list[LocaleSpec], *, address: str | None, workers: int,
         options: DecodeOptions, glossary_path: Path | None, catalog_dir: Path | None,
         domain_of: Callable[[Path], str], fail_fast: bool,
         on_progress: Callable[[int], None] | None, threads: int,
         on_done: Callable[[DocumentResult], None] | None = None,
         stdin: bytes | None = None) -> Iterator[RayDocumentResult]:
    expected_digest = None
    if glossary_path is not None:
        from glossary import load_glossary

        glossary_path = Path(glossary_path).resolve()
        expected_digest = load_glossary(glossary_path).digest  # fail here, before any cluster
    catalogs = str(Path(catalog_dir).resolve()) if catalog_dir is not None else None

    started = _connect(ray, address, workers * threads)
    actors: list[Any] = []
    try:
        actors = _start_workers(ray, specs, workers, threads, address is None,
                                str(glossary_path) if glossary_path else None, options, catalogs,
                                expected_digest)
        yield from _stream(ray, actors, paths, domain_of, fail_fast, on_progress, on_done, stdin)
    finally:
        for actor in actors:
            with contextlib.suppress(Exception):  # already dead, or the cluster is gone
                ray.kill(actor)
        if started:
            ray.shutdown()


def _start_workers(ray: Any, specs: list[LocaleSpec], workers: int, threads: int, local: bool,
                   glossary_path: str | None, options: DecodeOptions, catalogs: str | None,
                   expected_digest: str | None) -> list[Any]:
    """Create the actors and wait until each has loaded its glossary and models."""
    actor_options: dict[str, Any] = {"num_cpus": threads, "max_restarts": _MAX_RESTARTS,
                                     "max_task_retries": 0}
    if local:
        # Workers on this machine import termguard from where the driver does
        # (a checkout need not be installed). Remote nodes must install it.
        pythonpath = os.pathsep.join(p for p in (_SOURCE_ROOT, os.environ.get("PYTHONPATH")) if p)
        actor_options["runtime_env"] = {"env_vars": {"PYTHONPATH": pythonpath}}
    remote_worker = ray.remote(_Worker).options(**actor_options)
    actors = [remote_worker.remote(i, specs, glossary_path, options, catalogs, threads)
              for i in range(workers)]
    try:
        states = ray.get([a.ready.remote() for a in actors])
    except ray.exceptions.RayError as exc:
        for actor in actors:
            ray.kill(actor)
        cause = getattr(exc, "cause", None)
        if isinstance(cause, TermguardError):
            raise cause from None  # e.g. ModelError: the CLI reports it as it would locally
        raise DistributedError(f"the Ray workers could not start: {_remote_error(ray, exc)}") from None
    for state in states:
        if state["glossary_digest"] != expected_digest:
            for actor in actors:
                ray.kill(actor)
            raise DistributedError(
                f"worker {state['index']} on {state['node']} read a different glossary at "
                f"{glossary_path} than this machine; every node must see the same file")
    return actors


def _stream(ray: Any, actors: list[Any], paths: list[Path], domain_of: Callable[[Path], str],
            fail_fast: bool, on_progress: Callable[[int], None] | None,
            on_done: Callable[[DocumentResult], None] | None = None,
            stdin: bytes | None = None) -> Iterator[RayDocumentResult]:
    """Keep every worker busy with one document; yield results in input order.

    Documents are read only when a worker is free, and no document is sent
    more than ``window`` places ahead of the oldest one not yet yielded, so
    the driver's memory stays bounded however long the archive.
    """
    window = 8 * len(actors) + 16
    idle = list(range(len(actors)))
    deaths = [0] * len(actors)
    pending: dict[Any, tuple[int, int]] = {}  # object ref -> (document index, actor index)
    finished: dict[int, RayDocumentResult] = {}
    next_to_send = next_to_yield = done = 0

    def complete(index: int, result: RayDocumentResult) -> None:
        nonlocal done
        if on_done is not None and result.error is None:
            try:
                on_done(result)
            except TermguardError as exc:
                result.error = str(exc)
        finished[index] = result
        done += 1
        if on_progress:
            on_progress(done)

    try:
        while next_to_yield < len(paths):
            # Hand documents to free workers (reading them here, on the driver).
            while idle and next_to_send < len(paths) and next_to_send - next_to_yield < window:
                path = paths[next_to_send]
                try:
                    text = read_text(path, stdin=stdin)
                    domain = domain_of(path)
                except TermguardError as exc:
                    complete(next_to_send, RayDocumentResult(path, error=str(exc)))
                else:
                    slot = idle.pop(0)
                    ref = actors[slot].translate.remote(text, document_name(path), domain)
                    pending[ref] = (next_to_send, slot)
                next_to_send += 1
            # Yield whatever is next in input order.
            while next_to_yield in finished:
                result = finished.pop(next_to_yield)
                next_to_yield += 1
                yield result
                if result.error and fail_fast:
                    return
            if next_to_yield >= len(paths):
                break
            if not pending:
                if not idle:
                    raise DistributedError("every Ray worker has died; see the Ray logs")
                continue
            ready, _ = ray.wait(list(pending), num_returns=1)
            index, slot = pending.pop(ready[0])
            path = paths[index]
            try:
                reply: _Reply = ray.get(ready[0])
            except ray.exceptions.RayError as exc:
                complete(index, RayDocumentResult(path, error=f"{path}: {_remote_error(ray, exc)}"))
                if isinstance(exc, ray.exceptions.RayActorError):
                    deaths[slot] += 1
                    if deaths[slot] > _MAX_RESTARTS:
                        continue  # restarts used up: this worker stays out of the rotation
                idle.append(slot)
                continue
            deaths[slot] = 0
            idle.append(slot)
            complete(index, RayDocumentResult(path, reply.runs, reply.error, worker=reply.worker))
    finally:
        # Let documents already being translated finish, so no catalog write is
        # cut short when the caller stops early (fail_fast, or closing us).
        if pending:
            ray.wait(list(pending), num_returns=len(pending), timeout=600)
