"""Reading one field of the YAML tree: its line, its type, a known value, or a problem saying why not."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any

from glossary.errors import Problem, UnknownLocale
from glossary.exchange.limits import export_problem
from glossary.termbase.locales import normalize_locale

__all__ = [
    "FieldReader",
    "choice_list",
    "is_map",
    "is_seq",
    "kind",
    "line_of_item",
    "line_of_key",
    "line_of_node",
    "line_of_value",
]


def is_map(node: Any) -> bool:
    return isinstance(node, dict)


def is_seq(node: Any) -> bool:
    return isinstance(node, list)


def line_of_key(node: Any, key: Any, fallback: int | None) -> int | None:
    try:
        return int(node.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return fallback


def line_of_value(node: Any, key: Any, fallback: int | None) -> int | None:
    try:
        return int(node.lc.value(key)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return fallback


def line_of_item(node: Any, index: int, fallback: int | None) -> int | None:
    try:
        return int(node.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return fallback


def line_of_node(node: Any, fallback: int | None) -> int | None:
    try:
        return int(node.lc.line) + 1
    except (AttributeError, TypeError):
        return fallback


def kind(node: Any) -> str:
    if is_seq(node):
        return "a list"
    if isinstance(node, str):
        return "a text"
    return f"a {type(node).__name__}"


def choice_list(values: Iterable[str]) -> str:
    return " | ".join(values)


class FieldReader:
    """Collects problems while reading fields; the validator builds on it."""

    def __init__(self, path: str, digest: str) -> None:
        self.path = path
        self.digest = digest
        self.problems: list[Problem] = []

    def add(self, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, line, message, hint))

    # -- generic field helpers -------------------------------------------------

    def unknown_keys(self, node: Any, allowed: tuple[str, ...], where: str, line: int | None) -> None:
        for key in node:
            if key in allowed:
                continue
            key_line = line_of_key(node, key, line)
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
            self.add(key_line, f"unknown key {str(key)!r} in {where}", hint)

    def text_field(
        self,
        node: Any,
        key: str,
        where: str,
        line: int | None,
        required: bool,
    ) -> str | None:
        if key not in node or node[key] is None:
            if required:
                self.add(line, f"{where} has no '{key}'", f"add '{key}: ...'")
            return None
        value = node[key]
        value_line = line_of_value(node, key, line)
        if not isinstance(value, str):
            self.add(value_line, f"'{key}' of {where} must be text, not {value!r}", "quote the value")
            return None
        cleaned = " ".join(str(value).split())
        if not cleaned:
            self.add(value_line, f"'{key}' of {where} is empty", f"write the {key} or remove the key")
            return None
        problem = export_problem(cleaned, term=key == "text")
        if problem:
            self.add(value_line, f"'{key}' of {where} {problem}", "remove the character or rewrite the text")
            return None
        return cleaned

    def enum_field(
        self,
        node: Any,
        key: str,
        enum_type: Callable[[str], Any],
        choices: tuple[str, ...],
        where: str,
        line: int | None,
        default: Any = None,
    ) -> Any:
        if key not in node or node[key] is None:
            if default is None:
                self.add(line, f"{where} has no '{key}'", f"add '{key}: {choice_list(choices)}'")
            return default
        value = node[key]
        value_line = line_of_value(node, key, line)
        if isinstance(value, str) and value.strip() in choices:
            return enum_type(value.strip())
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        self.add(
            value_line,
            f"unknown {key} {value!r} in {where}",
            f"{hint}use one of: {choice_list(choices)}",
        )
        return None

    def locale(self, value: Any, line: int | None, where: str) -> str | None:
        if not isinstance(value, str):
            self.add(line, f"{where}: locale {value!r} must be text", "quote it, e.g. 'pt_BR'")
            return None
        try:
            return normalize_locale(value)
        except UnknownLocale:
            self.add(
                line,
                f"unknown locale {value!r} in {where}",
                "use a language code Babel knows, such as 'de', 'ru' or 'pt_BR'",
            )
            return None
