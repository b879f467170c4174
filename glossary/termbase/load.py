"""Load and validate a glossary YAML file (schema in docs/glossary-format.md).

Validation collects every problem it can find, each with file, line and what
to do, and raises them together: an editor fixing the file should not have to
run the linter once per mistake.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import os
import pickle
import re
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, NodeEvent
from ruamel.yaml.reader import ReaderError

from glossary.errors import GlossaryInvalid, Problem, UnknownLocale
from glossary.exchange.limits import export_problem
from glossary.termbase.locales import normalize_locale
from glossary.termbase.model import (
    DEFAULT_STEM_MAX,
    Concept,
    Glossary,
    Policy,
    Quotation,
    Rendering,
    Status,
)

SCHEMA_VERSION = 1
# A termbase of a few thousand concepts is well under a megabyte; the cap keeps
# a mistaken or hostile file from exhausting memory before validation starts.
MAX_FILE_BYTES = 16 * 1024 * 1024
# A glossary nests about six levels deep; the composer recurses once per level,
# so a deeper document ([[[[...) would end in a RecursionError instead of a problem.
MAX_YAML_DEPTH = 64

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_WORD = re.compile(r"[^\W_]", re.UNICODE)

TOP_KEYS = ("schema", "source", "locales", "concepts", "mentions")
CONCEPT_KEYS = (
    "id",
    "subject",
    "policy",
    "quotation",
    "use_instead",
    "definition",
    "note",
    "first_mention",
    "terms",
)
RENDERING_KEYS = ("text", "status", "for", "forms", "stem", "stem_max", "note")


def default_glossary_path() -> Path:
    """The curated glossary shipped as package data (`glossary/data/curated.yaml`)."""
    return Path(str(resources.files("glossary").joinpath("data", "curated.yaml")))


def lint(path: str | Path | None = None) -> list[Problem]:
    """Every problem of a glossary file; an empty list means it is valid.

    Beyond what loading refuses, the checks across concepts (`across_concepts`).
    """
    try:
        glossary = load_glossary(path)
    except GlossaryInvalid as error:
        return error.problems
    return across_concepts(glossary)


def across_concepts(glossary: Glossary) -> list[Problem]:
    """Contradictions no single concept shows, which `lint` reports on a glossary that loads.

    One rendering preferred for two concepts in one locale (the checks could
    not tell which concept a translation meant), and `use_instead` chains that
    go round in a circle.
    """
    problems: list[Problem] = []
    name = glossary.path or "<glossary>"
    owner: dict[tuple[str, str], tuple[str, Rendering]] = {}
    for concept in glossary.concepts.values():
        for locale, renderings in concept.terms.items():
            for rendering in renderings:
                if rendering.status is not Status.PREFERRED:
                    continue
                key = (locale, rendering.text.casefold())
                if key in owner and owner[key][0] != concept.id:
                    first, first_rendering = owner[key]
                    problems.append(Problem(
                        name, rendering.line or concept.line,
                        f"{rendering.text!r} is the preferred {locale} rendering of both {first!r} "
                        f"(line {first_rendering.line}) and {concept.id!r}",
                        "a preferred rendering names one concept: make it admitted in one of them, "
                        "or merge the two concepts",
                    ))
                else:
                    owner.setdefault(key, (concept.id, rendering))
    for concept in glossary.concepts.values():
        seen = [concept.id]
        current = concept.use_instead
        while current is not None and current in glossary.concepts and current not in seen:
            seen.append(current)
            current = glossary.concepts[current].use_instead
        if current == concept.id and len(seen) > 1:
            problems.append(Problem(
                name, concept.line, f"'use_instead' goes round in a circle: {' -> '.join([*seen, concept.id])}",
                "the last concept of a use_instead chain must have none",
            ))
    return sorted(problems, key=lambda p: p.line or 0)




def two_name_concepts(glossary: Glossary) -> list[Concept]:
    """Places with two names: two acceptable source names, and a `first_mention` or a `for`."""
    found = []
    for concept in glossary.concepts.values():
        names = [r for r in concept.terms.get(glossary.source, ()) if r.status.acceptable]
        linked = any(r.source_names for rs in concept.terms.values() for r in rs)
        if len(names) > 1 and (concept.first_mention or linked):
            found.append(concept)
    return found


def lint_warnings(glossary: Glossary) -> list[Problem]:
    """What `lint` reports without failing: acceptable renderings of a two-name place with no `for`.

    Only in locales with two acceptable names or more: with one there is nothing to pair.

    The checks then pair such a rendering with a source name by spelling,
    which only works where the names look alike in both scripts.
    """
    name = glossary.path or "<glossary>"
    warnings: list[Problem] = []
    for concept in two_name_concepts(glossary):
        names = ", ".join(r.text for r in concept.terms[glossary.source] if r.status.acceptable)
        for locale, renderings in concept.terms.items():
            # With one name in a locale there is nothing to pair.
            if locale == glossary.source or sum(r.status.acceptable for r in renderings) < 2:
                continue
            for rendering in renderings:
                if rendering.status.acceptable and not rendering.source_names:
                    warnings.append(Problem(
                        name, rendering.line or concept.line,
                        f"{rendering.text!r} of concept {concept.id!r}, locale {locale}, has no 'for': "
                        "the checks pair it with a source name by spelling",
                        f"add 'for:' with the {glossary.source} name it renders: {names}",
                    ))
    return sorted(warnings, key=lambda p: p.line or 0)


def load_glossary(path: str | Path | None = None) -> Glossary:
    """Load and validate a glossary; None means the curated one.

    Raises GlossaryInvalid listing every problem found.
    """
    file = Path(path) if path is not None else default_glossary_path()
    return load_glossary_data(_read_bytes(file), str(file))


def read_glossary_bytes(path: str | Path) -> bytes:
    """The bytes of a glossary file (bounded), or GlossaryInvalid saying why not."""
    return _read_bytes(Path(path))


def load_glossary_data(data: bytes, name: str) -> Glossary:
    """Load and validate a glossary from the bytes of its file; problems name `name`.

    The result is cached by the sha256 of the bytes, so the next command
    (after an edit termguard made, too) starts without parsing.
    """
    digest = hashlib.sha256(data).hexdigest()
    cached = _cache_get(digest, name)
    if cached is not None:
        return cached
    tree = _parse_yaml(data, name)
    glossary = _Validator(name, digest).build(tree)
    _cache_put(digest, glossary)
    return glossary


def load_glossary_text(text: str, name: str, folder: Path | None = None) -> Glossary:
    """Validate a glossary given as text (stored as UTF-8), reporting problems against `name`.

    `folder` is accepted for older callers and not used: nothing is written.
    """
    del folder
    return load_glossary_data(text.encode("utf-8"), name)


def validate_tree(tree: Any, name: str, digest: str = "") -> Glossary:
    """Validate an already parsed (e.g. edited) round-trip tree; raises GlossaryInvalid."""
    return _Validator(name, digest).build(tree)


def _code_version() -> str:
    """What the cached objects depend on besides the file: the release and the model's code.

    An upgrade (or an edited checkout) gets a cache of its own instead of
    unpickling objects of another shape.
    """
    from importlib import metadata

    try:
        release = metadata.version("termguard")
    except metadata.PackageNotFoundError:
        release = "unreleased"
    code = hashlib.sha256(release.encode())
    for module in ("model.py", "load.py"):
        with contextlib.suppress(OSError):
            code.update((Path(__file__).with_name(module)).read_bytes())
    return code.hexdigest()[:16]


_CACHE_VERSION: str | None = None


def _cache_dir() -> Path:
    global _CACHE_VERSION
    if _CACHE_VERSION is None:
        _CACHE_VERSION = _code_version()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "termguard" / "glossary" / _CACHE_VERSION


def _cache_get(digest: str, name: str) -> Glossary | None:
    """A glossary validated before, by the sha256 of its bytes.

    Parsing YAML with line numbers is pure Python and takes most of a second
    for the curated file; a content-addressed cache makes every later command
    start at once. Any problem with the cache means a normal load.
    """
    try:
        with open(_cache_dir() / f"{digest}.pickle", "rb") as handle:
            glossary = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a bad cache entry is just a miss
        return None
    if not isinstance(glossary, Glossary) or glossary.digest != digest:
        return None
    return dataclasses.replace(glossary, path=name)


def _cache_put(digest: str, glossary: Glossary) -> None:
    from glossary.files import write_bytes

    try:
        write_bytes(_cache_dir() / f"{digest}.pickle", pickle.dumps(glossary, protocol=pickle.HIGHEST_PROTOCOL), parents=True)
    except OSError:
        pass  # a read-only home still works, only slower


def _read_bytes(file: Path) -> bytes:
    from glossary.files import FileInputError, read_bytes

    name = str(file)
    try:
        # Bounded: /dev/zero or a FIFO given as a glossary is refused, not read for ever.
        return read_bytes(file, limit=MAX_FILE_BYTES, what="glossary file")
    except FileInputError as error:
        message = str(error).removeprefix(f"{name}: ")
        if message == "no such file":
            message = "the glossary file does not exist"
        raise GlossaryInvalid([Problem(name, None, message, "check the path")]) from None


class _Refused(Exception):
    """An anchor, an alias (`anchor` set) or nesting too deep (`anchor` None), met while composing."""

    def __init__(self, line: int, anchor: str | None) -> None:
        super().__init__(line, anchor)
        self.line = line
        self.anchor = anchor


class _GuardedComposer(Composer):
    """ruamel's composer, refusing anchors and aliases and nesting beyond MAX_YAML_DEPTH.

    Checked while the one parse composes the document: refusing an alias
    before it is expanded makes an alias bomb cost no more than reading its
    events, and the depth check comes before the recursion that would end in
    a RecursionError.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or (isinstance(event, NodeEvent) and event.anchor is not None):
            raise _Refused(event.start_mark.line + 1, str(event.anchor))
        if isinstance(event, CollectionStartEvent) and self.depth >= MAX_YAML_DEPTH:
            raise _Refused(event.start_mark.line + 1, None)
        return super().compose_node(parent, index)


def _parse_yaml(data: bytes, name: str) -> Any:
    """Parse YAML safely: round-trip loader (line numbers), no aliases at all.

    Anchors and aliases are refused outright rather than expanded under a cap:
    a glossary never needs them, and refusing them before composing the
    document makes an alias bomb cost no more than reading its events.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GlossaryInvalid(
            [Problem(name, line, "the file is not valid UTF-8", "save it as UTF-8")]
        ) from None
    yaml = YAML(typ="rt")
    yaml.Composer = _GuardedComposer
    try:
        try:
            return yaml.load(text)
        except _Refused as refused:
            if refused.anchor is None:
                problem = Problem(name, refused.line, f"the YAML nests more than {MAX_YAML_DEPTH} levels deep",
                                  "a glossary needs only a few levels; check that this is the right file")
            else:
                problem = Problem(name, refused.line, f"YAML anchor or alias {refused.anchor!r} is not allowed",
                                  "write the value out in full instead of using &anchor / *alias")
            raise GlossaryInvalid([problem]) from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None  # type: ignore[assignment]  # None: no position known
        what = error.problem or error.context or "invalid YAML"
        if "duplicate key" in str(what):
            hint = "each key may appear once in a mapping; remove or rename one"
        else:
            hint = "fix the YAML syntax (indentation, quotes, brackets, colons)"
        raise GlossaryInvalid([Problem(name, line, f"YAML syntax error: {what}", hint)]) from None
    except ReaderError as error:
        # A control character YAML does not allow: name it and its line, on one line.
        line = text[: error.position].count("\n") + 1 if isinstance(error.position, int) else None  # type: ignore[assignment]  # None: no position known
        character = error.character
        what = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        raise GlossaryInvalid(
            [Problem(name, line, f"the character {what} is not allowed in YAML ({error.reason})",
                     "remove it, or write it as an escape inside a double-quoted string")]
        ) from None
    except YAMLError as error:
        message = " ".join(str(error).split())  # keep the problem on one line
        raise GlossaryInvalid(
            [Problem(name, None, f"YAML error: {message}", "fix the YAML syntax")]
        ) from None


def _is_map(node: Any) -> bool:
    return isinstance(node, dict)


def _is_seq(node: Any) -> bool:
    return isinstance(node, list)


def _line_of_key(node: Any, key: Any, fallback: int | None) -> int | None:
    try:
        return int(node.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return fallback


def _line_of_value(node: Any, key: Any, fallback: int | None) -> int | None:
    try:
        return int(node.lc.value(key)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return fallback


def _line_of_item(node: Any, index: int, fallback: int | None) -> int | None:
    try:
        return int(node.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return fallback


def _line_of_node(node: Any, fallback: int | None) -> int | None:
    try:
        return int(node.lc.line) + 1
    except (AttributeError, TypeError):
        return fallback


def _kind(node: Any) -> str:
    if _is_seq(node):
        return "a list"
    if isinstance(node, str):
        return "a text"
    return f"a {type(node).__name__}"


def _choices(values: Iterable[str]) -> str:
    return " | ".join(values)


class _Validator:
    """Walks the YAML tree once, building the model and collecting problems."""

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
            key_line = _line_of_key(node, key, line)
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
        value_line = _line_of_value(node, key, line)
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
                self.add(line, f"{where} has no '{key}'", f"add '{key}: {_choices(choices)}'")
            return default
        value = node[key]
        value_line = _line_of_value(node, key, line)
        if isinstance(value, str) and value.strip() in choices:
            return enum_type(value.strip())
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        self.add(
            value_line,
            f"unknown {key} {value!r} in {where}",
            f"{hint}use one of: {_choices(choices)}",
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

    # -- the document ----------------------------------------------------------

    def build(self, tree: Any) -> Glossary:
        if tree is None:
            self.add(1, "the file is empty", "start from the example in docs/glossary-format.md")
            raise GlossaryInvalid(self.problems)
        if not _is_map(tree):
            self.add(
                _line_of_node(tree, 1),
                f"the top level must be a mapping (schema, source, locales, concepts), not {_kind(tree)}",
                "start from the example in docs/glossary-format.md",
            )
            raise GlossaryInvalid(self.problems)
        self.unknown_keys(tree, TOP_KEYS, "the top level", 1)

        schema = tree.get("schema")
        if schema is None:
            self.add(1, "the file has no 'schema'", f"add 'schema: {SCHEMA_VERSION}' at the top")
        elif isinstance(schema, bool) or schema != SCHEMA_VERSION:
            self.add(
                _line_of_value(tree, "schema", 1),
                f"unknown schema {schema!r}",
                f"this version of termguard reads 'schema: {SCHEMA_VERSION}'",
            )

        locales = self.locales(tree)
        source = None
        if tree.get("source") is None:
            self.add(1, "the file has no 'source' locale", "add 'source: en'")
        else:
            source_line = _line_of_value(tree, "source", 1)
            source = self.locale(tree["source"], source_line, "'source'")
            if source is not None and locales and source not in locales:
                self.add(source_line, f"source locale {source!r} is not listed in 'locales'", f"add {source} to 'locales'")

        concepts = self.concepts(tree, source, locales)
        mentions = self.mentions(tree)
        if self.problems:
            raise GlossaryInvalid(sorted(self.problems, key=lambda p: (p.line or 0)))
        assert source is not None
        return Glossary(
            source=source,
            locales=tuple(locales),
            concepts=concepts,
            path=self.path,
            digest=self.digest,
            mentions=mentions,
        )

    def mentions(self, tree: Any) -> tuple[str, ...] | None:
        """The optional `mentions` list (docs/glossary-format.md, "Mentions")."""
        if "mentions" not in tree or tree.get("mentions") is None:
            return None
        from glossary.judge.mentions import MentionError, compile_mention

        node = tree["mentions"]
        line = _line_of_value(tree, "mentions", 1)
        if not isinstance(node, list):
            self.add(line, "'mentions' must be a list of phrasings", "e.g. '- which {who} call {term}'")
            return None
        found: list[str] = []
        for item in node:
            if not isinstance(item, str) or not item.strip():
                self.add(line, f"a mention must be text, not {_kind(item)}", "e.g. '- known as {term}'")
                continue
            try:
                compile_mention(item)
            except MentionError as error:
                self.add(line, f"mention {item!r}: {error}", "write {term} once, e.g. 'known as {term}'")
                continue
            found.append(item)
        return tuple(found)

    def locales(self, tree: Any) -> list[str]:
        node = tree.get("locales")
        if node is None:
            self.add(1, "the file has no 'locales' list", "add e.g. 'locales: [en, de, ru]'")
            return []
        line = _line_of_value(tree, "locales", 1)
        if not _is_seq(node) or not node:
            self.add(line, "'locales' must be a non-empty list", "e.g. 'locales: [en, de, ru]'")
            return []
        found: list[str] = []
        for index, value in enumerate(node):
            item_line = _line_of_item(node, index, line)
            locale = self.locale(value, item_line, "'locales'")
            if locale is None:
                continue
            if locale in found:
                self.add(item_line, f"locale {locale!r} is listed twice in 'locales'", "remove one")
                continue
            found.append(locale)
        return found

    def concepts(self, tree: Any, source: str | None, locales: list[str]) -> dict[str, Concept]:
        node = tree.get("concepts")
        if node is None:
            self.add(1, "the file has no 'concepts' list", "add 'concepts:' with at least one concept")
            return {}
        line = _line_of_value(tree, "concepts", 1)
        if not _is_seq(node):
            self.add(line, "'concepts' must be a list of concepts", "start each concept with '- id: ...'")
            return {}
        concepts: dict[str, Concept] = {}
        first_line: dict[str, int | None] = {}
        pending_use_instead: list[tuple[str, str, int | None]] = []
        for index, item in enumerate(node):
            item_line = _line_of_item(node, index, line)
            if not _is_map(item):
                self.add(item_line, f"concept #{index + 1} is not a mapping", "start it with '- id: ...'")
                continue
            concept = self.concept(item, item_line, index, source, locales)
            if concept is None:
                continue
            if concept.id in concepts:
                self.add(
                    _line_of_value(item, "id", item_line),
                    f"duplicate concept id {concept.id!r} (first defined on line {first_line[concept.id]})",
                    "ids must be unique; rename one or merge the two concepts",
                )
                continue
            concepts[concept.id] = concept
            first_line[concept.id] = _line_of_value(item, "id", item_line)
            if concept.use_instead is not None:
                pending_use_instead.append(
                    (concept.id, concept.use_instead, _line_of_value(item, "use_instead", item_line))
                )
        for concept_id, target, target_line in pending_use_instead:
            if target == concept_id:
                self.add(target_line, f"concept {concept_id!r} names itself in 'use_instead'", "name another concept")
            elif target not in concepts:
                close = difflib.get_close_matches(target, list(concepts), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "give the id of a concept in this file"
                self.add(target_line, f"'use_instead' of {concept_id!r} names unknown concept {target!r}", hint)
        return concepts

    def concept(
        self,
        node: Any,
        line: int | None,
        index: int,
        source: str | None,
        locales: list[str],
    ) -> Concept | None:
        raw_id = node.get("id")
        concept_id: str | None = None
        if raw_id is None:
            self.add(line, f"concept #{index + 1} has no 'id'", "add 'id: some-name' (lowercase letters, digits, hyphens)")
        elif not isinstance(raw_id, str) or not ID_PATTERN.match(raw_id):
            self.add(
                _line_of_value(node, "id", line),
                f"bad concept id {raw_id!r}",
                "use lowercase ASCII letters, digits and single hyphens, e.g. 'nagorno-karabakh'",
            )
        else:
            concept_id = str(raw_id)
        where = f"concept {concept_id!r}" if concept_id else f"concept #{index + 1}"
        self.unknown_keys(node, CONCEPT_KEYS, where, line)

        policy = self.enum_field(node, "policy", Policy, tuple(p.value for p in Policy), where, line)
        quotation = self.enum_field(
            node, "quotation", Quotation, tuple(q.value for q in Quotation), where, line, default=Quotation.EXEMPT
        )
        subject = self.text_field(node, "subject", where, line, required=False)
        definition = self.text_field(node, "definition", where, line, required=True)
        note = self.text_field(node, "note", where, line, required=True)
        use_instead = self.use_instead(node, where, line, quotation)
        first_mention = self.first_mention(node, where, line, locales)
        terms = self.terms(node, where, line, source, locales)

        if None in (concept_id, policy, quotation, definition, note) or terms is None:
            return None
        assert concept_id is not None and definition is not None and note is not None
        return Concept(
            id=concept_id,
            subject=subject,
            policy=policy,
            quotation=quotation,
            use_instead=use_instead,
            definition=definition,
            note=note,
            first_mention=first_mention,
            terms=terms,
            line=line,
        )

    def use_instead(self, node: Any, where: str, line: int | None, quotation: Quotation | None) -> str | None:
        value = node.get("use_instead")
        if value is None:
            if quotation is Quotation.ONLY:
                self.add(
                    _line_of_value(node, "quotation", line),
                    f"{where} has 'quotation: only' but no 'use_instead'",
                    "name the concept to use in our own voice, e.g. 'use_instead: karabakh'",
                )
            return None
        value_line = _line_of_value(node, "use_instead", line)
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.add(value_line, f"'use_instead' of {where} must be a concept id, not {value!r}", "e.g. 'use_instead: karabakh'")
            return None
        return str(value)

    def first_mention(self, node: Any, where: str, line: int | None, locales: list[str]) -> dict[str, str]:
        value = node.get("first_mention")
        if value is None:
            return {}
        value_line = _line_of_value(node, "first_mention", line)
        if not _is_map(value):
            self.add(value_line, f"'first_mention' of {where} must map locales to text", "e.g. 'de: Chankendi (Stepanakert)'")
            return {}
        result: dict[str, str] = {}
        for key, text in value.items():
            key_line = _line_of_key(value, key, value_line)
            locale = self.locale(key, key_line, f"'first_mention' of {where}")
            if locale is None:
                continue
            if locales and locale not in locales:
                self.add(key_line, f"locale {locale!r} in 'first_mention' of {where} is not listed in 'locales'", f"add {locale} to 'locales' or fix the key")
                continue
            if not isinstance(text, str) or not text.strip():
                self.add(key_line, f"'first_mention' {locale} of {where} must be non-empty text", "write the text or remove the line")
                continue
            result[locale] = " ".join(text.split())
        return result

    def terms(
        self,
        node: Any,
        where: str,
        line: int | None,
        source: str | None,
        locales: list[str],
    ) -> dict[str, tuple[Rendering, ...]] | None:
        value = node.get("terms")
        if value is None:
            self.add(line, f"{where} has no 'terms'", f"add 'terms:' with at least the {source or 'source'} rendering")
            return None
        terms_line = _line_of_value(node, "terms", line)
        if not _is_map(value) or not value:
            self.add(terms_line, f"'terms' of {where} must map locales to lists of renderings", "e.g. 'en: [{text: Karabakh, status: preferred}]'")
            return None
        ok = True
        result: dict[str, tuple[Rendering, ...]] = {}
        nodes: dict[str, Any] = {}
        for key, items in value.items():
            key_line = _line_of_key(value, key, terms_line)
            locale = self.locale(key, key_line, f"'terms' of {where}")
            if locale is None:
                ok = False
                continue
            if locales and locale not in locales:
                self.add(key_line, f"locale {locale!r} under 'terms' of {where} is not listed in 'locales'", f"add {locale} to 'locales' at the top, or fix the key")
                ok = False
                continue
            if locale in result:
                self.add(key_line, f"locale {locale!r} appears twice under 'terms' of {where}", "merge the two lists")
                ok = False
                continue
            renderings = self.renderings(items, key_line, f"{where}, locale {locale}")
            if renderings is None:
                ok = False
                continue
            result[locale] = renderings
            nodes[locale] = items
            self.check_statuses(renderings, locale, where, key_line)
        if source is not None and ok:
            ok = self.links(result, nodes, source, where)
        if source is not None and ok:
            preferred = [r for r in result.get(source, ()) if r.status is Status.PREFERRED]
            if len(preferred) != 1:
                count = "no" if not preferred else str(len(preferred))
                self.add(
                    terms_line,
                    f"{where} has {count} preferred {source} rendering{'s' if len(preferred) != 1 else ''}; it needs exactly one",
                    f"mark exactly one {source} rendering 'status: preferred' (others admitted, deprecated or forbidden)",
                )
                ok = False
        return result if ok else None

    def links(self, result: dict[str, tuple[Rendering, ...]], nodes: dict[str, Any], source: str, where: str) -> bool:
        """Read each rendering's `for` (the source names it renders) once the source names are known."""
        names = [r.text for r in result.get(source, ()) if r.status.acceptable]
        ok = True
        for locale, renderings in result.items():
            linked: list[Rendering] = []
            for rendering, node in zip(renderings, nodes[locale], strict=True):
                if "for" not in node:
                    linked.append(rendering)
                    continue
                value = node["for"]
                line = _line_of_value(node, "for", rendering.line)
                what = f"'for' of {rendering.text!r} in {where}, locale {locale}"
                if locale == source:
                    self.add(line, f"{what}: the source names are what 'for' refers to", "remove 'for' here")
                    ok = False
                    continue
                values = [value] if isinstance(value, str) else list(value) if _is_seq(value) else []
                bad: Any = next((v for v in values if not isinstance(v, str) or not v.strip()), None if values else value)
                if not values or bad is not None:
                    shown = list(bad) if _is_seq(bad) else bad  # a plain list reads as YAML does
                    self.add(line, f"{what} must be an {source} name or a list of them, not {shown!r}",
                             f"e.g. 'for: {names[0] if names else 'Stepanakert'}'")
                    ok = False
                    continue
                found: list[str] = []
                for item in values:
                    text = " ".join(item.split())
                    match = next((n for n in names if n.casefold() == text.casefold()), None)
                    if match is None:
                        close = difflib.get_close_matches(text, names, n=1)
                        self.add(line, f"{what} names {text!r}, which is no acceptable {source} name of the concept",
                                 f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(names)}")
                        ok = False
                    elif match not in found:
                        found.append(match)
                linked.append(dataclasses.replace(rendering, source_names=tuple(found)))
            result[locale] = tuple(linked)
        return ok

    def check_statuses(self, renderings: tuple[Rendering, ...], locale: str, where: str, line: int | None) -> None:
        preferred = {r.text.casefold() for r in renderings if r.status is Status.PREFERRED}
        for rendering in renderings:
            if rendering.status is Status.FORBIDDEN and rendering.text.casefold() in preferred:
                self.add(
                    rendering.line or line,
                    f"{rendering.text!r} is both preferred and forbidden in {where}, locale {locale}",
                    "keep one status for this text",
                )

    def renderings(self, items: Any, line: int | None, where: str) -> tuple[Rendering, ...] | None:
        if not _is_seq(items) or not items:
            self.add(line, f"{where}: the renderings must be a non-empty list", "e.g. '- text: Karabakh' / '  status: preferred'")
            return None
        result: list[Rendering] = []
        ok = True
        for index, item in enumerate(items):
            item_line = _line_of_item(items, index, line)
            rendering = self.rendering(item, item_line, where)
            if rendering is None:
                ok = False
            else:
                result.append(rendering)
        return tuple(result) if ok else None

    def rendering(self, node: Any, line: int | None, where: str) -> Rendering | None:
        if not _is_map(node):
            self.add(line, f"{where}: a rendering must be a mapping with 'text' and 'status'", "e.g. '- text: Karabakh' / '  status: preferred'")
            return None
        self.unknown_keys(node, RENDERING_KEYS, f"a rendering of {where}", line)
        text = self.text_field(node, "text", f"a rendering of {where}", line, required=True)
        if text is not None and not _WORD.search(text):
            self.add(_line_of_value(node, "text", line), f"rendering {text!r} of {where} has no letters or digits", "write the term as it appears in running text")
            text = None
        status = self.enum_field(node, "status", Status, tuple(s.value for s in Status), f"rendering {text or ''!r} of {where}", line)
        forms = self.forms(node, line, where)
        stem = self.text_field(node, "stem", f"rendering {text!r} of {where}", line, required=False)
        stem_max = self.stem_max(node, line, where, stem)
        note = self.text_field(node, "note", f"rendering {text!r} of {where}", line, required=False)
        if text is None or status is None or forms is None or stem_max is None:
            return None
        return Rendering(text=text, status=status, forms=forms, stem=stem, stem_max=stem_max, note=note, line=line)

    def forms(self, node: Any, line: int | None, where: str) -> tuple[str, ...] | None:
        value = node.get("forms")
        if value is None:
            return ()
        value_line = _line_of_value(node, "forms", line)
        if not _is_seq(value):
            self.add(value_line, f"'forms' in {where} must be a list", "e.g. 'forms: [Karabachs]'")
            return None
        forms: list[str] = []
        ok = True
        for index, form in enumerate(value):
            if not isinstance(form, str) or not _WORD.search(form):
                self.add(_line_of_item(value, index, value_line), f"form {form!r} in {where} must be non-empty text", "write the inflected form as it appears in running text")
                ok = False
                continue
            cleaned = " ".join(form.split())
            problem = export_problem(cleaned, term=True)
            if problem:
                self.add(_line_of_item(value, index, value_line), f"form {cleaned!r} in {where} {problem}",
                         "remove the character or rewrite the form")
                ok = False
                continue
            forms.append(cleaned)
        return tuple(forms) if ok else None

    def stem_max(self, node: Any, line: int | None, where: str, stem: str | None) -> int | None:
        if "stem_max" not in node or node["stem_max"] is None:
            return DEFAULT_STEM_MAX
        value = node["stem_max"]
        value_line = _line_of_value(node, "stem_max", line)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.add(value_line, f"'stem_max' in {where} must be a positive integer, not {value!r}", "e.g. 'stem_max: 3'")
            return None
        if stem is None:
            self.add(value_line, f"'stem_max' in {where} has no 'stem' to apply to", "add 'stem: ...' or remove 'stem_max'")
            return None
        return int(value)
