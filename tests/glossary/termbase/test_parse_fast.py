"""The libyaml fast path reads a valid glossary exactly as ruamel does, and leaves the rest to ruamel."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from glossary.errors import GlossaryInvalid
from glossary.termbase.load import default_glossary_path
from glossary.termbase.model import Glossary
from glossary.termbase.parse import parse_fast, parse_yaml
from glossary.termbase.validate import validate_tree

DATA = Path(__file__).resolve().parents[2] / "data"
FILES = sorted({*DATA.rglob("*.yaml"), default_glossary_path()})


def _ruamel(data: bytes, name: str) -> Glossary | None:
    try:
        return validate_tree(parse_yaml(data, name), name, "d")
    except GlossaryInvalid:
        return None


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_what_the_fast_path_accepts_is_what_ruamel_reads(path: Path) -> None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    tree = parse_fast(text)
    if tree is None:
        return
    try:
        fast = validate_tree(tree, str(path), "d")
    except GlossaryInvalid:
        return  # the loader then reads it with ruamel, which names the problems
    # Every field, line numbers included.
    assert fast == _ruamel(data, str(path))


def test_the_curated_glossary_takes_the_fast_path() -> None:
    assert parse_fast(default_glossary_path().read_text(encoding="utf-8")) is not None


@pytest.mark.parametrize(
    "text",
    [
        "a: no\n",  # a bool in YAML 1.1, text in 1.2
        "a: 012\n",  # octal in 1.1
        "a: 1:20\n",  # sexagesimal in 1.1
        "a: &x b\nc: *x\n",
        "a: !!str 1\n",
        "%YAML 1.1\n---\na: b\n",
        "a: b\na: c\n",
        "<<: {a: b}\n",
        "a: b\u2028c\n",
        "a: [b\n",
        "--- a\n--- b\n",
        "? [a]\n: b\n",
        "a: 0o12\n",  # octal in 1.2, text in 1.1
        "a: 1_000\n",
        "a: .5\n",
        "a: 2026-12-02\n",
        "a: True\n",
    ],
)
def test_anything_the_yaml_versions_may_read_differently_goes_to_ruamel(text: str) -> None:
    assert parse_fast(text) is None


@pytest.mark.parametrize(
    "value",
    ["0a3f5e", "2nd Army", "-5 degrees", "+ plus", "Yesterday", "no way", "1 July", ".hidden"],
)
def test_plain_text_both_versions_read_as_text_takes_the_fast_path(value: str) -> None:
    # A digest or a text starting with a digit or a sign is text in YAML 1.1 and 1.2 alike.
    text = f"a: {value}\nb: [{value}]\n"
    assert parse_fast(text) == YAML(typ="safe", pure=True).load(text) == {"a": value, "b": [value]}


def test_the_fast_tree_has_ruamel_line_numbers() -> None:
    text = "schema: 1\nlocales:\n  - en\n  - de\nconcepts:\n  - id: a\n    terms:\n      en: [{text: A, status: preferred}]\n"
    fast, slow = parse_fast(text), parse_yaml(text.encode(), "t")
    for node_path in (("locales",), ("concepts",), ("concepts", 0), ("concepts", 0, "terms")):
        a, b = fast, slow
        for step in node_path[:-1]:
            a, b = a[step], b[step]
        last = node_path[-1]
        if isinstance(last, int):
            assert a.lc.item(last)[0] == b.lc.item(last)[0]
        else:
            assert a.lc.key(last)[0] == b.lc.key(last)[0]
            assert a.lc.value(last)[0] == b.lc.value(last)[0]
    assert fast == {"schema": 1, "locales": ["en", "de"],
                    "concepts": [{"id": "a", "terms": {"en": [{"text": "A", "status": "preferred"}]}}]}
