"""The one YAML set-up for editing the glossary, and the line merge that keeps the editors' layout.

Changes are made on a `ruamel.yaml` round-trip tree, then merged back into the
original text line by line (`minimal_merge`): wherever the round-trip dumper
would reformat a line the change does not touch (`[ a, b ]` spacing, a list
indented differently from the rest of the file), the editor's line is kept.
"""

from __future__ import annotations

import difflib
import io
import itertools
import re
from typing import Any

from ruamel.yaml import YAML

__all__ = ["dump", "guess_indent", "minimal_merge", "plain_data", "round_trip_yaml", "safe_load"]

# Wide enough that the dumper never folds a long line the editor wrote on one.
NO_WRAP = 1 << 30

_KEY_LINE = re.compile(r"^(?P<indent> *)[^\s#-][^#]*:\s*(#.*)?$")
_DASH_LINE = re.compile(r"^(?P<indent> *)-(?P<gap> +)\S")
_ANY_KEY = re.compile(r"^(?P<indent> *)[^\s#-][^:#]*:(\s|$)")


def guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) of a YAML file.

    The first `key:` line followed by a `- item` line gives the list layout,
    the first `key:` line followed by a deeper `key:` line the mapping indent;
    the documented layout (2, 4, 2) fills in what the file does not show.
    Parsing the file once per candidate layout would cost seconds.
    """
    mapping: int | None = None
    sequence: tuple[int, int] | None = None
    previous: re.Match[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        dash = _DASH_LINE.match(line)
        if sequence is None and dash and previous is not None:
            offset = len(dash.group("indent")) - len(previous.group("indent"))
            if offset >= 0:
                sequence = (offset + 1 + len(dash.group("gap")), offset)
        key = _ANY_KEY.match(line)
        if mapping is None and key and previous is not None:
            deeper = len(key.group("indent")) - len(previous.group("indent"))
            if deeper > 0:
                mapping = deeper
        if mapping is not None and sequence is not None:
            break
        previous = _KEY_LINE.match(line)
    seq, offset = sequence or (4, 2)
    return mapping or 2, max(seq, offset + 2), offset


def round_trip_yaml(text: str = "") -> YAML:
    """A round-trip YAML instance set up to write `text` the way it is written."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = NO_WRAP
    yaml.allow_unicode = True
    mapping, sequence, offset = guess_indent(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def dump(yaml: YAML, tree: Any) -> str:
    """The text `yaml` writes for a round-trip tree."""
    buffer = io.StringIO()
    yaml.dump(tree, buffer)
    return buffer.getvalue()


def safe_load(text: str) -> Any:
    """The plain data of a YAML text (the C loader where installed: only for comparing meaning)."""
    return YAML(typ="safe").load(text)


def plain_data(node: Any) -> Any:
    """A round-trip tree as plain data, to compare with `safe_load` of a text."""
    if isinstance(node, dict):
        return {plain_data(k): plain_data(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain_data(v) for v in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


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
    for (bi, ai, ci), (bj, aj, cj) in itertools.pairwise(anchors):
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
