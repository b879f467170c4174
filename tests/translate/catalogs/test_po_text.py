"""The one-pass PO reader and writer agree with polib on everything polib reads correctly."""

from __future__ import annotations

import copy
from pathlib import Path

import polib
import pytest

from translate.catalogs.po_text import (
    PoSyntaxError,
    _parse_blocks,
    _parse_lines,
    parse_po,
    serialize_entry,
    serialize_po,
)

FIELDS = ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "comment", "tcomment",
          "occurrences", "flags", "previous_msgctxt", "previous_msgid", "previous_msgid_plural")

SAMPLES = [
    # A termguard catalog: header comment, machine entries, a reviewed one, an obsolete one.
    '# Catalog bench for locale de.\n#\nmsgid ""\nmsgstr ""\n"Project-Id-Version: bench\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"X-Termguard-Source: doc.txt; lines=3; trailing-newline=yes\\n"\n\n'
    '#. termguard:machine;glossary=sha256:aa;msgstr=0123456789abcdef\n#: doc.txt:1 doc.txt:3\n#, fuzzy\n'
    'msgid "Talks on \\"Karabakh\\" \\\\ resumed.\\t"\nmsgstr "Gespr\u00e4che"\n\n'
    '# an editor\'s note\n#: doc.txt:2\nmsgid "Reviewed."\nmsgstr "Gepr\u00fcft."\n\n'
    '#, fuzzy\n#| msgid "Old text"\n#: doc.txt:4\nmsgid "New text"\nmsgstr "Alt"\n\n'
    '#. termguard:machine;glossary=sha256:aa;msgstr=0123456789abcdef\n#~| msgid "older"\n'
    '#~ msgid "Gone."\n#~ msgstr "Weg."\n',
    # Context, plurals, multi-line strings, occurrences without a line, fuzzy header, wrapped strings.
    '#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: de\\n"\n"X-Multi: one\\n"\n"two\\n"\n\n'
    'msgctxt "menu"\nmsgid "File"\nmsgstr "Datei"\n\n'
    '#: src/a.py src/b.py:12 weird:name\nmsgid "One file"\nmsgid_plural "%d files"\nmsgstr[0] "Eine Datei"\n'
    'msgstr[1] "%d Dateien"\n\n'
    'msgid ""\n"Line one\\n"\n"line two"\nmsgstr ""\n"Zeile eins\\n"\n"Zeile zwei"\n\n'
    '#.\n#. second\n# \n##double\nmsgid "Comments"\nmsgstr ""\n\n'
    '#~ msgctxt "old"\n#~ msgid ""\n#~ "long obsolete "\n#~ "text"\n#~ msgstr "x"\n',
    # No header at all; unicode line separators inside strings.
    'msgid "a\u2028b"\nmsgstr "c\u0085d"\n\nmsgid "x\\ry"\nmsgstr "\\f"\n',
]


def _fields(entry: polib.POEntry) -> tuple[object, ...]:
    return tuple(getattr(entry, name) for name in FIELDS) + (bool(entry.obsolete),)


def _polib(text: str) -> polib.POFile:
    class Text(str):
        def splitlines(self, keepends: bool = False) -> list[str]:
            return str(self).split("\n")

    return polib.pofile(Text(text), wrapwidth=0, encoding="utf-8")


@pytest.mark.parametrize("text", SAMPLES)
def test_reads_what_polib_reads(text: str) -> None:
    ours, theirs = parse_po(text), _polib(text)
    assert ours.header == theirs.header
    assert ours.metadata == theirs.metadata
    assert bool(ours.metadata_is_fuzzy) == bool(theirs.metadata_is_fuzzy)
    assert len(ours) == len(theirs)
    for mine, other in zip(ours, theirs, strict=True):
        if other.obsolete:
            # polib drops an obsolete entry's `#.` and `#~|` lines; we keep them.
            assert (mine.msgctxt, mine.msgid, mine.msgstr) == (other.msgctxt, other.msgid, other.msgstr)
        else:
            assert _fields(mine) == _fields(other)


@pytest.mark.parametrize("text", SAMPLES)
def test_writes_what_polib_writes(text: str) -> None:
    po = _polib(text)
    active = copy.copy(po)
    active[:] = [e for e in po if not e.obsolete]
    expected = str(active)
    obsolete = [e for e in po if e.obsolete]
    ours = serialize_po(active).decode("utf-8")
    assert ours == (expected if expected.endswith("\n") else expected + "\n")
    for entry in obsolete:
        entry.comment = ""  # what polib writes for an obsolete entry
        assert serialize_entry(entry) == entry.__unicode__(0)


@pytest.mark.parametrize("text", SAMPLES)
def test_round_trip_is_stable(text: str) -> None:
    once = serialize_po(parse_po(text))
    assert serialize_po(parse_po(once.decode("utf-8"))) == once


def test_obsolete_previous_and_comments_survive() -> None:
    po = parse_po(SAMPLES[0])
    gone = [e for e in po if e.obsolete][0]
    assert gone.previous_msgid == "older"
    assert gone.comment.startswith("termguard:machine")
    assert "#. termguard:machine" in serialize_entry(gone)
    assert [e.linenum for e in po if e.msgid == "Reviewed."] == [17]


@pytest.mark.parametrize(("text", "line", "reason"), [
    ('msgid "open\nmsgstr ""\n', 1, "unterminated string"),
    ('msgid "bad \\q"\nmsgstr ""\n', 1, "invalid escape sequence \\q"),
    ('msgid "a" "b"\nmsgstr ""\n', 1, "unescaped double quote inside a string"),
    ('msgid "a"\n#. inside\nmsgstr ""\n', 2, "comment inside an entry"),
    ('msgid "a"\n', 1, "missing msgstr at the end of the file"),
    ('"stray"\nmsgid "a"\nmsgstr ""\n', 1, "string outside an entry"),
    ('msgid "a"\nmsgstr ""\nbogus "x"\n', 3, "unknown keyword 'bogus'"),
    ('msgstr "a"\n', 1, "msgstr without a msgid"),
])
def test_rejects_what_msgfmt_rejects(text: str, line: int, reason: str) -> None:
    with pytest.raises(PoSyntaxError) as caught:
        parse_po(text)
    assert (caught.value.line, caught.value.reason) == (line, reason)


def _state(po: polib.POFile) -> tuple[object, ...]:
    return po.header, dict(po.metadata), po.metadata_is_fuzzy, [dict(vars(e)) for e in po]


def _written_catalog(tmp_path: Path) -> str:
    """A catalog as runs leave it: machine and blank entries, flags, previous msgids, obsolete entries."""
    from translate.catalogs.folder import catalog_path
    from translate.catalogs.header import HeaderInfo
    from translate.catalogs.session import CatalogUpdate
    from translate.run.document import MachineTranslation, SourceDocument

    path = catalog_path(tmp_path, "qtc", "doc")
    first = [f"Talks {i} on the \"corridor\" \\ resumed\tagain, said the ministers of region {i}." for i in range(40)]
    second = [text.replace("resumed", "stalled") if i % 3 == 0 else text for i, text in enumerate(first[:30])]
    for number, texts in enumerate((first, second)):
        document = SourceDocument.from_text("my doc.txt", "\n".join(["Ünïcödé — heading", *texts]) + "\n")
        with CatalogUpdate.open(path, locale="qtc", domain="doc", header=HeaderInfo("en->qtc 1.0")) as cat:
            todo = cat.needs_translation(document, "a" * 64)
            cat.apply(document, {p: MachineTranslation(p[::-1] if i % 4 else "", ["a note"], i % 5 == 0)
                                 for i, p in enumerate(todo)}, f"{number}" * 64)
    return path.read_text(encoding="utf-8")


def test_catalogs_termguard_writes_are_read_by_blocks_as_by_lines(tmp_path: Path) -> None:
    text = _written_catalog(tmp_path)
    assert "#~ msgid" in text and "#| msgid" in text and "#, fuzzy, termguard-unresolved" in text
    by_blocks = _parse_blocks(text)
    assert by_blocks is not None  # the fast reading applies to what termguard writes
    assert _state(by_blocks) == _state(_parse_lines(text))
    assert [e.linenum for e in by_blocks] == [e.linenum for e in _parse_lines(text)]


@pytest.mark.parametrize("text", SAMPLES, ids=["termguard", "polib-features", "no-header"])
def test_block_reading_agrees_or_leaves_the_text_to_the_line_parser(text: str) -> None:
    by_blocks = _parse_blocks(text)
    if by_blocks is not None:
        assert _state(by_blocks) == _state(_parse_lines(text))


def test_an_error_after_well_formed_blocks_is_reported_at_its_line(tmp_path: Path) -> None:
    text = _written_catalog(tmp_path)
    broken = text + '\nmsgid "bad \\q escape"\nmsgstr ""\n'
    with pytest.raises(PoSyntaxError) as error:
        parse_po(broken)
    assert error.value.line == broken.count("\n") - 1
