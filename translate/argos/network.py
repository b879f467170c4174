"""Bounded HTTP(S) fetches: scheme, size and an overall deadline a slow server cannot stretch.

urllib's timeout applies to each socket operation, so a server sending one
byte a second never times out, and urlopen accepts ``file:``, ``data:`` and
``ftp:`` links from an index. Here only http and https are fetched, the body
is capped (checked against Content-Length and against what arrives) and a
watchdog shuts the socket down when the overall deadline passes, whatever
the server does.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable
from typing import BinaryIO

from translate.errors import IndexUnreachable

Progress = Callable[[int, int | None], None]
MAX_REDIRECTS = 5
READ_TIMEOUT = 15.0  # one socket operation


class FetchError(IndexUnreachable):
    """One URL could not be fetched; the message says why, in a few words."""


def _size(n: int) -> str:
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def check_url(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = parts.scheme + ":" if parts.scheme else repr(url[:60])
        raise FetchError(f"{shown} links are not fetched (http and https only)")
    return parts


def fetch(url: str, out: BinaryIO, *, max_bytes: int, deadline: float,
          progress: Progress | None = None, read_timeout: float = READ_TIMEOUT) -> int:
    """Write the body of ``url`` to ``out``; returns its size.

    Raises FetchError when the scheme is not http(s), the server answers
    with an error, the body is (or claims to be) larger than ``max_bytes``,
    it ends before its Content-Length, or ``deadline`` seconds pass.
    """
    start = time.monotonic()
    for _ in range(MAX_REDIRECTS + 1):
        parts = check_url(url)
        remaining = deadline - (time.monotonic() - start)
        if remaining <= 0:
            raise FetchError(f"no answer within {deadline:g} s")
        connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        kwargs = {"context": ssl.create_default_context()} if parts.scheme == "https" else {}
        conn = connection_class(parts.hostname or "", parts.port, timeout=min(read_timeout, remaining),
                                **kwargs)  # type: ignore[arg-type, call-overload]  # context only for https
        expired = threading.Event()

        def stop(conn: http.client.HTTPConnection = conn, expired: threading.Event = expired) -> None:
            expired.set()
            sock = conn.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked read in the other thread
                except OSError:
                    pass

        watchdog = threading.Timer(remaining, stop)
        watchdog.daemon = True
        watchdog.start()
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", path, headers={"User-Agent": "termguard", "Accept-Encoding": "identity"})
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urllib.parse.urljoin(url, response.getheader("Location", ""))
                continue
            if response.status != 200:
                raise FetchError(f"HTTP {response.status} {response.reason}".strip())
            header = response.getheader("Content-Length")
            total = int(header) if header and header.strip().isdigit() else None
            if total is not None and total > max_bytes:
                raise FetchError(f"the server announces {_size(total)}, more than the {_size(max_bytes)} allowed")
            done = 0
            while True:
                chunk = response.read1(1 << 16)
                if not chunk:
                    break
                done += len(chunk)
                if done > max_bytes:
                    raise FetchError(f"more than the {_size(max_bytes)} allowed arrived; stopped")
                out.write(chunk)
                if progress:
                    progress(done, total)
                if expired.is_set():
                    break
            if expired.is_set():
                raise FetchError(f"not finished within {deadline:g} s ({_size(done)} received)")
            if total is not None and done < total:
                raise FetchError(f"truncated: {_size(done)} of {_size(total)} arrived")
            return done
        except FetchError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if expired.is_set():
                raise FetchError(f"not finished within {deadline:g} s") from exc
            reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
            raise FetchError(str(reason) or type(exc).__name__) from exc
        finally:
            watchdog.cancel()
            conn.close()
    raise FetchError(f"more than {MAX_REDIRECTS} redirects")
