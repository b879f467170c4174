"""An adversarial pass over termguard's command line: hostile inputs, servers, files and races.

    python benchmarks/attacks.py              # a deterministic fifth of the matrix (~300 attacks)
    python benchmarks/attacks.py --all        # the whole matrix (~930 attacks)
    python benchmarks/attacks.py --quick      # a subset for the CI smoke test
    python benchmarks/attacks.py --json out.json --jobs 3 --only hidden,index

It drives the installed ``termguard`` console script as a user would (a
subprocess each time, in temporary folders, with the bundled test model
installed into a private ARGOS_PACKAGES_DIR and any package index served on
127.0.0.1); it imports nothing of termguard, so it survives a reorganisation
of the modules. Attacks are generated combinatorially (payload x command x
position). Each one states what safe behaviour is: an exit code among those
allowed, no traceback, one line for bad input, no raw terminal controls in
the output, files left intact where they must be, no contested term smuggled
past a check. It prints one line per attack class (tried / handled) and a
total, and exits 1 if any attack was not handled.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import hashlib
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "tests" / "model" / "translate-en_qtc-1_0.argosmodel"
GLOSSARY = REPO / "tests" / "model" / "glossary-qtc.yaml"
LEXICON = REPO / "tests" / "model" / "lexicon.tsv"

# What a terminal would act on: ESC, C1 controls, BEL, BS, CR, DEL, and the bidi
# embeddings, overrides and isolates. None may reach the terminal raw.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def _termguard() -> list[str]:
    for candidate in (Path(sys.executable).parent / "termguard", REPO / ".venv" / "bin" / "termguard"):
        if candidate.is_file():
            return [str(candidate)]
    found = shutil.which("termguard")
    if not found:
        raise SystemExit("attacks: the termguard command is not installed (run tools/setup.sh)")
    return [found]


TERMGUARD = _termguard()


# ----------------------------------------------------------------------- running termguard


@dataclass
class Run:
    code: int | None  # None: killed at the time limit
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err


class Env:
    """The private home every attack runs in: packages, settings, the index server."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.packages = root / "packages"
        self.vars = dict(os.environ)
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            self.vars[var] = str(self.home / var.lower())
        self.vars["ARGOS_PACKAGES_DIR"] = str(self.packages)
        self.vars["ARGOS_PACKAGE_INDEX"] = "http://127.0.0.1:9/"
        self.vars["PYTHONUNBUFFERED"] = "1"
        self.vars.pop("TERMGUARD_CONFIG", None)
        self.server = Server()
        self.counter = 0
        self.lock = threading.Lock()

    def folder(self, name: str) -> Path:
        with self.lock:
            self.counter += 1
            n = self.counter
        path = self.root / "runs" / f"{n:04d}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)[:60]}"
        path.mkdir(parents=True)
        return path

    def run(self, args: list[str], cwd: Path, *, stdin: bytes | None = None, timeout: float = 120,
            env: dict[str, str] | None = None) -> Run:
        start = time.monotonic()
        merged = dict(self.vars)
        merged.update(env or {})
        proc = subprocess.Popen([*TERMGUARD, *args], cwd=cwd, env=merged, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            out, err = proc.communicate(stdin, timeout=timeout)
            code: int | None = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            code = None
        return Run(code, out.decode("utf-8", "replace")[:200_000], err.decode("utf-8", "replace")[:200_000],
                   time.monotonic() - start)


def verdict(run: Run, codes: tuple[int, ...], *, one_line: bool = True, controls: bool = True) -> str | None:
    """None when the run behaved safely, else why not."""
    if run.code is None:
        return f"did not end within {run.seconds:.0f} s"
    if "Traceback (most recent call last)" in run.text:
        last = [line for line in run.err.splitlines() if line.strip()][-1:] or ["?"]
        return f"traceback: {last[0][:120]}"
    if run.code not in codes:
        shown = (run.err.strip() or run.out.strip()).splitlines()[:1]
        return f"exit {run.code}, wanted {codes}: {shown[0][:120] if shown else ''}"
    if one_line and run.code == 2:
        # One error line; the problems an invalid glossary lists follow it indented.
        lines = [line for line in run.err.splitlines() if line.strip() and not line.startswith("  ")]
        if len(lines) != 1:
            return f"bad input gave {len(lines)} error lines on stderr, not one"
    if controls and RAW_CONTROL.search(run.text):
        char = RAW_CONTROL.search(run.text).group()  # type: ignore[union-attr]
        return f"raw control U+{ord(char):04X} reached the terminal"
    return None


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


# ---------------------------------------------------------------------------- the server


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[str, bytes, dict[str, str]]]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        kind, body, headers = self.routes.get(self.path, ("missing", b"", {}))
        if kind == "missing":
            self.send_error(404)
            return
        if kind == "redirect":
            self.send_response(302)
            self.send_header("Location", body.decode())
            self.end_headers()
            return
        self.send_response(200)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        try:
            if kind == "drip":
                for _ in range(100_000):
                    self.wfile.write(b"[")
                    self.wfile.flush()
                    time.sleep(2)
            elif kind == "endless":
                chunk = b" " * 65536
                while True:
                    self.wfile.write(chunk)
            else:
                self.wfile.write(body)
        except OSError:
            pass


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[str, bytes, dict[str, str]]] = {}
        handler = type("H", (_Handler,), {"routes": self.routes})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ------------------------------------------------------------------------------ attacks


@dataclass
class Attack:
    cls: str
    name: str
    go: Callable[[Env], str | None]
    quick: bool = False
    slow: bool = False  # minutes on purpose (a real deadline): full runs only


@dataclass
class Result:
    cls: str
    name: str
    handled: bool
    reason: str | None
    seconds: float


@dataclass
class Catalogue:
    attacks: list[Attack] = field(default_factory=list)

    def add(self, cls: str, name: str, go: Callable[[Env], str | None], *, quick: bool = False,
            slow: bool = False) -> None:
        self.attacks.append(Attack(cls, name, go, quick, slow))


def _setup_glossary(folder: Path, data: bytes | None = None) -> Path:
    path = folder / "g.yaml"
    path.write_bytes(GLOSSARY.read_bytes() if data is None else data)
    return path


INVISIBLE = {"soft-hyphen": "\u00ad", "lrm": "\u200e", "rlm": "\u200f", "alm": "\u061c", "cgj": "\u034f",
             "invisible-separator": "\u2063", "vs16": "\ufe0f", "vs1": "\ufe00", "mongolian-vs": "\u180e",
             "zwsp": "\u200b", "zwj": "\u200d", "zwnj": "\u200c", "word-joiner": "\u2060", "bom": "\ufeff"}


def _hide(term: str, char: str, where: str) -> str:
    at = {"after-first": 1, "middle": len(term) // 2, "before-last": len(term) - 1}[where]
    return term[:at] + char + term[at:]


def _lookalikes(term: str) -> dict[str, str]:
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in term)
    cyr = str.maketrans({"a": "\u0430", "e": "\u0435", "o": "\u043e", "A": "\u0410", "K": "\u041a",
                         "k": "\u043a", "h": "\u04bb", "r": "\u0433"})
    first_a = term.index("a")
    return {"fullwidth": fullwidth,
            "cyrillic-a": term[:first_a] + "\u0430" + term[first_a + 1:],
            "cyrillic-all": term.translate(cyr),
            "fullwidth-first": fullwidth[0] + term[1:]}


def _bidi(term: str) -> dict[str, str]:
    return {"rlo-reversed": "\u202e" + term[::-1] + "\u202c",
            "lro": "\u202d" + term + "\u202c",
            "rle": "\u202b" + term + "\u202c",
            "rli-isolate": "\u2067" + term + "\u2069",
            "fsi-isolate": "\u2068" + term + "\u2069"}


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def hidden_attacks(cat: Catalogue) -> None:
    """Invisible, look-alike and bidi characters inside contested terms, through every checking command."""
    variants: list[tuple[str, Callable[[str], str]]] = []
    for cname, char in INVISIBLE.items():
        for where in ("after-first", "middle", "before-last"):
            variants.append((f"{cname}@{where}", lambda t, c=char, w=where: _hide(t, c, w)))
    for lname in _lookalikes("Artsakh"):
        variants.append((lname, lambda t, n=lname: _lookalikes(t)[n]))
    for bname in _bidi("Artsakh"):
        variants.append((bname, lambda t, n=bname: _bidi(t)[n]))

    def glossary_check(mangle: Callable[[str], str]) -> Callable[[Env], str | None]:
        def go(env: Env) -> str | None:
            folder = env.folder("hidden-gcheck")
            _setup_glossary(folder)
            _write(folder, "a.txt", f"Leaders in {mangle('Artsakh')} met.\n")
            run = env.run(["glossary", "check", "a.txt", "--glossary", "g.yaml"], folder)
            bad = verdict(run, (1,))
            if bad:
                return bad + (" (the forbidden term went unseen)" if run.code == 0 else "")
            return None if "artsakh" in run.out else "exit 1 but artsakh not named"
        return go

    def check_dropped(mangle: Callable[[str], str]) -> Callable[[Env], str | None]:
        def go(env: Env) -> str | None:
            folder = env.folder("hidden-dropped")
            _setup_glossary(folder)
            _write(folder, "s.txt", f"Leaders in {mangle('Karabakh')} met.\n")
            _write(folder, "t.txt", "Mozozig du tim luzof.\n")
            run = env.run(["check", "s.txt", "t.txt", "--locale", "qtc", "--glossary", "g.yaml"], folder)
            bad = verdict(run, (1,))
            return bad + (" (a dropped term passed)" if run.code == 0 else "") if bad else None
        return go

    def check_preferred(mangle: Callable[[str], str]) -> Callable[[Env], str | None]:
        def go(env: Env) -> str | None:
            folder = env.folder("hidden-preferred")
            _setup_glossary(folder)
            _write(folder, "s.txt", "Leaders in Karabakh met.\n")
            _write(folder, "t.txt", f"Mozozig du {mangle('Gezalafo')} tim luzof.\n")
            return verdict(env.run(["check", "s.txt", "t.txt", "--locale", "qtc", "--glossary", "g.yaml"],
                                   folder), (0,))
        return go

    def check_forbidden_in_translation(mangle: Callable[[str], str]) -> Callable[[Env], str | None]:
        # Artsakh's qtc rendering in our own voice where the source says Karabakh.
        def go(env: Env) -> str | None:
            folder = env.folder("hidden-forbidden-target")
            _setup_glossary(folder)
            _write(folder, "s.txt", "Leaders in Karabakh met.\n")
            _write(folder, "t.txt", f"Mozozig du {mangle('Fadazip')} tim luzof.\n")
            run = env.run(["check", "s.txt", "t.txt", "--locale", "qtc", "--glossary", "g.yaml"], folder)
            bad = verdict(run, (1,))
            return bad + (" (a wrong rendering passed)" if run.code == 0 else "") if bad else None
        return go

    def translate(mangle: Callable[[str], str]) -> Callable[[Env], str | None]:
        def go(env: Env) -> str | None:
            folder = env.folder("hidden-translate")
            _setup_glossary(folder)
            _write(folder, "a.txt", f"Leaders in {mangle('Karabakh')} met.\n")
            run = env.run(["translate", "a.txt", "--to", "qtc", "--glossary", "g.yaml", "--no-catalog",
                           "-o", "a.qtc.txt"], folder)
            bad = verdict(run, (0,))
            if bad:
                return bad
            text = (folder / "a.qtc.txt").read_text(encoding="utf-8")
            return None if "Gezalafo" in text else f"term not enforced: {text.strip()!r}"
        return go

    for i, (vname, mangle) in enumerate(variants):
        quick = i % 18 == 0
        cat.add("hidden", f"glossary check {vname}", glossary_check(mangle), quick=quick)
        cat.add("hidden", f"check dropped {vname}", check_dropped(mangle), quick=quick)
        if not vname.startswith(("rlo", "cyrillic-all")):
            # A reversed or wholly Cyrillic word is a different word, not the preferred one.
            cat.add("hidden", f"check preferred {vname}", check_preferred(mangle))
        cat.add("hidden", f"check forbidden target {vname}", check_forbidden_in_translation(mangle))
        if i % 3 == 0 or not vname.count("@"):
            cat.add("hidden", f"translate {vname}", translate(mangle), quick=quick)


# --------------------------------------------------------------------- hostile glossaries


def _glossary_variants() -> dict[str, bytes]:
    good = GLOSSARY.read_bytes()
    crlf = good.replace(b"\n", b"\r\n")
    text = good.decode("utf-8")
    at = text.index("    - text: Gezalafo\n")

    def with_note(escaped: str) -> bytes:
        return (text[:at] + f'    - text: Gezalafo\n      note: "bad{escaped}note"\n'
                + text[at + len("    - text: Gezalafo\n"):]).encode("utf-8")

    laughs = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
        f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(9))
    return {
        "crlf": crlf,
        "bom": b"\xef\xbb\xbf" + good,
        "crlf+bom": b"\xef\xbb\xbf" + crlf,
        "cr-only": good.replace(b"\n", b"\r"),
        "invalid-yaml": b"schema: 1\nconcepts: [\n  - {id: x\n",
        "not-a-mapping": b"- 1\n- 2\n",
        "empty": b"",
        "binary": b"\x00\xff\xfe" * 300,
        "utf16": text.encode("utf-16"),
        "latin1": text.replace("Karabakh", "Karabach\u00e9").encode("latin-1", "replace"),
        "deep-nesting": b"concepts: " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
        "billion-laughs": laughs.encode(),
        "huge": good + (b"# " + b"x" * 1000 + b"\n") * 40_000,
        "tbx-unsafe-c0": with_note("\\x01"),
        "tbx-unsafe-fffe": with_note("\\ufffe"),
        "tbx-unsafe-surrogate": with_note("\\ud800"),
        "tab-indent": good.replace(b"  - id: karabakh", b"\t- id: karabakh", 1),
        "duplicate-concept": good + text[text.index("- id: karabakh"):text.index("- id: nagorno-karabakh")].encode(),
    }


GLOSSARY_COMMANDS: dict[str, list[str]] = {
    "lint": ["glossary", "lint", "--glossary", "g.yaml"],
    "show": ["glossary", "show", "--glossary", "g.yaml"],
    "show-concept": ["glossary", "show", "karabakh", "--glossary", "g.yaml"],
    "glossary-check": ["glossary", "check", "a.txt", "--glossary", "g.yaml"],
    "check": ["check", "a.txt", "t.txt", "--locale", "qtc", "--glossary", "g.yaml"],
    "export-tbx": ["glossary", "export", "--format", "tbx", "-o", "x.tbx", "--glossary", "g.yaml"],
    "export-csv": ["glossary", "export", "--format", "csv", "--locale", "qtc", "-o", "x.csv", "--glossary", "g.yaml"],
    "translate": ["translate", "a.txt", "--to", "qtc", "--glossary", "g.yaml", "--no-catalog", "-o", "o.txt"],
}

FORM_KEEPING = {"crlf", "bom", "crlf+bom", "cr-only"}
UNSAFE = {"tbx-unsafe-c0", "tbx-unsafe-fffe", "tbx-unsafe-surrogate"}


def glossary_attacks(cat: Catalogue) -> None:
    variants = _glossary_variants()
    for vname, data in variants.items():
        for cname, args in GLOSSARY_COMMANDS.items():
            if vname == "huge" and cname not in ("lint", "check", "translate"):
                continue

            def go(env: Env, data: bytes = data, args: list[str] = args, vname: str = vname,
                   cname: str = cname) -> str | None:
                folder = env.folder(f"glossary-{vname}-{cname}")
                path = _setup_glossary(folder, data)
                _write(folder, "a.txt", "Leaders in Karabakh met.\n")
                _write(folder, "t.txt", "Mozozig du Gezalafo tim luzof.\n")
                if vname in FORM_KEEPING or vname in ("huge", "tab-indent", "duplicate-concept"):
                    codes: tuple[int, ...] = (0, 1, 2)
                    if vname in FORM_KEEPING:
                        codes = (0,)
                elif vname in UNSAFE:
                    # lint and the exports must agree: the value cannot be written, so both refuse.
                    codes = (1, 2) if cname in ("lint", "export-tbx") else (0, 1, 2)
                else:
                    codes = (1, 2)
                run = env.run(args, folder, timeout=120)
                bad = verdict(run, codes, one_line=cname != "lint")
                if bad:
                    return bad
                if digest(path) != hashlib.sha256(data).hexdigest():
                    return "the glossary was changed by a command that only reads it"
                return None
            cat.add("glossary-file", f"{vname} x {cname}", go, quick=cname in ("lint", "check") and
                    vname in ("crlf+bom", "invalid-yaml", "tbx-unsafe-c0", "billion-laughs"))

    # Line endings and BOM survive an approve, and the diff is the change alone.
    for vname in sorted(FORM_KEEPING):
        def keep(env: Env, data: bytes = variants[vname], vname: str = vname) -> str | None:
            folder = env.folder(f"form-{vname}")
            path = _setup_glossary(folder, data)
            run = env.run(["glossary", "propose", "karabakh", "--locale", "qtc", "--rendering", "Gezalafoq",
                           "--status", "admitted", "--reason", "desk", "--by", "ana", "--glossary", "g.yaml"],
                          folder)
            bad = verdict(run, (0,)) or verdict(env.run(["glossary", "approve", "P1", "--by", "ana",
                                                         "--glossary", "g.yaml"], folder), (0,))
            if bad:
                return bad
            after = path.read_bytes()
            if data.startswith(b"\xef\xbb\xbf") != after.startswith(b"\xef\xbb\xbf"):
                return "the BOM was not kept"
            newline = b"\r\n" if b"\r\n" in data else (b"\r" if b"\r" in data else b"\n")
            stripped = after.replace(newline, b"")
            if any(c in stripped for c in (b"\r", b"\n")):
                return "line endings were mixed by the rewrite"
            before_lines, after_lines = data.split(newline), after.split(newline)
            changed = len(set(after_lines) - set(before_lines)) + len(set(before_lines) - set(after_lines))
            return None if "Gezalafoq" in after.decode("utf-8-sig") and changed <= 4 else \
                f"{changed} lines changed for one added rendering"
        cat.add("glossary-file", f"{vname} kept through approve", keep, quick=vname == "crlf+bom")


FORMULAS = ["=1+1", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1",
            "\r=1+1", "=cmd|'/C calc'!A0", "+1", "-1", "@A1", " =1+1", "\n=1+1", "=DDE(\"cmd\")"]


def _csv_unsafe(text: str) -> str | None:
    import csv
    import io

    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not cell.startswith("'"):
                return cell
            if cell.lstrip(" \t\r\n")[:1] in ("=", "+", "@"):
                return cell
    return None


def formula_attacks(cat: Catalogue) -> None:
    for i, payload in enumerate(FORMULAS):
        def via_propose(env: Env, payload: str = payload) -> str | None:
            folder = env.folder("formula-propose")
            path = _setup_glossary(folder)
            before = digest(path)
            run = env.run(["glossary", "propose", "karabakh", "--locale", "qtc", "--rendering", payload + "Gz",
                           "--status", "admitted", "--reason", "desk", "--by", "ana", "--glossary", "g.yaml"],
                          folder)
            bad = verdict(run, (0, 2))
            if bad:
                return bad
            if run.code == 2:
                return None if digest(path) == before else "refused, but the glossary changed"
            bad = verdict(env.run(["glossary", "approve", "P1", "--by", "ana", "--glossary", "g.yaml"], folder),
                          (0, 2))
            if bad:
                return bad
            bad = verdict(env.run(GLOSSARY_COMMANDS["export-csv"], folder), (0, 1, 2))
            if bad:
                return bad
            cell = _csv_unsafe((folder / "x.csv").read_text(encoding="utf-8")) if (folder / "x.csv").exists() else None
            return f"CSV cell {cell!r} would run in a spreadsheet" if cell else None

        def via_import(env: Env, payload: str = payload) -> str | None:
            folder = env.folder("formula-import")
            path = _setup_glossary(folder)
            before = digest(path)
            (folder / "in.csv").write_text(f'Karabakh,"{payload}Gz"\n', encoding="utf-8")
            run = env.run(["glossary", "import", "in.csv", "--format", "csv", "--locale", "qtc", "--apply",
                           "--by", "ana", "--reason", "desk", "--glossary", "g.yaml"], folder)
            bad = verdict(run, (0, 1, 2), one_line=False)
            if bad:
                return bad
            if run.code != 0:
                return None if digest(path) == before else "refused, but the glossary changed"
            env.run(GLOSSARY_COMMANDS["export-csv"], folder)
            cell = _csv_unsafe((folder / "x.csv").read_text(encoding="utf-8")) if (folder / "x.csv").exists() else None
            return f"CSV cell {cell!r} would run in a spreadsheet" if cell else None

        cat.add("formula", f"propose {payload!r}", via_propose, quick=i < 2)
        cat.add("formula", f"import {payload!r}", via_import, quick=i == 0)


# ------------------------------------------------------------------------ terminal escapes

ESCAPES = {"clear-screen": "\\e[2J", "title": "\\e]0;pwned\\a", "colour": "\\e[31m", "c1-csi": "\\x9b2J",
           "rlo": "\\u202e", "bell": "\\a", "carriage-return": "\\r", "backspace": "\\b",
           "dcs": "\\eP1$qm\\e\\\\", "alt-screen": "\\e[?1049h", "delete": "\\x7f"}


def escape_attacks(cat: Catalogue) -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    for ename, escaped in ESCAPES.items():
        at = text.index("  note: \"Our default name")
        hostile = text[:at] + f'  note: "Evil {escaped} note"\n  x-old-note: "' + text[at + len('  note: "'):]
        hostile = hostile.replace("- text: Gezalafo\n", f'- text: Gezalafo\n      note: "r{escaped}r"\n', 1)
        data = hostile.encode("utf-8")
        commands = {"show": ["glossary", "show", "--glossary", "g.yaml"],
                    "show-concept": ["glossary", "show", "karabakh", "--glossary", "g.yaml"],
                    "show-locale": ["glossary", "show", "karabakh", "--locale", "qtc", "--glossary", "g.yaml"],
                    "glossary-check": ["glossary", "check", "a.txt", "--glossary", "g.yaml"],
                    "lint": ["glossary", "lint", "--glossary", "g.yaml"]}
        for cname, args in commands.items():
            def go(env: Env, args: list[str] = args, data: bytes = data) -> str | None:
                folder = env.folder("escape-glossary")
                _setup_glossary(folder, data)
                _write(folder, "a.txt", "Leaders in Karabakh met.\n")
                return verdict(env.run(args, folder), (0, 1, 2), one_line=False)
            cat.add("terminal-escape", f"{ename} in YAML x {cname}", go, quick=ename == "clear-screen")

        raw = json.loads(f'"{escaped.replace(chr(92) + "e", chr(92) + "u001b").replace(chr(92) + "a", chr(92) + "u0007").replace(chr(92) + "x", chr(92) + "u00")}"')
        for field_name in ("from_name", "to_name", "code", "package_version"):
            def index_go(env: Env, raw: str = raw, field_name: str = field_name) -> str | None:
                folder = env.folder("escape-index")
                entry = _entry()
                entry[field_name] = f"x{raw}y"
                route = f"/esc-{id(folder)}/index.json"
                env.server.routes[route] = ("plain", json.dumps([entry]).encode(), {})
                run = env.run(["models", "available"], folder,
                              env={"ARGOS_PACKAGE_INDEX": env.server.base + route,
                                   "ARGOS_PACKAGES_DIR": str(folder / "pk")})
                return verdict(run, (0, 1, 2))
            cat.add("terminal-escape", f"{ename} in index {field_name} x models available", index_go,
                    quick=ename == "clear-screen" and field_name == "to_name")


def _entry(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {"package_version": "1.0", "argos_version": "1.0", "from_code": "en",
                                "from_name": "English", "to_code": "qtc", "to_name": "Test cipher",
                                "links": ["/pkg.argosmodel"], "code": "translate-en_qtc", "type": "translate"}
    entry.update(changes)
    return entry


# ------------------------------------------------------------------------ -o templates

TEMPLATES = ["out/{foo}.txt", "{", "}", "{0}", "{name", "name}.txt", "{{name}}.txt", "{name!r}.txt",
             "{name:>300}.txt", "{locale.__class__}.txt", "{name[0]}.txt", "{}.txt", "{locale}{", "%s.txt",
             "{name.__init__.__globals__}.txt", "{locale!s:{name}}.txt", "out/{dir}/../{name}.{locale}{suffix}",
             "{name}.{locale}{suffix}"]


def template_attacks(cat: Catalogue) -> None:
    for i, template in enumerate(TEMPLATES):
        for mode in ("one-document", "stdin"):
            def go(env: Env, template: str = template, mode: str = mode) -> str | None:
                folder = env.folder("template")
                _write(folder, "a.txt", "Leaders in Karabakh met.\n")
                args = ["translate", "a.txt" if mode == "one-document" else "-", "--to", "qtc", "--no-catalog",
                        "--no-glossary", "-o", template]
                run = env.run(args, folder, stdin=b"Leaders in Karabakh met.\n")
                return verdict(run, (0, 2))
            cat.add("output-template", f"{template!r} x {mode}", go, quick=i < 4 and mode == "one-document")


# -------------------------------------------------------------------------- file names

NAMES: dict[str, bytes] = {"tab": b"a\tb.txt", "newline": b"a\nb.txt", "escape": b"a\x1b[2Jb.txt",
                           "not-utf8": b"\xff\xfe.txt", "dash": b"-x.txt", "space": b"s p a c e.txt",
                           "rlo": "\u202etxt.exe".encode() + b".txt", "long": b"x" * 240 + b".txt",
                           "unicode": "\u00fcn\u00efc\u00f6de.txt".encode(), "cr": b"a\rb.txt",
                           "del": b"a\x7fb.txt", "bell": b"a\x07b.txt", "dot-txt": b".txt"}


def name_attacks(cat: Catalogue) -> None:
    for nname, raw in NAMES.items():
        commands = {"translate-stdout": ["translate", None, "--to", "qtc", "--no-catalog", "--no-glossary"],
                    "translate-catalog": ["translate", None, "--to", "qtc", "--no-glossary", "-o", "out.txt"],
                    "translate-default-output": ["translate", None, "--to", "qtc", "--no-catalog",
                                                 "--no-glossary", "--json"],
                    "check": ["check", None, None, "--locale", "qtc", "--glossary", "g.yaml"],
                    "glossary-check": ["glossary", "check", None, "--glossary", "g.yaml"]}
        for cname, args in commands.items():
            def go(env: Env, raw: bytes = raw, args: list[str | None] = args) -> str | None:
                folder = env.folder("name")
                _setup_glossary(folder)
                path = os.path.join(os.fsencode(folder), raw)
                with open(path, "wb") as handle:
                    handle.write(b"Leaders in Karabakh met.\n")
                shown = "./" + os.fsdecode(raw)
                run = env.run([shown if a is None else a for a in args], folder)
                return verdict(run, (0, 1, 2))
            cat.add("file-name", f"{nname} x {cname}", go, quick=nname in ("tab", "not-utf8") and cname == "check")


# ------------------------------------------------------------------------ endless inputs


def endless_attacks(cat: Catalogue) -> None:
    sources = ("dev-zero", "dev-urandom", "fifo-silent", "fifo-flood")
    commands = {"translate": ["translate", "@", "--to", "qtc", "--no-catalog", "--no-glossary", "-o", "o.txt"],
                "translate-stdin": ["translate", "-", "--to", "qtc", "--no-catalog", "--no-glossary", "-o", "o.txt"],
                "check-source": ["check", "@", "ok.txt", "--locale", "qtc", "--glossary", "g.yaml"],
                "check-translation": ["check", "ok.txt", "@", "--locale", "qtc", "--glossary", "g.yaml"],
                "glossary-check": ["glossary", "check", "@", "--glossary", "g.yaml"],
                "lint": ["glossary", "lint", "--glossary", "@"],
                "show": ["glossary", "show", "--glossary", "@"],
                "import-po": ["glossary", "import", "@", "--format", "po", "--locale", "qtc", "--glossary", "g.yaml"],
                "import-csv": ["glossary", "import", "@", "--format", "csv", "--locale", "qtc", "--glossary", "g.yaml"],
                "import-tbx": ["glossary", "import", "@", "--format", "tbx", "--glossary", "g.yaml"]}
    for source in sources:
        for cname, args in commands.items():
            if cname == "translate-stdin" and source.startswith("fifo"):
                continue

            def go(env: Env, source: str = source, args: list[str] = args, cname: str = cname) -> str | None:
                folder = env.folder(f"endless-{source}-{cname}")
                glossary = _setup_glossary(folder)
                before = digest(glossary)
                _write(folder, "ok.txt", "Leaders in Karabakh met.\n")
                writer: subprocess.Popen[bytes] | None = None
                if source.startswith("dev-"):
                    target = "/dev/" + source[4:]
                else:
                    target = str(folder / "pipe")
                    os.mkfifo(target)
                    script = ("printf 'Karabakh\\n'; exec sleep 600" if source == "fifo-silent"
                              else "exec yes 'Leaders in Karabakh met.'")
                    writer = subprocess.Popen(["sh", "-c", f"exec > '{target}'; {script}"], start_new_session=True)
                stdin = None
                if cname == "translate-stdin":
                    with open(target, "rb") as handle:
                        stdin = handle.read(80 * 1024 * 1024)
                try:
                    run = env.run([target if a == "@" else a for a in args], folder, stdin=stdin, timeout=150)
                finally:
                    if writer is not None:
                        os.killpg(writer.pid, signal.SIGKILL)
                        writer.wait()
                bad = verdict(run, (1, 2))
                if bad:
                    return bad
                return None if digest(glossary) == before else "the glossary changed"
            cat.add("endless-input", f"{source} x {cname}", go,
                    quick=(source, cname) in (("dev-zero", "check-source"), ("fifo-silent", "glossary-check")))


# --------------------------------------------------------------------- catalog headers

HEADER_TAMPER = {"lines-huge": ("lines=3;", "lines=999999999999;"), "lines-negative": ("lines=3;", "lines=-5;"),
                 "lines-text": ("lines=3;", "lines=abc;"), "lines-10e30": ("lines=3;", "lines=" + "9" * 30 + ";"),
                 "trailing-maybe": ("trailing-newline=yes", "trailing-newline=maybe"),
                 "source-traversal": ("doc.txt;", "../../../../etc/passwd;"),
                 "header-gone": ('"X-Termguard-Source: doc.txt; lines=3; trailing-newline=yes\\n"\n', ""),
                 "nplurals-huge": ("nplurals=2", "nplurals=99999999"),
                 "charset-utf16": ("charset=UTF-8", "charset=UTF-16"),
                 "glossary-garbage": ("X-Termguard-Glossary: sha256:", "X-Termguard-Glossary: \\x1b[2J"),
                 "reference-huge": ("#: doc.txt:1", "#: doc.txt:99999999999"),
                 "reference-escape": ("#: doc.txt:1", "#: \x1b[2Jdoc.txt:1")}


def catalog_attacks(cat: Catalogue) -> None:
    commands = {"render": ["catalog", "render", "--locale", "qtc", "-o", "r.txt"],
                "render-stdout": ["catalog", "render", "--locale", "qtc"],
                "status": ["catalog", "status"],
                "check": ["catalog", "check", "--locale", "qtc", "--glossary", "g.yaml"],
                "compile": ["catalog", "compile"],
                "translate": ["translate", "doc.txt", "--to", "qtc", "--glossary", "g.yaml", "-o", "o.txt"],
                "report": ["report", "--locale", "qtc", "-o", "r.html"]}
    for tname, (old, new) in HEADER_TAMPER.items():
        for cname, args in commands.items():
            def go(env: Env, old: str = old, new: str = new, args: list[str] = args) -> str | None:
                folder = env.folder("catalog")
                _setup_glossary(folder)
                shutil.copytree(env.root / "catalog-seed", folder, dirs_exist_ok=True)
                po = folder / "locales" / "qtc" / "LC_MESSAGES" / "doc.po"
                text = po.read_text(encoding="utf-8")
                if old not in text:
                    return f"seed catalog lacks {old!r}"
                po.write_text(text.replace(old, new, 1), encoding="utf-8")
                run = env.run(args, folder, timeout=120)
                bad = verdict(run, (0, 1, 2), one_line=False)
                if bad:
                    return bad
                if len(run.out) > 100_000 or ((folder / "r.txt").exists() and (folder / "r.txt").stat().st_size > 100_000):
                    return "a tampered header made the output huge"
                return None
            cat.add("catalog-header", f"{tname} x {cname}", go, quick=tname == "lines-huge" and cname == "render")


# ------------------------------------------------------------------- damaged packages

DAMAGE = ("list", "folder", "nested", "null-codes", "not-json", "empty", "huge", "number-codes", "bom-on-good",
          "no-model", "string")


def _damage(folder: Path, how: str) -> None:
    good = folder / "translate-en_qtc"
    if how == "bom-on-good":
        meta = good / "metadata.json"
        meta.write_bytes(b"\xef\xbb\xbf" + meta.read_bytes())
        return
    bad = folder / "translate-en_xx"
    shutil.copytree(good, bad)
    meta = bad / "metadata.json"
    if how == "list":
        meta.write_text("[1, 2]")
    elif how == "folder":
        meta.unlink()
        meta.mkdir()
    elif how == "nested":
        (bad / "inner").mkdir()
        meta.rename(bad / "inner" / "metadata.json")
    elif how == "null-codes":
        meta.write_text(json.dumps({"from_code": None, "to_code": None}))
    elif how == "not-json":
        meta.write_text("{not json")
    elif how == "empty":
        meta.write_text("")
    elif how == "huge":
        meta.write_text(json.dumps({"from_code": "en", "to_code": "xx", "pad": "x" * 3_000_000}))
    elif how == "number-codes":
        meta.write_text(json.dumps({"from_code": 1, "to_code": 2}))
    elif how == "no-model":
        shutil.rmtree(bad / "model")
        meta.write_text(json.dumps({"from_code": "en", "to_code": "xx", "package_version": "1"}))
    elif how == "string":
        meta.write_text('"en->xx"')


def package_attacks(cat: Catalogue) -> None:
    commands = {"list": (["models", "list"], (0,)), "list-json": (["models", "list", "--json"], (0,)),
                "translate": (["translate", "a.txt", "--to", "qtc", "--no-catalog", "--no-glossary", "-o", "o.txt"], (0,)),
                "translate-missing": (["translate", "a.txt", "--to", "xx", "--no-catalog", "--no-glossary",
                                       "-o", "o.txt"], (1, 2)),
                "remove": (["models", "remove", "en", "xx"], (0, 1, 2))}
    for how in DAMAGE:
        for cname, (args, codes) in commands.items():
            def go(env: Env, how: str = how, args: list[str] = args, codes: tuple[int, ...] = codes) -> str | None:
                folder = env.folder(f"package-{how}")
                shutil.copytree(env.packages, folder / "pk")
                _damage(folder / "pk", how)
                _write(folder, "a.txt", "Leaders in Karabakh met.\n")
                run = env.run(args, folder, env={"ARGOS_PACKAGES_DIR": str(folder / "pk")})
                return verdict(run, codes, one_line=False)
            cat.add("damaged-package", f"{how} x {cname}", go, quick=how == "list" and cname == "translate")


# ------------------------------------------------------------------------ index JSON


def index_attacks(cat: Catalogue) -> None:
    bodies = {"numbers": b"[1, 2, 3]", "null-code": json.dumps([_entry(from_code=None)]).encode(),
              "deep": b"[" * 100_000 + b"]" * 100_000, "utf16": json.dumps([_entry()]).encode("utf-16"),
              "links-string": json.dumps([_entry(links="http://x/y.argosmodel")]).encode(),
              "object": b'{"packages": []}', "bom-garbage": b"\xff\xfe\x00garbage", "not-json": b"not json",
              "empty": b"", "null": b"null", "huge-number": b"[1e999999]", "nul-in-string":
              json.dumps([_entry(to_name="a\u0000b")]).encode(), "over-cap": b"[" + b" " * (17 * 1024 * 1024) + b"]",
              "code-number": json.dumps([_entry(to_code=5)]).encode(),
              "duplicate": json.dumps([_entry(), _entry(package_version="2.0")]).encode(),
              "links-list-of-numbers": json.dumps([_entry(links=[1, 2])]).encode(),
              "big-int": b"[" + b"9" * 5000 + b"]", "utf8-bom": b"\xef\xbb\xbf" + json.dumps([_entry()]).encode(),
              "invalid-utf8": b'[{"from_code": "\xff"}]', "string": b'"index"'}
    for bname, body in bodies.items():
        for cname, args in {"available": ["models", "available"], "available-json": ["models", "available", "--json"],
                            "install": ["models", "install", "en", "qtc"]}.items():
            def go(env: Env, body: bytes = body, args: list[str] = args) -> str | None:
                folder = env.folder("index")
                route = f"/idx-{folder.name}/index.json"
                env.server.routes[route] = ("plain", body, {"Content-Length": str(len(body))})
                run = env.run(args, folder, env={"ARGOS_PACKAGE_INDEX": env.server.base + route,
                                                 "ARGOS_PACKAGES_DIR": str(folder / "pk")})
                bad = verdict(run, (0, 1, 2))
                if bad:
                    return bad
                if run.code != 0 and len([ln for ln in run.err.splitlines() if ln.strip()]) != 1:
                    return "a failure of more than one line"
                return None
            cat.add("index-json", f"{bname} x {cname}", go, quick=bname in ("numbers", "deep") and cname == "install")


# ---------------------------------------------------------------------- download bounds


def download_attacks(cat: Catalogue) -> None:
    package = MODEL.read_bytes()
    data_link = "data:application/zip;base64," + base64.b64encode(package[:2000]).decode()
    links: dict[str, tuple[list[str] | None, tuple[str, bytes, dict[str, str]] | None, tuple[int, ...]]] = {
        "file-passwd": (["file:///etc/passwd"], None, (1,)),
        "file-dev-zero": (["file:///dev/zero"], None, (1,)),
        "file-model": ([f"file://{MODEL}"], None, (1,)),
        "data": ([data_link], None, (1,)),
        "ftp": (["ftp://127.0.0.1/x.argosmodel"], None, (1,)),
        "gopher": (["gopher://127.0.0.1/x"], None, (1,)),
        "javascript": (["javascript:alert(1)"], None, (1,)),
        "empty-link": ([""], None, (1,)),
        "unreachable": (["http://127.0.0.1:9/x.argosmodel"], None, (1,)),
        "not-found": (None, ("missing", b"", {}), (1,)),
        "huge-length": (None, ("plain", b"", {"Content-Length": str(100 * 1024**3)}), (1,)),
        "truncated": (None, ("plain", package[:100_000], {"Content-Length": str(len(package))}), (1,)),
        "not-a-zip": (None, ("plain", b"PK" + b"\x00" * 5000, {}), (1, 2)),
        "redirect-file": (None, ("redirect", b"file:///etc/passwd", {}), (1,)),
        "relative-ok": (None, ("plain", package, {"Content-Length": str(len(package))}), (0,)),
        "endless-body": (None, ("endless", b"", {}), (1,)),
    }
    for lname, (given, route, codes) in links.items():
        def go(env: Env, given: list[str] | None = given, route: tuple | None = route,
               codes: tuple[int, ...] = codes, lname: str = lname) -> str | None:
            folder = env.folder(f"download-{lname}")
            prefix = f"/dl-{folder.name}"
            if route is not None:
                env.server.routes[f"{prefix}/pkg.argosmodel"] = route
            if route is not None and route[0] == "redirect":
                pass
            links_ = given if given is not None else [f"{prefix}/pkg.argosmodel"]
            env.server.routes[f"{prefix}/index.json"] = ("plain", json.dumps([_entry(links=links_)]).encode(), {})
            pk = folder / "pk"
            run = env.run(["models", "install", "en", "qtc"], folder, timeout=400,
                          env={"ARGOS_PACKAGE_INDEX": env.server.base + f"{prefix}/index.json",
                               "ARGOS_PACKAGES_DIR": str(pk)})
            bad = verdict(run, codes)
            if bad:
                return bad
            installed = (pk / "translate-en_qtc" / "metadata.json").is_file()
            if run.code != 0 and installed:
                return "refused, but something was installed"
            if run.code == 0 and not installed:
                return "said installed, nothing there"
            leftovers = [p for p in pk.rglob("*") if p.is_file() and "argosmodel" in p.name] if pk.exists() else []
            return f"left {leftovers[0].name} behind" if leftovers and run.code != 0 else None
        cat.add("download", lname, go, quick=lname in ("file-passwd", "huge-length"),
                slow=lname == "endless-body")

    def drip(env: Env) -> str | None:
        # A byte every 2 s: no socket timeout fires; only the overall deadline can stop it.
        folder = env.folder("download-drip-index")
        route = f"/drip-{folder.name}/index.json"
        env.server.routes[route] = ("drip", b"", {})
        run = env.run(["models", "available"], folder, timeout=400,
                      env={"ARGOS_PACKAGE_INDEX": env.server.base + route, "ARGOS_PACKAGES_DIR": str(folder / "pk")})
        return verdict(run, (1,))
    cat.add("download", "dripping index", drip, slow=True)


# ---------------------------------------------------------------------- long sentences


def _words() -> list[str]:
    rows = LEXICON.read_text(encoding="utf-8").splitlines()
    return [row.split("\t", 1)[0] for row in rows if "\t" in row and row.split("\t", 1)[0].isalpha()][:400]


def long_attacks(cat: Catalogue) -> None:
    words = _words()
    for size in (300, 600, 1200):
        for where in ("start", "middle", "end"):
            def go(env: Env, size: int = size, where: str = where) -> str | None:
                folder = env.folder(f"long-{size}-{where}")
                _setup_glossary(folder)
                body = [words[i % len(words)].lower() for i in range(size)]
                at = {"start": 0, "middle": size // 2, "end": size - 1}[where]
                body[at] = "Karabakh"
                _write(folder, "a.txt", "The " + " ".join(body) + "\n")
                # --strict: a term the toy model could not keep must be said aloud (exit 1), never lost silently.
                run = env.run(["translate", "a.txt", "--to", "qtc", "--glossary", "g.yaml", "--no-catalog",
                               "--strict", "-o", "o.txt"], folder, timeout=300)
                bad = verdict(run, (0, 1), one_line=False)
                if bad:
                    return bad
                out = (folder / "o.txt").read_text(encoding="utf-8") if (folder / "o.txt").exists() else ""
                got = len(out.split())
                if got < 0.3 * size:
                    return f"{got} words out for {size} in: cut"
                return None if "Gezalafo" in out or run.code == 1 else "the term was lost without a word"
            cat.add("long-sentence", f"{size} words, term at {where}", go, quick=size == 300 and where == "end")


# ------------------------------------------------------------------------ unclosed quotes


def quote_attacks(cat: Catalogue) -> None:
    for quote in ('"', "\u00ab", "\u201e", "\u201c", "'", "\u2039", "\u300c"):
        for size in (27_000, 109_000, 219_000):
            for cname in ("check", "glossary-check"):
                def go(env: Env, quote: str = quote, size: int = size, cname: str = cname) -> str | None:
                    folder = env.folder("quotes")
                    _setup_glossary(folder)
                    unit = f"{quote}word "
                    line = "Karabakh " + (unit * (size // len(unit) + 1))[:size].rsplit(" ", 1)[0] + "\n"
                    _write(folder, "a.txt", line)
                    _write(folder, "t.txt", line.replace("Karabakh", "Gezalafo"))
                    args = (["check", "a.txt", "t.txt", "--locale", "qtc", "--glossary", "g.yaml"]
                            if cname == "check" else ["glossary", "check", "a.txt", "--glossary", "g.yaml"])
                    run = env.run(args, folder, timeout=90)
                    return verdict(run, (0, 1), one_line=False)
                cat.add("unclosed-quotes", f"{quote!r} x {size // 1000} KB x {cname}", go,
                        quick=quote == '"' and size == 109_000 and cname == "check")


# ------------------------------------------------------------------ concurrent saves, kills

PROPOSE = ["glossary", "propose", "karabakh", "--locale", "qtc", "--rendering", "Gezalafoq", "--status",
           "admitted", "--reason", "desk", "--by", "ana", "--glossary", "g.yaml"]


def _editor_save(path: Path, marker: str, in_place: bool) -> None:
    data = path.read_bytes()
    new = data + f"# {marker}\n".encode()
    if in_place:
        with open(path, "r+b") as handle:
            handle.write(new)
            handle.truncate()
    else:
        temp = path.with_name(path.name + ".editor~")
        temp.write_bytes(new)
        os.replace(temp, path)


def _start(env: Env, args: list[str], folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([*TERMGUARD, *args], cwd=folder, env=env.vars, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)


def race_attacks(cat: Catalogue) -> None:
    for command in ("approve", "import"):
        for i, delay in enumerate((0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 1.7)):
            def go(env: Env, delay: float = delay, command: str = command, in_place: bool = bool(i % 2)) -> str | None:
                folder = env.folder(f"race-{command}")
                path = _setup_glossary(folder)
                if command == "approve":
                    bad = verdict(env.run(PROPOSE, folder), (0,))
                    if bad:
                        return "set-up: " + bad
                    args = ["glossary", "approve", "P1", "--by", "ana", "--glossary", "g.yaml"]
                else:
                    (folder / "in.csv").write_text("Karabakh,Gezalafoq\n", encoding="utf-8")
                    args = ["glossary", "import", "in.csv", "--format", "csv", "--locale", "qtc", "--apply",
                            "--by", "ana", "--reason", "desk", "--glossary", "g.yaml"]
                proc = _start(env, args, folder)
                time.sleep(delay)
                marker = f"editor save {time.monotonic_ns()}"
                _editor_save(path, marker, in_place)
                out, err = proc.communicate(timeout=120)
                run = Run(proc.returncode, out.decode(errors="replace"), err.decode(errors="replace"), 0)
                bad = verdict(run, (0, 1, 2), one_line=False)
                if bad:
                    return bad
                final = path.read_text(encoding="utf-8")
                if marker not in final:
                    return f"the editor's save was lost (exit {run.code})"
                if run.code == 0 and "Gezalafoq" not in final:
                    return "said done, but the change is not in the glossary"
                return None
            cat.add("concurrent-save", f"{command}, editor saves after {delay} s", go, quick=delay == 0.4)

    for i, delay in enumerate((0.1, 0.3, 0.5, 0.7, 0.85, 1.0, 1.15, 1.3, 1.5, 2.0)):
        def kill(env: Env, delay: float = delay) -> str | None:
            folder = env.folder("kill-approve")
            path = _setup_glossary(folder)
            bad = verdict(env.run(PROPOSE, folder), (0,))
            if bad:
                return "set-up: " + bad
            approve = ["glossary", "approve", "P1", "--by", "ana", "--glossary", "g.yaml"]
            proc = _start(env, approve, folder)
            time.sleep(delay)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            listed = env.run(["glossary", "proposals", "--all", "--json", "--glossary", "g.yaml"], folder)
            bad = verdict(listed, (0,))
            if bad:
                return "after the kill: " + bad
            try:
                state = {p["id"]: p["state"] for p in json.loads(listed.out)}
            except (ValueError, TypeError, KeyError):
                return "proposals --json unreadable after the kill"
            if state.get("P1") != "approved":
                bad = verdict(env.run(approve, folder), (0,))
                if bad:
                    return "retry after the kill: " + bad
            final = path.read_text(encoding="utf-8")
            history = (folder / "g.history.yaml").read_text(encoding="utf-8")
            if final.count("Gezalafoq") != 1:
                return f"the rendering is in the glossary {final.count('Gezalafoq')} times"
            if history.count("event: approved") != 1:
                return f"history records {history.count('event: approved')} approvals"
            temps = [p.name for p in folder.iterdir() if p.name.endswith((".tmp", "-journal"))]
            return f"left {temps}" if temps else None
        cat.add("kill-approve", f"SIGKILL after {delay} s", kill, quick=i in (2, 5))


# ----------------------------------------------------------------------------- driver


def build() -> Catalogue:
    cat = Catalogue()
    for make in (hidden_attacks, glossary_attacks, formula_attacks, escape_attacks, template_attacks,
                 name_attacks, endless_attacks, catalog_attacks, package_attacks, index_attacks,
                 download_attacks, long_attacks, quote_attacks, race_attacks):
        make(cat)
    return cat


def prepare(env: Env) -> None:
    env.packages.mkdir(parents=True)
    seed = env.root / "catalog-seed"
    seed.mkdir()
    run = env.run(["models", "install-file", str(MODEL)], env.root)
    if run.code != 0:
        raise SystemExit(f"attacks: could not install the test model: {run.err.strip()}")
    _setup_glossary(seed)
    _write(seed, "doc.txt", "Leaders in Karabakh met.\n\nThe talks went on.\n")
    run = env.run(["translate", "doc.txt", "--to", "qtc", "--glossary", "g.yaml", "-o", "o.txt"], seed)
    if run.code != 0:
        raise SystemExit(f"attacks: could not make the seed catalog: {run.err.strip()}")
    (seed / "o.txt").unlink()
    (seed / "g.yaml").unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="a small subset (the CI smoke test)")
    parser.add_argument("--json", metavar="FILE", help="write every result as JSON here (- for stdout)")
    parser.add_argument("--jobs", type=int, default=3, help="attacks run at once (default 3)")
    parser.add_argument("--all", action="store_true", help="the whole matrix (about 900 attacks), not a fifth")
    parser.add_argument("--only", help="comma-separated attack classes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every attack not handled")
    args = parser.parse_args(argv)

    attacks = build().attacks
    if not args.all and not args.quick:
        # A deterministic fifth of the matrix (every class, every payload family
        # represented) keeps a default run within minutes; --all runs all of it.
        attacks = [a for i, a in enumerate(attacks) if a.quick or a.slow or i % 5 == 0
                   or a.cls in ("download", "long-sentence", "kill-approve", "concurrent-save", "formula")]
    if args.quick:
        attacks = [a for a in attacks if a.quick]
    else:
        attacks = [a for a in attacks if not a.slow or not os.environ.get("ATTACKS_NO_SLOW")]
    if args.only:
        wanted = set(args.only.split(","))
        attacks = [a for a in attacks if a.cls in wanted]
    root = Path(tempfile.mkdtemp(prefix="termguard-attacks-"))
    env = Env(root)
    results: list[Result] = []
    started = time.monotonic()
    try:
        prepare(env)
        # The slow ones first, so their minutes overlap with everything else.
        attacks.sort(key=lambda a: not a.slow)

        def one(attack: Attack) -> Result:
            start = time.monotonic()
            try:
                reason = attack.go(env)
            except Exception as exc:  # an attack that cannot even be set up is a finding, not a crash
                reason = f"attack raised {type(exc).__name__}: {exc}"
            return Result(attack.cls, attack.name, reason is None, reason, time.monotonic() - start)

        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            results = list(pool.map(one, attacks))
    finally:
        env.server.close()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"kept {root}", file=sys.stderr)

    classes: dict[str, list[Result]] = {}
    for result in results:
        classes.setdefault(result.cls, []).append(result)
    report = sys.stderr if args.json == "-" else sys.stdout
    print(f"{'class':<18}{'tried':>7}{'handled':>9}", file=report)
    for name, rows in classes.items():
        print(f"{name:<18}{len(rows):>7}{sum(r.handled for r in rows):>9}", file=report)
    handled = sum(r.handled for r in results)
    print(f"{'total':<18}{len(results):>7}{handled:>9}   ({time.monotonic() - started:.0f} s)", file=report)
    failed = [r for r in results if not r.handled]
    for r in failed if args.verbose or len(failed) <= 40 else failed[:40]:
        print(f"NOT HANDLED {r.cls}: {r.name}: {r.reason}", file=report)
    if args.json:
        payload = json.dumps({"tried": len(results), "handled": handled, "seconds": time.monotonic() - started,
                              "classes": {k: {"tried": len(v), "handled": sum(r.handled for r in v)}
                                          for k, v in classes.items()},
                              "results": [r.__dict__ for r in results]}, indent=1, ensure_ascii=False)
        if args.json == "-":
            print(payload)
        else:
            Path(args.json).write_text(payload + "\n", encoding="utf-8")
    return 0 if handled == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
