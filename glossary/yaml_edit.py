"""Edit a glossary YAML file so that a `git diff` shows only the change.

Editors own the glossary file: its comments, key order, quoting and
indentation are theirs. Changes are made on a `ruamel.yaml` round-trip tree,
then merged back into the original text line by line (see `minimal_merge`):
wherever the round-trip dumper would reformat a line the change does not touch
(`[ a, b ]` spacing, a list indented differently from the rest of the file),
the editor's original line is kept.

Both editors of the file (the review workflow here and `glossary.changes`
for imports) use this module's merge, its ruamel tree helpers (`find_concept`,
`find_locale_key`, `locale_order`, `insert_key`, `dump`) and its file helpers:
loading a glossary from text, atomic writes (temporary file in the same folder
+ `os.replace`) and the lock file that serialises every writer of a glossary
and its side files.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from glossary import files
from glossary.errors import GlossaryError, GlossaryInvalid, UnknownConcept, UnknownLocale
from glossary.load import load_glossary
from glossary.locales import normalize_locale
from glossary.model import Glossary, Status

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "RenderingChange",
    "ReviewFileError",
    "ReviewLockTimeout",
    "YamlEditError",
    "atomic_write_bytes",
    "atomic_write_text",
    "dump",
    "edit_text",
    "find_concept",
    "find_locale_key",
    "glossary_lock",
    "insert_key",
    "load_glossary_text",
    "locale_order",
    "minimal_merge",
    "read_text",
    "set_rendering",
    "write_all_or_nothing",
    "write_atomic",
]

DEFAULT_LOCK_TIMEOUT = 30.0
# Wide enough that the dumper never folds a long line the editor wrote on one.
_NO_WRAP = 1 << 30


class YamlEditError(GlossaryError):
    """The glossary file cannot be edited (not the expected shape, or unparsable)."""


class ReviewFileError(GlossaryError):
    """A glossary, proposals or history file cannot be read or written."""


class ReviewLockTimeout(ReviewFileError):
    """Another command held the glossary's lock for longer than the timeout."""


@dataclass(frozen=True)
class RenderingChange:
    """What one edit does to one rendering of one concept in one locale.

    `old_status` is None for a rendering the edit adds. `forms_added` lists
    inflected forms the edit appends to the rendering's `forms`.
    """

    concept: str
    locale: str
    text: str
    old_status: str | None
    new_status: str
    forms_added: tuple[str, ...] = ()
    why: str = ""  # set for consequential changes, e.g. a demoted preferred

    def describe(self) -> str:
        """One line for a person: `karabakh/de: 'Bergkarabach' admitted -> preferred`."""
        where = f"{self.concept}/{self.locale}: {self.text!r}"
        if self.old_status is None:
            text = f"{where} added as {self.new_status}"
        elif self.old_status != self.new_status:
            text = f"{where} {self.old_status} -> {self.new_status}"
        else:
            text = f"{where} stays {self.new_status}"
        if self.forms_added:
            text += f", forms added: {', '.join(self.forms_added)}"
        if self.why:
            text += f" ({self.why})"
        return text

    def to_dict(self) -> dict[str, Any]:
        """A record for the history file and `--json`."""
        record: dict[str, Any] = {
            "concept": self.concept,
            "locale": self.locale,
            "text": self.text,
            "from": self.old_status,
            "to": self.new_status,
        }
        if self.forms_added:
            record["forms_added"] = list(self.forms_added)
        if self.why:
            record["why"] = self.why
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> RenderingChange:
        """Inverse of `to_dict` (reading the history file)."""
        return cls(
            concept=str(record.get("concept", "")),
            locale=str(record.get("locale", "")),
            text=str(record.get("text", "")),
            old_status=None if record.get("from") is None else str(record["from"]),
            new_status=str(record.get("to", "")),
            forms_added=tuple(str(f) for f in record.get("forms_added") or ()),
            why=str(record.get("why") or ""),
        )


# --------------------------------------------------------------------------- round trip


_KEY_LINE = re.compile(r"^(?P<indent> *)[^\s#-][^#]*:\s*(#.*)?$")
_DASH_LINE = re.compile(r"^(?P<indent> *)-(?P<gap> +)\S")


def _guess_indent(text: str) -> tuple[int, int] | None:
    """(sequence indent, dash offset) of the first block list under a key.

    `ruamel.yaml.util.load_yaml_guess_indent` parses the whole file for this;
    the first `key:` line followed by a `- item` line tells the same.
    """
    previous: re.Match[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        dash = _DASH_LINE.match(line)
        if dash and previous is not None:
            offset = len(dash.group("indent")) - len(previous.group("indent"))
            if offset >= 0:
                return offset + 1 + len(dash.group("gap")), offset
        previous = _KEY_LINE.match(line)
    return None


def _round_trip_yaml(text: str) -> YAML:
    """A round-trip YAML instance set up to write the file the way it is written."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = _NO_WRAP
    # With no block list to learn from, the documented layout (`- id:` two
    # spaces in, item keys four) is as good as any.
    sequence, offset = _guess_indent(text) or (4, 2)
    yaml.indent(mapping=2, sequence=max(sequence, offset + 2), offset=offset)
    return yaml


def _load_tree(text: str, name: str) -> tuple[YAML, Any]:
    yaml = _round_trip_yaml(text)
    try:
        return yaml, yaml.load(text)
    except YAMLError as error:
        raise YamlEditError(f"{name}: cannot parse the YAML: {error}") from None


def dump(yaml: YAML, tree: Any) -> str:
    """The text `yaml` writes for a round-trip tree."""
    buffer = io.StringIO()
    yaml.dump(tree, buffer)
    return buffer.getvalue()


def _plain(text: str) -> Any:
    """The data of a YAML text, for comparing two texts by meaning."""
    return YAML(typ="safe", pure=True).load(text)


def minimal_merge(original: str, unchanged_dump: str, changed_dump: str) -> str:
    """Apply the change between two dumps to the original text, line by line.

    `unchanged_dump` is the dumper's rendering of the original tree and
    `changed_dump` its rendering after the edit. Lines that are identical in
    all three texts (found by aligning original with unchanged dump, and
    unchanged dump with changed dump) are anchors; between two anchors the
    original text is kept if the dumps agree there, and the changed dump is
    used otherwise. So the result differs from the original only in regions
    the edit touched, even where the dumper reformats other lines. Callers
    check that the result means what `changed_dump` means.
    """
    if original == unchanged_dump:
        return changed_dump
    a = original.splitlines(keepends=True)
    b = unchanged_dump.splitlines(keepends=True)
    c = changed_dump.splitlines(keepends=True)
    b_to_a: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            b_to_a[block.b + k] = block.a + k
    b_to_c: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, b, c, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            b_to_c[block.a + k] = block.b + k
    anchors = [(-1, -1, -1)]
    anchors += [(i, b_to_a[i], b_to_c[i]) for i in range(len(b)) if i in b_to_a and i in b_to_c]
    anchors.append((len(b), len(a), len(c)))
    out: list[str] = []
    for (bi, ai, ci), (bj, aj, cj) in zip(anchors, anchors[1:]):
        if bi >= 0:
            out.append(a[ai])
        a_gap, b_gap, c_gap = a[ai + 1 : aj], b[bi + 1 : bj], c[ci + 1 : cj]
        if b_gap == c_gap:
            out.extend(a_gap)
        elif len(a_gap) == len(b_gap):
            # The dumper rewrote these lines one for one (`[ a ]` -> `[a]`):
            # keep the original of every line the edit leaves alone.
            matcher = difflib.SequenceMatcher(None, b_gap, c_gap, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                out.extend(a_gap[i1:i2] if tag == "equal" else c_gap[j1:j2])
        else:
            out.extend(_keep_untouched_runs(a_gap, b_gap, c_gap))
    return "".join(out)


def _keep_untouched_runs(a: list[str], b: list[str], c: list[str]) -> list[str]:
    """The lines of `c`, except runs the edit left alone, which stay as in `a`.

    For a gap where the dumper did not rewrite one line for one (a flow list
    wrapped by hand over two lines, dumped on one): `b` is aligned with `a` in
    runs, and a run whose lines `c` leaves as `b` has them keeps `a`'s lines.
    """
    # The C position of each B line (for an edited line: where its
    # replacement starts), so a B run maps to the C lines that replace it.
    c_pos = [0] * (len(b) + 1)
    for tag, i1, i2, j1, _j2 in difflib.SequenceMatcher(None, b, c, autojunk=False).get_opcodes():
        for index in range(i1, i2):
            c_pos[index] = j1 + (index - i1) if tag == "equal" else j1
    # Lines inserted before the first line belong to the first run, lines
    # inserted at a run boundary to the run before it.
    c_pos[0] = 0
    c_pos[len(b)] = len(c)
    out: list[str] = []
    for _tag, b1, b2, a1, a2 in difflib.SequenceMatcher(None, b, a, autojunk=False).get_opcodes():
        c_run = c[c_pos[b1] : c_pos[b2]]
        out.extend(a[a1:a2] if c_run == b[b1:b2] else c_run)
    return out


def edit_text(text: str, name: str, concept_id: str, locale: str, rendering_text: str,
              status: Status, forms: tuple[str, ...] = ()) -> tuple[str, list[RenderingChange]]:
    """The file's text with one rendering set, and what changed.

    The merged text is checked to mean exactly what the edited tree means; if
    the line merge cannot guarantee that (the dumper re-indented the very
    block that changed), the dumper's full output is used instead: a larger
    diff, but never a wrong file.
    """
    yaml, tree = _load_tree(text, name)
    before = dump(yaml, tree)
    changes = set_rendering(tree, concept_id, locale, rendering_text, status, forms)
    after = dump(yaml, tree)
    merged = minimal_merge(text, before, after)
    try:
        if _plain(merged) == _plain(after):
            return merged, changes
    except YAMLError:
        pass
    return after, changes


# --------------------------------------------------------------------------- tree edits


def _normal_text(value: Any) -> str:
    return " ".join(str(value).split())


def find_concept(tree: Any, concept_id: str) -> tuple[int, CommentedMap] | None:
    """The index and node of a concept in the tree's `concepts` list, or None."""
    concepts = tree.get("concepts") if isinstance(tree, dict) else None
    if not isinstance(concepts, list):
        raise YamlEditError("the glossary file has no 'concepts' list")
    for index, node in enumerate(concepts):
        if isinstance(node, dict) and node.get("id") == concept_id:
            return index, node
    return None


def find_locale_key(mapping: Any, locale: str) -> Any:
    """The key under which `locale` is written (`pt_BR`, `pt-BR`, ...), or None."""
    for key in mapping:
        try:
            if isinstance(key, str) and normalize_locale(key) == locale:
                return key
        except UnknownLocale:
            continue
    return None


def locale_order(tree: Any) -> list[str]:
    """The tree's top `locales` list, normalized (unknown codes left out)."""
    order: list[str] = []
    for value in tree.get("locales") or ():
        with contextlib.suppress(UnknownLocale):
            order.append(normalize_locale(str(value)))
    return order


def _is_flow(node: Any) -> bool:
    # A flow collection (`[a, b]`, `{text: x}`) is written on one line: what
    # follows it belongs to the key or item that holds it, not to its items.
    return isinstance(node, (CommentedMap, CommentedSeq)) and bool(node.fa.flow_style())


def _post_comment_slot(node: Any) -> tuple[Any, Any, int] | None:
    """Where the comment after a node's last line is kept: (owner, key, index).

    ruamel attaches the blank lines and comments that follow a block to the
    deepest last scalar in it; appending after that block would otherwise push
    them above the new lines.
    """
    if isinstance(node, CommentedMap) and node:
        key = list(node.keys())[-1]
        deeper = None if _is_flow(node[key]) else _post_comment_slot(node[key])
        if deeper is not None:
            return deeper
        return (node, key, 2)
    if isinstance(node, CommentedSeq) and node:
        index = len(node) - 1
        deeper = None if _is_flow(node[index]) else _post_comment_slot(node[index])
        if deeper is not None:
            return deeper
        return (node, index, 0)
    return None


def _take_comment(slot: tuple[Any, Any, int] | None) -> Any:
    if slot is None:
        return None
    owner, key, index = slot
    entry = owner.ca.items.get(key)
    if not entry or len(entry) <= index or entry[index] is None:
        return None
    token = entry[index]
    entry[index] = None
    return token


def _put_comment(slot: tuple[Any, Any, int] | None, token: Any) -> None:
    if slot is None or token is None:
        return
    owner, key, index = slot
    entry = owner.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) <= index:
        entry.append(None)
    entry[index] = token


def _append_item(seq: CommentedSeq, item: Any) -> None:
    """Append to a block list, keeping what followed the list after it."""
    token = _take_comment(_post_comment_slot(seq))
    seq.append(item)
    _put_comment(_post_comment_slot(seq), token)


def insert_key(node: CommentedMap, position: int, key: str, value: Any) -> None:
    """Insert a key; at the end of the mapping, keep what followed it after it."""
    if position < len(node):
        node.insert(position, key, value)
        return
    token = _take_comment(_post_comment_slot(node))
    node.insert(position, key, value)
    _put_comment(_post_comment_slot(node), token)


def _flow_seq(values: tuple[str, ...]) -> CommentedSeq:
    seq = CommentedSeq(list(values))
    seq.fa.set_flow_style()  # `forms: [a, b]`, as the documented layout writes it
    return seq


def _locale_position(terms: CommentedMap, locale: str, order: list[str]) -> int:
    """Where a new locale goes under `terms`: in the order of the top `locales` list."""
    if locale not in order:
        return len(terms)
    rank = order.index(locale)
    position = 0
    for index, key in enumerate(terms.keys()):
        try:
            other = normalize_locale(key)
        except UnknownLocale:
            continue
        if other in order and order.index(other) < rank:
            position = index + 1
    return position


def set_rendering(tree: Any, concept_id: str, locale: str, text: str, status: Status,
                  forms: tuple[str, ...] = ()) -> list[RenderingChange]:
    """Give `text` the status `status` in one concept and locale, in place.

    An existing rendering with the same text (compared case-insensitively, as
    the matcher compares) changes status and gains the missing `forms`;
    otherwise a new rendering is appended. A new preferred rendering demotes
    the locale's other preferred ones to admitted, because a locale has one
    first choice. Returns every change, the requested one first.
    """
    locale = normalize_locale(locale)
    text = _normal_text(text)
    found = find_concept(tree, concept_id)
    if found is None:
        raise UnknownConcept(f"no concept {concept_id!r} in the glossary")
    concept = found[1]
    terms = concept.get("terms")
    if not isinstance(terms, CommentedMap):
        raise YamlEditError(f"concept {concept_id!r} has no 'terms' mapping")
    key = find_locale_key(terms, locale)
    if key is None:
        key = locale
        insert_key(terms, _locale_position(terms, locale, locale_order(tree)), key, CommentedSeq())
    items = terms[key]
    if not isinstance(items, CommentedSeq):
        raise YamlEditError(f"'terms' {key} of concept {concept_id!r} is not a list")

    changes: list[RenderingChange] = []
    target = next(
        (item for item in items
         if isinstance(item, dict) and _normal_text(item.get("text", "")).casefold() == text.casefold()),
        None,
    )
    if target is None:
        target = CommentedMap()
        target["text"] = text
        target["status"] = status.value
        if forms:
            target["forms"] = _flow_seq(forms)
        if len(items) and isinstance(items[-1], CommentedMap) and items[-1].fa.flow_style():
            target.fa.set_flow_style()  # match `- {text: ..., status: ...}` neighbours
        _append_item(items, target)
        changes.append(RenderingChange(concept_id, locale, text, None, status.value, tuple(forms)))
    else:
        old = str(target.get("status"))
        if old != status.value:
            target["status"] = status.value
        present = target.get("forms")
        listed = {_normal_text(f).casefold() for f in present or ()} | {text.casefold()}
        added: list[str] = []
        for form in forms:
            if form.casefold() not in listed:
                listed.add(form.casefold())
                added.append(form)
        if added:
            if isinstance(present, CommentedSeq):
                present.extend(added)
            else:
                keys = list(target.keys())
                where = keys.index("status") + 1 if "status" in keys else len(keys)
                insert_key(target, where, "forms", _flow_seq(tuple(added)))
        changes.append(RenderingChange(concept_id, locale, _normal_text(target["text"]), old,
                                       status.value, tuple(added)))

    if status is Status.PREFERRED:
        for item in items:
            if item is target or not isinstance(item, dict):
                continue
            if str(item.get("status")) == Status.PREFERRED.value:
                item["status"] = Status.ADMITTED.value
                changes.append(RenderingChange(
                    concept_id, locale, _normal_text(item.get("text", "")), Status.PREFERRED.value,
                    Status.ADMITTED.value, why="demoted: a locale has one preferred rendering",
                ))
    return changes


# --------------------------------------------------------------------------- files


def load_glossary_text(text: str, name: str, folder: Path | None = None) -> Glossary:
    """Validate a glossary given as text, reporting problems against `name`.

    `load_glossary` reads a path, so the text goes to a private temporary file
    (in `folder` if given, e.g. next to the real file); problems and the
    result name `name` instead, and `digest` is that of the UTF-8 text.
    Raises GlossaryInvalid.
    """
    with tempfile.TemporaryDirectory(dir=folder, prefix=".termguard-check-") as tmp:
        path = Path(tmp) / "glossary.yaml"
        path.write_bytes(text.encode("utf-8"))
        try:
            glossary = load_glossary(path)
        except GlossaryInvalid as error:
            raise GlossaryInvalid([replace(p, path=name) for p in error.problems]) from None
    return replace(glossary, path=name)


def read_text(path: Path) -> str:
    """A UTF-8 text file, or ReviewFileError."""
    try:
        return files.read_text(path)
    except files.FileInputError as error:
        raise ReviewFileError(str(error)) from None


def atomic_write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8); see `atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` through glossary.files, or ReviewFileError."""
    try:
        files.write_bytes(path, data)
    except files.FileWriteError as error:
        raise ReviewFileError(str(error)) from None


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write a file (text as UTF-8) through glossary.files, creating its folder; raises OSError."""
    files.write_bytes(path, data.encode("utf-8") if isinstance(data, str) else data, parents=True)


def write_all_or_nothing(writes: list[tuple[Path, str]]) -> None:
    """Write several files as one change (glossary.files.write_group): all or none, even on a kill."""
    try:
        files.write_group([(path, text, None) for path, text in writes])
    except files.FileWriteError as error:
        raise ReviewFileError(str(error)) from None


@contextlib.contextmanager
def glossary_lock(glossary_path: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the lock of the glossary (glossary.files.locked) for the glossary and its side files.

    One lock covers the glossary, its proposals and its history, so an
    approval changes all three as one step and proposal ids stay unique.
    """
    try:
        with files.locked(glossary_path, timeout=timeout):
            yield
    except files.FileLockTimeout:
        raise ReviewLockTimeout(
            f"{glossary_path} is being changed by another termguard command (waited {timeout:g} s); try again"
        ) from None
