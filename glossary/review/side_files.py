"""The review workflow's side files: one list of records each (proposals, history events).

Both files only grow: every command appends a record or two and may rewrite
one. Read by libyaml where it reads them as ruamel would, and rewritten by
keeping the text of every record that did not change, so a command costs
about the same after a thousand earlier edits as after one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.representer import RoundTripRepresenter

from glossary import files
from glossary.edit.layout import round_trip_yaml
from glossary.edit.records import plain
from glossary.edit.yaml_edit import ReviewFileError, read_text
from glossary.termbase.parse import parse_fast, plain_is_text

__all__ = ["SideList", "dump_side_list", "read_side_list", "side_path"]


def side_path(glossary_path: Path, kind: str) -> Path:
    """`<stem>.<kind>.yaml` next to the glossary: `curated.yaml` -> `curated.history.yaml`."""
    glossary_path = Path(glossary_path)
    return glossary_path.with_name(f"{glossary_path.stem}.{kind}.yaml")


@dataclass(frozen=True)
class SideList:
    """The list under one key of a side file, as read.

    `snapshot` is what a rewrite is checked against (a save in between is
    noticed, not overwritten). `text` (LF) and `starts` (the 0-based line
    each record starts on) let a rewrite keep the text of the records that
    did not change; `starts` is None unless the list is laid out as this
    module writes it: the last key of the file, one record after another.
    """

    items: list[dict[str, Any]]
    snapshot: files.Snapshot
    text: str = ""
    starts: tuple[int, ...] | None = None


def read_side_list(path: Path, key: str) -> SideList:
    """The list under `key` of a side file; an absent file is an empty list."""
    for _ in range(5):
        snap = files.snapshot(path)
        if not snap.exists:
            return SideList([], snap)
        # LF text: the rewrite is encoded back to the file's own line endings (encode_like).
        text = read_text(path).replace("\r\n", "\n").replace("\r", "\n")
        if files.snapshot(path) == snap:
            items, starts = _parse_list(path, key, text)
            return SideList(items, snap, text, starts)
    raise files.ConcurrentEditError(f"{path}: the file keeps changing while it is read; try again")


def _parse_list(path: Path, key: str, text: str) -> tuple[list[dict[str, Any]], tuple[int, ...] | None]:
    starts: tuple[int, ...] | None = None
    data = parse_fast(text)
    if isinstance(data, dict) and isinstance(data.get(key), list):
        starts = _record_starts(text, data, key)
    elif data is None:
        try:
            # Safe loader: these files are data; values are re-typed by the records.
            data = YAML(typ="safe", pure=True).load(text)
        except YAMLError as error:
            raise ReviewFileError(f"{path}: not valid YAML ({error}); restore it from git") from None
    if data is None:
        return [], None
    if not isinstance(data, dict) or not isinstance(data.get(key) or [], list):
        raise ReviewFileError(f"{path}: expected a mapping with a '{key}' list; restore it from git")
    items = data.get(key) or []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ReviewFileError(f"{path}: item {index + 1} of '{key}' is not a mapping")
    return items, starts


# The first line of a record, as round_trip_yaml writes a list under a key.
_ITEM = "  - "


def _record_starts(text: str, data: Any, key: str) -> tuple[int, ...] | None:
    """Where each record starts, if the text of one can be swapped for another's, else None.

    That holds for a block list that is the file's last key (everything from
    a record's first line up to the next record, or the end, is that record)
    with every record at the indentation this module writes.
    """
    starts = tuple(data[key].lc.items)
    if not starts or list(data)[-1] != key or not text.endswith("\n"):
        return None
    lines = text.splitlines()
    if any(not lines[line].startswith(_ITEM) for line in starts):
        return None
    # A document end or start marker after the list would end it.
    if any(line.startswith(("...", "---")) for line in lines[starts[-1]:]):
        return None
    return starts


class _SideRepresenter(RoundTripRepresenter):
    """How the side files write values, without changing how a glossary is written."""

    def ignore_aliases(self, data: Any) -> bool:
        # A value shared by two fields (a rendering's forms before and after an
        # edit) is written out twice: an &anchor / *alias pair would tie them
        # together for anyone editing the file, and records written apart would clash.
        return True


def _null(representer: RoundTripRepresenter, _: None) -> Any:
    # `decided_by: null` reads as "not yet"; an empty value looks like a mistake.
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _text(representer: RoundTripRepresenter, data: str) -> Any:
    # A text YAML 1.1 reads as something else (a reason of "no" is false to
    # PyYAML and many tools) is quoted; ruamel alone quotes only for 1.2.
    if data and "\n" not in data and not plain_is_text(data):
        return representer.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return representer.represent_str(data)


_SideRepresenter.add_representer(type(None), _null)
_SideRepresenter.add_representer(str, _text)


def _dumper() -> YAML:
    yaml = round_trip_yaml()  # one value per line, however long a reason is
    yaml.Representer = _SideRepresenter
    return yaml


def _dump(yaml: YAML, data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def dump_side_list(header: str, name: str, key: str, items: list[dict[str, Any]],
                   previous: SideList | None = None) -> str:
    """A side file's text: a comment header, `glossary: <name>`, and the list.

    With `previous` (the file as read), a record equal to the one read at
    the same place keeps its text and only the others are written, each
    read back and kept only where it reads as the record.
    """
    yaml = _dumper()
    if previous is not None and previous.starts is not None and len(items) >= len(previous.items):
        kept = _splice(yaml, name, key, items, previous)
        if kept is not None:
            return kept
    return header.format(name=name) + _dump(yaml, {"glossary": name, key: plain(items)})


def _splice(yaml: YAML, name: str, key: str, items: list[dict[str, Any]], previous: SideList) -> str | None:
    assert previous.starts is not None
    lines = previous.text.splitlines(keepends=True)
    head = lines[: previous.starts[0]]
    # The glossary the file names, and nothing else before the list.
    if parse_fast("".join(head) + "  - {}\n") != {"glossary": name, key: [{}]}:
        return None
    bounds = [*previous.starts, len(lines)]
    out = head
    for index, item in enumerate(items):
        old = lines[bounds[index] : bounds[index + 1]] if index < len(previous.items) else []
        if old and item == previous.items[index]:
            out += old
            continue
        # Comments and blank lines after the record (often about the next one) stay,
        # where the record reads the same without them (a block scalar's lines may
        # look like comments).
        tail = len(old)
        while tail > 1 and (not old[tail - 1].strip() or old[tail - 1].lstrip().startswith("#")):
            tail -= 1
        if tail < len(old) and parse_fast(f"{key}:\n" + "".join(old[:tail])) != {key: [previous.items[index]]}:
            tail = len(old)
        # The record alone, as the whole file would hold it: the lines after `key:`.
        item = plain(item)
        own = _dump(yaml, {key: [item]}) + "".join(old[tail:])
        if not own.startswith(f"{key}:\n{_ITEM}") or parse_fast(own) != {key: [item]}:
            return None
        out.append(own[len(key) + 2 :])
    return "".join(out)
