"""Build the bad-input matrix files from the templates next to this script.

Each template holds ``@@TERM@@`` where a glossary term goes and ``@@TEXT@@``
where free text goes. A *twist* fills them (mixed scripts, a zero-width or
no-break character inside the term, control characters) or re-encodes the
plain file (Latin-1, UTF-16, BOM, CRLF, empty, binary, 5 MB article / 1 MB otherwise). Binary and large
files are made here, at test time, instead of being committed.

    python tests/data/hostile/make.py OUT_DIR   # write every variant for a look
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# template file -> (what the command reads, its suffix)
TEMPLATES = {
    "article": "article.txt.in",
    "glossary": "glossary.yaml.in",
    "tbx": "glossary.tbx.in",
    "csv": "glossary.csv.in",
    "po": "glossary.po.in",
    "catalog": "catalog.po.in",
}
SUFFIX = {"article": ".txt", "glossary": ".yaml", "tbx": ".tbx", "csv": ".csv", "po": ".po", "catalog": ".po"}

PLAIN_TERM = "Karabakh"
PLAIN_TEXT = "Talks went on in Baku."
# Text twists: (term, free text).
TEXT_TWISTS: dict[str, tuple[str, str]] = {
    "plain": (PLAIN_TERM, PLAIN_TEXT),
    "mixed-scripts": (PLAIN_TERM, "Karabakh Карабах Ղարաբաղ كاراباخ talks, one paragraph."),
    "zero-width-in-term": ("Kara\u200bbakh", PLAIN_TEXT),
    "zero-width-joiner-in-term": ("Kara\u200dbakh\ufeff", PLAIN_TEXT),
    "nbsp-in-term": ("Nagorno\u00a0Karabakh", PLAIN_TEXT),
    "control-chars": (PLAIN_TERM, "bell\x07 escape\x1b[31m red\x1b[0m form\x0c back\x08 del\x7f."),
    "bidi-override": (PLAIN_TERM, "Talks \u202ekhabaraK\u202c went on."),
}
# Byte twists, applied to the plain variant.
BYTE_TWISTS = ("latin1", "utf16", "bom", "crlf", "cr-only", "empty", "binary", "invalid-utf8-line3", "big-5mb")
TWISTS = (*TEXT_TWISTS, *BYTE_TWISTS)
BIG_BYTES = 5 * 1024 * 1024


def fill(kind: str, twist: str) -> str:
    term, text = TEXT_TWISTS[twist if twist in TEXT_TWISTS else "plain"]
    template = (HERE / TEMPLATES[kind]).read_text(encoding="utf-8")
    return template.replace("@@TERM@@", term).replace("@@TEXT@@", text)


def variant(kind: str, twist: str) -> bytes:
    """The bytes of one matrix input."""
    text = fill(kind, twist)
    if twist in TEXT_TWISTS:
        return text.encode("utf-8")
    if twist == "latin1":
        return text.encode("latin-1", errors="replace")  # the templates hold é, ü: not UTF-8
    if twist == "utf16":
        return text.encode("utf-16")
    if twist == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if twist == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    if twist == "cr-only":
        return text.replace("\n", "\r").encode("utf-8")
    if twist == "empty":
        return b""
    if twist == "binary":
        rng = random.Random(7)
        return b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(rng.randrange(256) for _ in range(4096))
    if twist == "invalid-utf8-line3":
        lines = text.encode("utf-8").split(b"\n")
        lines[2] = lines[2] + b" \xc3\x28 \xff"
        return b"\n".join(lines)
    if twist == "big-5mb":
        return big(kind, text)
    raise ValueError(twist)


def big(kind: str, text: str) -> bytes:
    """About 5 MB: the article's paragraphs repeated (few distinct ones, so a
    translation decodes little and the rest is catalog and I/O work)."""
    if kind != "article":
        # 1 MB for the glossary and catalog formats: far beyond any real one,
        # and a YAML parser takes seconds per megabyte.
        body = text.encode("utf-8")
        return body + b"\n" * max(0, BIG_BYTES // 5 - len(body))  # a long tail of blank lines
    paragraphs = [p for p in text.split("\n") if p.strip()]
    out: list[str] = []
    size = 0
    i = 0
    while size < BIG_BYTES:
        line = paragraphs[i % len(paragraphs)]
        out.append(line)
        size += len(line.encode("utf-8")) + 1
        i += 1
    return ("\n".join(out) + "\n").encode("utf-8")


def write_all(folder: Path, kinds: tuple[str, ...] = tuple(TEMPLATES)) -> dict[tuple[str, str], Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[tuple[str, str], Path] = {}
    for kind in kinds:
        for twist in TWISTS:
            path = folder / f"{kind}-{twist}{SUFFIX[kind]}"
            path.write_bytes(variant(kind, twist))
            out[(kind, twist)] = path
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("hostile-out")
    for (kind, twist), path in write_all(target).items():
        print(f"{kind:<9} {twist:<26} {path.stat().st_size:>9}  {path}")
