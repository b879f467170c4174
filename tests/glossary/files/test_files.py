"""The one file layer (glossary.files): every kind of target, conflicts, groups killed at every step."""

from __future__ import annotations

import os
import select
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from glossary.files import (
    ConcurrentEditError,
    FileInputError,
    FileLockTimeout,
    FileWriteError,
    lock_path,
    locked,
    read_text,
    snapshot,
    write_bytes,
    write_group,
    write_text,
)

ROOT = Path(__file__).resolve().parents[3]
IS_ROOT = os.geteuid() == 0


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".termguard-journal", ".lock")))


# --------------------------------------------------------------------------- regular and missing files


def test_regular_file_is_replaced_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    target.chmod(0o640)
    inode = target.stat().st_ino
    write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_ino != inode  # replaced by a rename, not rewritten in place
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not IS_ROOT, reason="giving a file to another user needs root")
def test_owner_is_kept_when_root_rewrites_a_users_file(tmp_path: Path) -> None:
    target = tmp_path / "catalog.po"
    target.write_text("old\n")
    os.chown(target, 4321, 4321)
    write_text(target, "new\n")
    info = target.stat()
    assert (info.st_uid, info.st_gid) == (4321, 4321)
    assert target.read_text() == "new\n"


def test_missing_file_is_created_with_its_folders_and_umask_mode(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.txt"
    with pytest.raises(FileWriteError, match="No such file"):
        write_bytes(target, b"data")  # a mistyped folder is not created unasked
    old = os.umask(0o027)
    try:
        write_bytes(target, b"data", parents=True)
    finally:
        os.umask(old)
    assert target.read_bytes() == b"data"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_line_endings_and_bom_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "g.yaml"
    target.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: 2\r\n")
    before = snapshot(target)
    assert before.newline == "\r\n" and before.bom
    write_text(target, "a: 1\nb: 3\n", expect=before, newline_like=before)
    assert target.read_bytes() == b"\xef\xbb\xbfa: 1\r\nb: 3\r\n"
    write_text(target, "x\n", newline_like="\n")
    assert target.read_bytes() == b"x\n"


# --------------------------------------------------------------------------- symlinks, devices, FIFOs


def test_symlink_is_written_through_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link"
    link.symlink_to("real.txt")
    write_text(link, "through\n")
    assert link.is_symlink()
    assert real.read_text() == "through\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "sub" / "made.txt")
    write_text(link, "x", parents=True)
    assert link.is_symlink() and (tmp_path / "sub" / "made.txt").read_text() == "x"


def test_symlink_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(FileWriteError, match="symlink loop"):
        write_text(tmp_path / "a", "x")


def _make_null_device(path: Path) -> None:
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs root")


def test_character_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    node = tmp_path / "nulldev"
    _make_null_device(node)
    write_text(node, "into the void\n")
    assert stat.S_ISCHR(node.lstat().st_mode)
    assert leftovers(tmp_path) == []


def test_dev_null_stays_a_device() -> None:
    write_text("/dev/null", "nothing\n")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_fifo_is_written_through_to_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    ready = threading.Event()

    def reader() -> None:
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        ready.set()
        chunks: list[bytes] = []
        while True:
            select.select([fd], [], [], 0.05)
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                continue
            if chunk:
                chunks.append(chunk)
            elif chunks:  # the writer has been and gone
                break
        os.close(fd)
        received.append(b"".join(chunks))

    thread = threading.Thread(target=reader)
    thread.start()
    ready.wait()
    write_bytes(fifo, b"x" * 200_000)
    thread.join(timeout=30)
    assert received == [b"x" * 200_000]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_fifo_without_reader_is_refused_not_hung(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileWriteError, match="nobody reads"):
        write_text(fifo, "x")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_folder_and_socket_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError, match="is a folder"):
        write_text(tmp_path, "x")
    sock_path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        with pytest.raises(FileWriteError, match="is a socket"):
            write_text(sock_path, "x")
    finally:
        server.close()
    assert stat.S_ISSOCK(sock_path.lstat().st_mode)


# --------------------------------------------------------------------------- reading


def test_read_text_drops_bom_and_keeps_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfone\r\ntwo\n")
    assert read_text(path) == "one\r\ntwo\n"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_bytes(b"caf\xe9\n"), r"not UTF-8 text \(byte 0xe9 at offset 3\)"),
    ],
)
def test_read_text_errors_are_one_line(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "input"
    make(path)
    with pytest.raises(FileInputError, match=message) as caught:
        read_text(path)
    assert "\n" not in str(caught.value)
    assert caught.value.exit_code == 2


def test_read_text_bounds_an_endless_device() -> None:
    with pytest.raises(FileInputError, match="more than 1 KB"):
        read_text("/dev/zero", limit=1024)


def test_read_text_bounds_a_regular_file_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big"
    with big.open("wb") as handle:
        handle.truncate(10_000)
    with pytest.raises(FileInputError, match="too large"):
        read_text(big, limit=1000)


def test_read_text_from_a_fifo_and_a_silent_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "in"
    os.mkfifo(fifo)

    def writer() -> None:
        with open(fifo, "wb") as handle:
            handle.write("Karabakh\n".encode())

    thread = threading.Thread(target=writer)
    thread.start()
    assert read_text(fifo) == "Karabakh\n"
    thread.join()
    with pytest.raises(FileInputError, match="no data arrived"):
        read_text(fifo, timeout=0.3)


def test_read_text_bounds_an_endless_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "in"
    os.mkfifo(fifo)
    writer = subprocess.Popen(
        [sys.executable, "-c", f"f=open({str(fifo)!r},'wb')\nwhile True: f.write(b'a'*65536)"],
        stderr=subprocess.DEVNULL,
    )
    try:
        with pytest.raises(FileInputError, match="more than"):
            read_text(fifo, limit=1 << 20)
    finally:
        writer.kill()
        writer.wait()


def test_control_characters_in_names_are_escaped(tmp_path: Path) -> None:
    with pytest.raises(FileInputError) as caught:
        read_text(tmp_path / "a\tb\x1b[2J")
    assert "\t" not in str(caught.value) and "\x1b" not in str(caught.value)
    assert "\\t" in str(caught.value)


def test_non_utf8_file_name_is_shown(tmp_path: Path) -> None:
    name = os.fsencode(str(tmp_path)) + b"/caf\xe9.txt"
    with pytest.raises(FileInputError, match=r"caf\\xe9"):
        read_text(name.decode("utf-8", "surrogateescape"))


# --------------------------------------------------------------------------- expect


def test_expect_refuses_to_overwrite_a_save_made_since_reading(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("v1\n")
    seen = snapshot(path)
    path.write_text("editor's save\n")
    with pytest.raises(ConcurrentEditError, match="changed since it was read") as caught:
        write_text(path, "ours\n", expect=seen)
    assert caught.value.exit_code == 1
    assert path.read_text() == "editor's save\n"
    assert leftovers(tmp_path) == []


def test_expect_missing_refuses_a_file_created_since(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    seen = snapshot(path)
    assert not seen.exists
    path.write_text("someone\n")
    with pytest.raises(ConcurrentEditError):
        write_text(path, "ours\n", expect=seen)
    assert path.read_text() == "someone\n"


def test_expect_unchanged_file_is_written(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("v1\n")
    write_text(path, "v2\n", expect=snapshot(path))
    assert path.read_text() == "v2\n"


# --------------------------------------------------------------------------- groups


def test_group_writes_all_files(tmp_path: Path) -> None:
    a, b = tmp_path / "g.yaml", tmp_path / "g.history.yaml"
    a.write_text("old a")
    write_group([(a, "new a", snapshot(a)), (b, b"new b", snapshot(b))])
    assert (a.read_text(), b.read_text()) == ("new a", "new b")
    assert leftovers(tmp_path) == []


def test_group_conflict_in_any_file_writes_none(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_text("a1")
    b.write_text("b1")
    seen_a, seen_b = snapshot(a), snapshot(b)
    b.write_text("b edited")
    with pytest.raises(ConcurrentEditError):
        write_group([(a, "a2", seen_a), (b, "b2", seen_b)])
    assert (a.read_text(), b.read_text()) == ("a1", "b edited")
    assert leftovers(tmp_path) == []


def test_group_failure_on_a_later_file_leaves_the_first_unchanged(tmp_path: Path) -> None:
    a = tmp_path / "a"
    a.write_text("a1")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(FileWriteError, match="cannot write it"):
        write_group([(a, "a2", None), (blocker / "b", "b2", None)])
    assert a.read_text() == "a1"
    assert leftovers(tmp_path) == []


def test_group_disk_full_on_a_later_file_changes_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from glossary.files import groups

    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("a1")
    b.write_text("b1")

    def full(step: str) -> None:
        if step == "temp:b.yaml":
            raise OSError(28, "No space left on device", str(b))

    monkeypatch.setattr(groups, "_fault", full)
    with pytest.raises(FileWriteError, match="No space left on device.*no file was changed"):
        write_group([(a, "a2", None), (b, "b2", None)])
    assert (a.read_text(), b.read_text()) == ("a1", "b1")
    assert leftovers(tmp_path) == []


def test_group_refuses_devices(tmp_path: Path) -> None:
    with pytest.raises(FileWriteError, match="several files"):
        write_group([(tmp_path / "a", "x", None), ("/dev/null", "y", None)])
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("write", ["write_bytes", "write_text", "write_group"])
def test_a_failing_temporary_file_fails_every_replacing_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              write: str) -> None:
    # The fault tests replace atomic.write_temp: every replacing write must go through it.
    from glossary.files import atomic

    target = tmp_path / "a.yaml"
    target.write_text("old")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "write_temp", fail)
    with pytest.raises(FileWriteError, match="No space left on device"):
        if write == "write_bytes":
            write_bytes(target, b"new")
        elif write == "write_text":
            write_text(target, "new")
        else:
            write_group([(target, "new", None), (tmp_path / "b.yaml", "new", None)])
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


STEPS = [
    "journal-prepare",
    "temp:a.yaml",
    "temp:b.yaml",
    "temp:c.yaml",
    "journal-commit",
    "replace:a.yaml",
    "replace:b.yaml",
    "replace:c.yaml",
    "done",
]

_KILLER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {root!r})
    from glossary.files import groups
    step = sys.argv[1]
    def fault(name):
        if name == step:
            os.kill(os.getpid(), signal.SIGKILL)
    groups._fault = fault
    folder = sys.argv[2]
    names = ["a.yaml", "b.yaml", "c.yaml"]
    groups.write_group([(os.path.join(folder, n), "new " + n, None) for n in names])
    """
)


@pytest.mark.parametrize("step", STEPS)
def test_group_killed_at_any_step_is_all_or_nothing_on_next_access(tmp_path: Path, step: str) -> None:
    names = ["a.yaml", "b.yaml", "c.yaml"]
    for name in names:
        (tmp_path / name).write_text("old " + name)
    script = _KILLER.format(root=str(ROOT))
    result = subprocess.run([sys.executable, "-c", script, step, str(tmp_path)], capture_output=True)
    assert result.returncode == -signal.SIGKILL, result.stderr
    read_text(tmp_path / "a.yaml")  # the next access settles the interrupted change
    contents = [(tmp_path / n).read_text() for n in names]
    committed = STEPS.index(step) >= STEPS.index("journal-commit")
    expected = ["new " + n if committed else "old " + n for n in names]
    assert contents == expected
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- locks


def test_lock_file_is_outside_the_users_folder(tmp_path: Path) -> None:
    target = tmp_path / "catalog.po"
    with locked(target):
        pass
    assert list(tmp_path.iterdir()) == []
    assert tmp_path not in lock_path(target).parents
    # One lock whatever spelling of the path.
    assert lock_path(target) == lock_path(tmp_path / "." / "catalog.po")


def test_lock_excludes_another_process(tmp_path: Path) -> None:
    target = tmp_path / "g.yaml"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from glossary.files import locked\n"
            f"with locked({str(target)!r}):\n"
            "    print('held', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(FileLockTimeout, match="another termguard command"), locked(target, timeout=0.2):
            pass
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    with locked(target, timeout=5):
        pass


def test_lock_is_reentrant_in_one_thread(tmp_path: Path) -> None:
    target = tmp_path / "x"
    with locked(target), locked(target):
        write_text(target, "ok")
    assert target.read_text() == "ok"


def test_open_for_replace_streams_whole_or_not_at_all(tmp_path: Path) -> None:
    from glossary.files import open_for_replace

    target = tmp_path / "model.argosmodel"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with pytest.raises(RuntimeError), open_for_replace(target) as out:
        out.write(b"half of a down")
        raise RuntimeError("connection lost")
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []
    with open_for_replace(target) as out:
        out.write(b"new ")
        out.write(b"bytes")
    assert target.read_bytes() == b"new bytes"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and leftovers(tmp_path) == []


def test_lock_excludes_another_thread_until_released(tmp_path: Path) -> None:
    target = tmp_path / "g.yaml"
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with locked(target):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        with pytest.raises(FileLockTimeout, match=r"waited 0 s\); try again"), locked(target, timeout=0):
            pass
    finally:
        release.set()
        holder.join(10)
    with locked(target, timeout=5):
        pass


def test_lock_a_file_that_cannot_be_opened_is_a_write_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    (cache / "termguard").mkdir(parents=True)
    (cache / "termguard" / "locks").mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    target = tmp_path / "g.yaml"
    lock_path(target).mkdir()  # a folder where the lock file would be
    with pytest.raises(FileWriteError, match="cannot take its lock"), locked(target):
        pass
