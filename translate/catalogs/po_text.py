"""PO text <-> polib objects in one pass each way: strict reading, polib-identical writing.

Reading checks what msgfmt rejects (polib silently misreads an unterminated
string or a bad escape and loses text; a catalog read that way must not be
written back) while it builds the entries, so a catalog is tokenised once.
The objects are polib's (`POFile`, `POEntry`), filled as polib's own parser
fills them, plus what polib skips: the ``#~|`` previous fields and ``#.``
comments of obsolete entries, and each entry's msgid line as `linenum`.
Writing gives polib's bytes at wrap width 0 without its per-field machinery.
"""

from __future__ import annotations

import re

import polib

__all__ = ["PoSyntaxError", "parse_po", "serialize_body", "serialize_entry", "serialize_header", "serialize_po"]


class PoSyntaxError(ValueError):
    """Invalid PO text at `line` (1-based; None when the file as a whole is wrong)."""

    def __init__(self, line: int | None, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}")


_KEYWORD = re.compile(r"^(?P<kw>msgctxt|msgid_plural|msgid|msgstr\[\d+\]|msgstr)(?=[\s\"])\s*")
# A complete, valid PO string: what `_string_error` accepts, checked in C.
_VALID_STRING = re.compile(r'"[^"\\]*(?:\\(?:[ntrvbfa\\"?\']|[0-7]|x[0-9a-fA-F])[^"\\]*)*"\s*')
_SIMPLE_ESCAPES = set('ntrvbfa\\"?\'')
_PREVIOUS = {"msgctxt": "previous_msgctxt", "msgid": "previous_msgid", "msgid_plural": "previous_msgid_plural"}
_FIELD = {"msgctxt": "msgctxt", "msgid": "msgid", "msgid_plural": "msgid_plural", "msgstr": "msgstr"}


def _string_error(text: str) -> str | None:
    """Why ``text`` (a quoted PO string and nothing else) is invalid, or None."""
    if not text.startswith('"'):
        return "a quoted string was expected"
    i = 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if nxt in _SIMPLE_ESCAPES and nxt:
                i += 2
                continue
            if nxt in "01234567" and nxt:
                i += 2
                continue
            if nxt == "x" and i + 2 < len(text) and text[i + 2] in "0123456789abcdefABCDEF":
                i += 3
                continue
            return f"invalid escape sequence \\{nxt}" if nxt else "unterminated string"
        if c == '"':
            return None if not text[i + 1:].strip() else "unescaped double quote inside a string"
        i += 1
    return "unterminated string"


def _string(text: str, number: int) -> str:
    """The value of the quoted string `text`, unescaped as polib does."""
    if _VALID_STRING.fullmatch(text) is None:
        raise PoSyntaxError(number, _string_error(text) or "invalid string")
    value = text.rstrip()[1:-1]
    return polib.unescape(value) if "\\" in value else value


def _new_entry() -> polib.POEntry:
    # POEntry() with its defaults, without its keyword lookups: one per entry of a large catalog.
    entry: polib.POEntry = polib.POEntry.__new__(polib.POEntry)
    entry.__dict__.update(
        msgid="", msgstr="", msgid_plural="", msgstr_plural={}, msgctxt=None, obsolete=False,
        encoding=polib.default_encoding, comment="", tcomment="", occurrences=[], flags=[],
        previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None, linenum=None,
    )
    return entry


# One entry in the form `serialize_entry` writes for a one-line paragraph: extracted
# comments, references, flags, a previous msgid, msgid and msgstr, one line each, no
# line with surrounding blanks. A catalog made only of such entries after its header
# is read block by block with this pattern (in C) instead of line by line; anything
# else goes to the line parser, which alone reports errors.
_S = r'"[^"\\\n]*(?:\\(?:[ntrvbfa\\"?\']|[0-7]|x[0-9a-fA-F])[^"\\\n]*)*"'
_LINE = r"\S(?:[^\n]*\S)?"
_ACTIVE_BLOCK = re.compile(
    rf"(?P<comments>(?:\#\. {_LINE}\n)*)(?:\#: (?P<refs>{_LINE})\n)?(?:\#, (?P<flags>{_LINE})\n)?"
    rf"(?:\#\| msgid (?P<previous>{_S})\n)?msgid (?P<msgid>{_S})\nmsgstr (?P<msgstr>{_S})"
)
_OBSOLETE_BLOCK = re.compile(
    rf"(?P<comments>(?:\#\. {_LINE}\n)*)(?:\#, (?P<flags>{_LINE})\n)?"
    rf"(?:\#~\| msgid (?P<previous>{_S})\n)?\#~ msgid (?P<msgid>{_S})\n\#~ msgstr (?P<msgstr>{_S})"
)


def _value(quoted: str) -> str:
    value = quoted[1:-1]
    return polib.unescape(value) if "\\" in value else value


def _parse_blocks(text: str) -> polib.POFile | None:
    """`_parse_lines(text)` for a catalog whose entries after the first block all match the block
    patterns; None for any other text (then the line parser reads it)."""
    blocks = text.split("\n\n")
    if blocks and blocks[-1].endswith("\n"):
        blocks[-1] = blocks[-1][:-1]
    first = blocks[0]
    last_line = first.rpartition("\n")[2]
    if last_line.startswith("#") or "\n\n" not in text:
        return None  # the first block's last entry may go on past the blank line
    try:
        po = _parse_lines(first + "\n")
    except PoSyntaxError:
        return None
    if len(po) and po[-1].msgid == "":
        return None  # not the header: the line parser decides what it is
    entries: list[polib.POEntry] = []
    number = first.count("\n") + 3  # the first line of the next block (after one blank line)
    active_block, obsolete_block = _ACTIVE_BLOCK.fullmatch, _OBSOLETE_BLOCK.fullmatch
    encoding = polib.default_encoding
    for block in blocks[1:]:
        # An obsolete block cannot match the active pattern (its lines start with "#~"), nor an
        # active block the obsolete one: the active pattern, the usual case, is tried first.
        match = active_block(block)
        if match is not None:
            obsolete = False
            comments, refs, flags, previous, msgid, msgstr = match.groups()
        else:
            match = obsolete_block(block)
            if match is None:
                return None
            obsolete, refs = True, None
            comments, flags, previous, msgid, msgstr = match.groups()
        if msgid == '""':
            return None
        occurrences: list[tuple[str, str]] = []
        if refs:
            for occurrence in refs.split():
                file, sep, at = occurrence.rpartition(":")
                occurrences.append((file, at) if sep and at.isdigit() else (occurrence, ""))
        # The block's line breaks: one after each line but the msgstr (no string holds one).
        lines = comments.count("\n") + (refs is not None) + (flags is not None) + (previous is not None) + 1
        # The attributes `_new_entry` gives, filled in at once: one entry per paragraph of a large catalog.
        entry: polib.POEntry = polib.POEntry.__new__(polib.POEntry)
        entry.__dict__.update(
            msgid=_value(msgid), msgstr=_value(msgstr),
            msgid_plural="", msgstr_plural={}, msgctxt=None, obsolete=obsolete, encoding=encoding,
            # Every comment line is "#. <text>\n", its text without a line break.
            comment=comments[3:-1].replace("\n#. ", "\n") if comments else "",
            tcomment="", occurrences=occurrences,
            # A flags line has no blanks around it: one flag needs no splitting.
            flags=([flags] if "," not in flags else [flag.strip() for flag in flags.split(",")]) if flags else [],
            previous_msgctxt=None, previous_msgid=_value(previous) if previous is not None else None,
            previous_msgid_plural=None, linenum=number + lines - 1,
        )
        number += lines + 2
        entries.append(entry)
    po.extend(entries)
    return po


def parse_po(text: str) -> polib.POFile:
    """Parse LF-separated PO text (no BOM) strictly into a `polib.POFile`; raises PoSyntaxError."""
    po = _parse_blocks(text)
    return po if po is not None else _parse_lines(text)


def _parse_lines(text: str) -> polib.POFile:
    """`parse_po`, one line at a time: every PO text, and every error with its line."""
    po = polib.POFile(wrapwidth=0, encoding="utf-8")
    po.metadata = {}
    header_lines: list[str] = []
    entries: list[polib.POEntry] = []
    entry = _new_entry()
    state = "start"  # start | header | comment | ctxt | id | plural | str | strn
    field = ""  # the field a continuation string extends ("msgstr[1]", "previous_msgid", ...)
    entry_line = 0
    obsolete_previous: dict[str, str] = {}  # `#~|` fields waiting for their `#~ msgid`
    previous_field: str | None = None

    def start_next() -> None:
        nonlocal entry, state
        if state in {"str", "strn"}:
            entries.append(entry)
            entry = _new_entry()
            state = "comment"

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        obsolete = False
        if line.startswith("#~|"):
            rest = line[3:].strip()
            keyword, _, value = rest.partition(" ")
            if keyword in _PREVIOUS and value.strip().startswith('"'):
                previous_field = keyword
                obsolete_previous[keyword] = _string(value.strip(), number)
            elif rest.startswith('"') and previous_field is not None:
                obsolete_previous[previous_field] += _string(rest, number)
            continue
        if line.startswith("#~"):
            rest = line[2:].strip()
            if not rest:
                raise PoSyntaxError(number, "syntax error")
            line, obsolete = rest, True
        elif line[0] == "#":
            previous_field = None
            obsolete_previous = {}
            if state in {"ctxt", "id", "plural"}:
                raise PoSyntaxError(number, "comment inside an entry")
            kind = line[:2]
            if kind == "#." or kind == "#:" or kind == "#," or kind == "#|":
                if len(line) > 2 and not line[2].isspace():
                    raise PoSyntaxError(number, "syntax error")
                body = line[3:] if len(line) > 2 else ""
                if not body.strip() and kind != "#|":
                    continue  # polib skips an empty `#.`, `#:` or `#,` line
                start_next()
                state = "comment"
                if kind == "#.":
                    entry.comment = f"{entry.comment}\n{body}" if entry.comment else body
                elif kind == "#:":
                    for occurrence in body.split():
                        file, sep, at = occurrence.rpartition(":")
                        if sep and at.isdigit():
                            entry.occurrences.append((file, at))
                        else:
                            entry.occurrences.append((occurrence, ""))
                elif kind == "#,":
                    entry.flags += [flag.strip() for flag in body.split(",")]
                else:  # `#|`: previous msgctxt / msgid / msgid_plural, or a continuation
                    rest = line[2:].strip()
                    if not rest:
                        raise PoSyntaxError(number, "syntax error")
                    if rest.startswith('"'):
                        if not field.startswith("previous_"):
                            raise PoSyntaxError(number, "syntax error")
                        setattr(entry, field, getattr(entry, field) + _string(rest, number))
                        continue
                    keyword, _, value = rest.partition(" ")
                    if keyword not in _PREVIOUS or not value.strip():
                        raise PoSyntaxError(number, f"unknown keyword {keyword[:30]}")
                    field = _PREVIOUS[keyword]
                    setattr(entry, field, _string(value.strip(), number))
                continue
            if line != "#" and not line[1].isspace() and not line.startswith("##"):
                raise PoSyntaxError(number, "syntax error")
            if state in {"start", "header"}:
                # Translator comments before the first entry are the file's header comment.
                header_lines.append(line[2:])
                state = "header"
                continue
            start_next()
            state = "comment"
            comment = line.lstrip("#")
            comment = comment[1:] if comment.startswith(" ") else comment
            entry.tcomment = f"{entry.tcomment}\n{comment}" if entry.tcomment else comment
            continue
        matched = _KEYWORD.match(line)
        if matched is None:
            if line.startswith('"'):
                if state in {"start", "header", "comment"}:
                    raise PoSyntaxError(number, "string outside an entry")
                value = _string(line, number)
                if field.startswith("msgstr["):
                    index = int(field[7:-1])
                    entry.msgstr_plural[index] += value
                else:
                    setattr(entry, field, getattr(entry, field) + value)
                continue
            raise PoSyntaxError(number, f"unknown keyword {line.split(None, 1)[0][:30]!r}")
        if not obsolete:
            previous_field = None
        kw = matched.group("kw")
        value = _string(line[matched.end():], number)
        if kw == "msgctxt":
            if state in {"ctxt", "id", "plural"}:
                raise PoSyntaxError(number, "msgctxt where a msgstr is expected")
            start_next()
            state, entry_line = "ctxt", number
            entry.msgctxt = value
        elif kw == "msgid":
            if state in {"id", "plural"}:
                raise PoSyntaxError(entry_line, "missing msgstr")
            if state != "ctxt":
                start_next()
            state, entry_line = "id", number
            entry.msgid = value
            entry.linenum = number  # editors want the msgid line, as msgfmt reports it
            entry.obsolete = obsolete
            if obsolete:
                for name, previous in obsolete_previous.items():
                    setattr(entry, _PREVIOUS[name], previous)
            obsolete_previous = {}
        elif kw == "msgid_plural":
            if state != "id":
                raise PoSyntaxError(number, "msgid_plural without a msgid")
            state = "plural"
            entry.msgid_plural = value
        elif kw == "msgstr":
            if state != "id":
                raise PoSyntaxError(number, "msgstr without a msgid")
            state = "str"
            entry.msgstr = value
        else:  # msgstr[N]
            if state not in {"plural", "strn"}:
                raise PoSyntaxError(number, f"{kw} without a msgid_plural")
            state = "strn"
            index = int(kw[7:-1])
            if index > 9:
                raise PoSyntaxError(number, "syntax error")  # polib reads one digit only
            entry.msgstr_plural[index] = value
        field = _FIELD.get(kw, kw)
    if state in {"ctxt", "id", "plural"}:
        raise PoSyntaxError(entry_line, "missing msgstr at the end of the file")
    if state in {"str", "strn"}:
        entries.append(entry)
    po.header = "\n".join(header_lines)
    header_entry = next((e for e in entries if not e.obsolete and e.msgid == ""), None)
    if header_entry is not None:
        entries.remove(header_entry)
        po.metadata_is_fuzzy = header_entry.flags  # type: ignore[assignment]  # polib keeps the flags here
        key = None
        for item in header_entry.msgstr.splitlines():
            name, sep, rest = item.partition(":")
            if sep:
                key = name
                po.metadata[key] = rest.strip()
            elif key is not None:
                po.metadata[key] += "\n" + item.strip()
    po.extend(entries)
    return po


_ESCAPE = polib.escape
_NEEDS_ESCAPE = re.compile(r'[\\\t\r\n\v\b\f"]')
_SPLITS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")  # what str.splitlines breaks on


def _field(out: list[str], prefix: str, name: str, value: str) -> None:
    """polib's `_str_field` at wrap width 0."""
    if _SPLITS.search(value) is None:
        escaped = _ESCAPE(value) if _NEEDS_ESCAPE.search(value) else value
        out.append(f'{prefix}{name} "{escaped}"')
        return
    lines = value.splitlines(True)
    if len(lines) > 1:
        out.append(f'{prefix}{name} ""')
    else:
        out.append(f'{prefix}{name} "{_ESCAPE(lines.pop(0))}"')
    out.extend(f'{prefix}"{_ESCAPE(line)}"' for line in lines)


def serialize_entry(entry: polib.POEntry) -> str:
    """``entry.__unicode__(0)``, and for an obsolete entry its ``#.`` lines too (polib drops them).

    msgfmt, polib and Babel all read ``#.`` lines above a ``#~`` entry;
    keeping them keeps the machine mark of an entry that may come back.
    """
    out: list[str] = []
    if entry.tcomment:
        out.extend(f"# {line}" for line in entry.tcomment.split("\n"))
    if entry.comment:
        out.extend(f"#. {line}" for line in entry.comment.split("\n"))
    obsolete = entry.obsolete
    if not obsolete and entry.occurrences:
        out.append("#: " + " ".join(f"{file}:{line}" if line else file for file, line in entry.occurrences))
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    prefix = "#~| " if obsolete else "#| "
    for name in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(entry, "previous_" + name)
        if value is not None:
            _field(out, prefix, name, value)
    delflag = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        _field(out, delflag, "msgctxt", entry.msgctxt)
    _field(out, delflag, "msgid", entry.msgid)
    if entry.msgid_plural:
        _field(out, delflag, "msgid_plural", entry.msgid_plural)
    if entry.msgstr_plural:
        for index in sorted(entry.msgstr_plural):
            _field(out, delflag, f"msgstr[{index}]", entry.msgstr_plural[index])
    else:
        _field(out, delflag, "msgstr", entry.msgstr)
    out.append("")
    return "\n".join(out)


def serialize_header(po: polib.POFile) -> str:
    """The header comment and metadata entry, as polib writes them."""
    text = ""
    for line in po.header.split("\n"):
        if not line:
            text += "#\n"
        elif line[:1] in (",", ":"):
            text += f"#{line}\n"
        else:
            text += f"# {line}\n"
    return text + serialize_entry(po.metadata_as_entry())


def serialize_body(po: polib.POFile) -> str:
    """Every entry after the header: active ones first, then obsolete ones."""
    parts = [serialize_entry(e) for e in po if not e.obsolete]
    parts += [serialize_entry(e) for e in po if e.obsolete]
    return "\n".join(parts)


def serialize_po(po: polib.POFile, body: str | None = None) -> bytes:
    """The catalog's bytes (UTF-8, LF); `body` is `serialize_body(po)` when already made."""
    if body is None:
        body = serialize_body(po)
    text = serialize_header(po)
    if body:
        text += "\n" + body
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")
