"""Reaching a Ray cluster: importing Ray, connecting to a cluster or starting a private one, remote errors."""

from __future__ import annotations

import logging
import os
from typing import Any

from translate.errors import TermguardError

__all__ = ["INSTALL_HINT", "DistributedError", "RayNotInstalled", "connect", "import_ray", "remote_error",
           "start_local_cluster"]

INSTALL_HINT = "pip install 'termguard[ray]'"


class RayNotInstalled(TermguardError):
    """``--ray`` was asked for but the optional ``ray`` package is missing."""


class DistributedError(TermguardError):
    """The Ray cluster could not be reached, or its workers could not start."""


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise RayNotInstalled(f"distributed translation needs Ray: {INSTALL_HINT}") from None
    return ray


def connect(ray: Any, address: str | None, num_cpus: int) -> bool:
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
    ray = import_ray()
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


def remote_error(ray: Any, exc: Exception) -> str:
    """One line for a failed remote call: the worker's own error if there is one."""
    cause = getattr(exc, "cause", None)
    if isinstance(exc, ray.exceptions.RayActorError):
        return f"the worker died while translating it ({type(exc).__name__})"
    if cause is not None:
        return f"{type(cause).__name__}: {cause}"
    return str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
