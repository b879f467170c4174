"""Write a glossary back as YAML in the documented format (docs/glossary-format.md).

Imports (TBX) build a `Glossary` in memory; this module turns it back into the
file editors own, so that `load_glossary(dump_glossary(g))` gives `g` again.
It also holds the plain-mapping form of concepts and renderings that change
records carry, and the small helpers every exchange module shares: loading a
glossary from text and writing a file atomically.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from glossary.errors import GlossaryInvalid, Problem
from glossary.load import SCHEMA_VERSION, load_glossary
from glossary.model import DEFAULT_STEM_MAX, Concept, Glossary, Rendering

# Wide enough that ruamel never folds a value over two lines: one value per
# line keeps `git diff` of a generated file readable and line-based.
YAML_WIDTH = 4096

_HEADER = "# Glossary of contested terms; the format is described in docs/glossary-format.md.\n"


def rendering_to_mapping(rendering: Rendering) -> dict[str, Any]:
    """A rendering as the plain mapping the YAML file holds (keys in documented order)."""
    data: dict[str, Any] = {"text": rendering.text, "status": rendering.status.value}
    if rendering.forms:
        data["forms"] = list(rendering.forms)
    if rendering.stem is not None:
        data["stem"] = rendering.stem
        # Written even when it is the default: an editor reading a stem rule
        # should see its limit without looking up the default.
        data["stem_max"] = rendering.stem_max
    elif rendering.stem_max != DEFAULT_STEM_MAX:
        data["stem_max"] = rendering.stem_max
    if rendering.note is not None:
        data["note"] = rendering.note
    return data


def concept_to_mapping(concept: Concept) -> dict[str, Any]:
    """A concept as the plain mapping the YAML file holds (keys in documented order)."""
    data: dict[str, Any] = {"id": concept.id}
    if concept.subject is not None:
        data["subject"] = concept.subject
    data["policy"] = concept.policy.value
    data["quotation"] = concept.quotation.value
    if concept.use_instead is not None:
        data["use_instead"] = concept.use_instead
    data["definition"] = concept.definition
    data["note"] = concept.note
    if concept.first_mention:
        data["first_mention"] = dict(concept.first_mention)
    data["terms"] = {
        locale: [rendering_to_mapping(r) for r in renderings]
        for locale, renderings in concept.terms.items()
    }
    return data


def glossary_to_mapping(glossary: Glossary) -> dict[str, Any]:
    """The whole glossary as plain data, in the shape of the YAML file."""
    return {
        "schema": SCHEMA_VERSION,
        "source": glossary.source,
        "locales": list(glossary.locales),
        "concepts": [concept_to_mapping(c) for c in glossary.concepts.values()],
    }


def to_commented(value: Any, flow_lists: bool = False) -> Any:
    """Plain data -> ruamel round-trip nodes, with short lists in flow style.

    `forms: [a, b]` and `locales: [en, de]` are written inline as the
    documentation shows them; lists of mappings stay in block style.
    """
    if isinstance(value, dict):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = to_commented(item, flow_lists=key in ("forms", "locales"))
        return node
    if isinstance(value, (list, tuple)):
        items = [to_commented(item) for item in value]
        if flow_lists:
            # ruamel writes `?x` unquoted inside [...], where it reads back as
            # a mapping key; quoting those items keeps the list a list.
            items = [
                DoubleQuotedScalarString(item) if isinstance(item, str) and item.startswith("?") else item
                for item in items
            ]
        seq = CommentedSeq(items)
        if flow_lists:
            seq.fa.set_flow_style()
        return seq
    return value


def new_yaml() -> YAML:
    """The ruamel round-trip emitter configured for the documented layout."""
    yaml = YAML(typ="rt")
    yaml.width = YAML_WIDTH
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


_CONCEPT_START = re.compile(r"^  - id: ", re.MULTILINE)


def dump_glossary(glossary: Glossary) -> str:
    """The glossary as YAML text that `load_glossary` reads back equal."""
    stream = io.StringIO()
    new_yaml().dump(to_commented(glossary_to_mapping(glossary)), stream)
    text = stream.getvalue()
    # A blank line between concepts, as in the hand-written files. The pattern
    # is unambiguous: no value spans lines at this width, and only concept
    # items sit at this indentation.
    starts = [m.start() for m in _CONCEPT_START.finditer(text)]
    for position in reversed(starts[1:]):
        text = text[:position] + "\n" + text[position:]
    return _HEADER + text


def load_glossary_text(text: str, name: str) -> Glossary:
    """Validate YAML text with the same rules as `load_glossary`.

    The loader reads files only, so the text goes through a private temporary
    file; problems and the result name `name` instead of that file.
    Raises GlossaryInvalid.
    """
    data = text.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="termguard-") as folder:
        path = Path(folder) / "glossary.yaml"
        path.write_bytes(data)
        try:
            glossary = load_glossary(path)
        except GlossaryInvalid as error:
            raise GlossaryInvalid(
                [Problem(name, p.line, p.message, p.hint) for p in error.problems]
            ) from None
    return replace(glossary, path=name, digest=hashlib.sha256(data).hexdigest())


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write a file so that readers see the old or the new content, never half.

    The temporary file sits in the target folder so `os.replace` stays on one
    file system and is atomic.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o777)
        else:
            os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


__all__ = [
    "concept_to_mapping",
    "dump_glossary",
    "glossary_to_mapping",
    "load_glossary_text",
    "new_yaml",
    "rendering_to_mapping",
    "to_commented",
    "write_atomic",
]
