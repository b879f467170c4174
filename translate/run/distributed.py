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
imported when a distributed job starts. The actor's body is
``translate.run.ray_worker``; reaching the cluster, ``translate.run.ray_cluster``.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import translate
from translate.argos.engine import DecodeOptions
from translate.errors import TermguardError
from translate.run.batch import DocumentResult, document_name
from translate.run.ray_cluster import DistributedError, connect, import_ray, remote_error
from translate.run.ray_worker import LocaleSpec, Worker, WorkerInfo, WorkerReply
from translate.run.reading import read_text

# The folder that holds the `translate` and `glossary` packages: workers of a
# cluster on this machine get it on their PYTHONPATH, so a source checkout
# works without installing termguard.
_SOURCE_ROOT = str(Path(translate.__file__).resolve().parent.parent)
# Consecutive deaths after which a worker is taken out of the rotation (Ray
# restarts a dead worker up to _MAX_RESTARTS times; past that every call fails).
_MAX_RESTARTS = 2
_DEFAULT_OPTIONS = DecodeOptions()


@dataclass
class RayDocumentResult(DocumentResult):
    """A ``DocumentResult`` plus the worker that produced it (None: never sent)."""

    worker: WorkerInfo | None = None

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
    ray = import_ray()  # now, not on first iteration: the CLI reports it up front
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

    started = connect(ray, address, workers * threads)
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
    remote_worker = ray.remote(Worker).options(**actor_options)
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
        raise DistributedError(f"the Ray workers could not start: {remote_error(ray, exc)}") from None
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
                reply: WorkerReply = ray.get(ready[0])
            except ray.exceptions.RayError as exc:
                complete(index, RayDocumentResult(path, error=f"{path}: {remote_error(ray, exc)}"))
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
