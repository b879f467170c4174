"""Validating a parsed glossary: walks the YAML tree once, building the model and collecting problems.

Validation collects every problem it can find, each with file, line and what
to do, and raises them together: an editor fixing the file should not have to
run the linter once per mistake.
"""

from __future__ import annotations

import difflib
from typing import Any

from glossary.errors import GlossaryInvalid
from glossary.termbase.model import Concept, Glossary, Policy, Quotation
from glossary.termbase.schema import CONCEPT_KEYS, ID_PATTERN, SCHEMA_VERSION, TOP_KEYS
from glossary.termbase.validate_fields import (
    is_map,
    is_seq,
    kind,
    line_of_item,
    line_of_key,
    line_of_node,
    line_of_value,
)
from glossary.termbase.validate_terms import TermsReader

__all__ = ["validate_tree"]

_POLICY_CHOICES = tuple(policy.value for policy in Policy)
_QUOTATION_CHOICES = tuple(quotation.value for quotation in Quotation)


def validate_tree(tree: Any, name: str, digest: str = "") -> Glossary:
    """Validate an already parsed (e.g. edited) round-trip tree; raises GlossaryInvalid."""
    return _Validator(name, digest).build(tree)


class _Validator(TermsReader):
    """Walks the YAML tree once, building the model and collecting problems."""

    # -- the document ----------------------------------------------------------

    def build(self, tree: Any) -> Glossary:
        if tree is None:
            self.add(1, "the file is empty", "start from the example in docs/glossary-format.md")
            raise GlossaryInvalid(self.problems)
        if not is_map(tree):
            self.add(
                line_of_node(tree, 1),
                f"the top level must be a mapping (schema, source, locales, concepts), not {kind(tree)}",
                "start from the example in docs/glossary-format.md",
            )
            raise GlossaryInvalid(self.problems)
        self.unknown_keys(tree, TOP_KEYS, "the top level", 1)

        schema = tree.get("schema")
        if schema is None:
            self.add(1, "the file has no 'schema'", f"add 'schema: {SCHEMA_VERSION}' at the top")
        elif isinstance(schema, bool) or schema != SCHEMA_VERSION:
            self.add(
                line_of_value(tree, "schema", 1),
                f"unknown schema {schema!r}",
                f"this version of termguard reads 'schema: {SCHEMA_VERSION}'",
            )

        locales = self.locales(tree)
        source = None
        if tree.get("source") is None:
            self.add(1, "the file has no 'source' locale", "add 'source: en'")
        else:
            source_line = line_of_value(tree, "source", 1)
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
        line = line_of_value(tree, "mentions", 1)
        if not isinstance(node, list):
            self.add(line, "'mentions' must be a list of phrasings", "e.g. '- which {who} call {term}'")
            return None
        found: list[str] = []
        for item in node:
            if not isinstance(item, str) or not item.strip():
                self.add(line, f"a mention must be text, not {kind(item)}", "e.g. '- known as {term}'")
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
        line = line_of_value(tree, "locales", 1)
        if not is_seq(node) or not node:
            self.add(line, "'locales' must be a non-empty list", "e.g. 'locales: [en, de, ru]'")
            return []
        found: list[str] = []
        for index, value in enumerate(node):
            item_line = line_of_item(node, index, line)
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
        line = line_of_value(tree, "concepts", 1)
        if not is_seq(node):
            self.add(line, "'concepts' must be a list of concepts", "start each concept with '- id: ...'")
            return {}
        concepts: dict[str, Concept] = {}
        first_line: dict[str, int | None] = {}
        pending_use_instead: list[tuple[str, str, int | None]] = []
        for index, item in enumerate(node):
            item_line = line_of_item(node, index, line)
            if not is_map(item):
                self.add(item_line, f"concept #{index + 1} is not a mapping", "start it with '- id: ...'")
                continue
            concept = self.concept(item, item_line, index, source, locales)
            if concept is None:
                continue
            if concept.id in concepts:
                self.add(
                    line_of_value(item, "id", item_line),
                    f"duplicate concept id {concept.id!r} (first defined on line {first_line[concept.id]})",
                    "ids must be unique; rename one or merge the two concepts",
                )
                continue
            concepts[concept.id] = concept
            first_line[concept.id] = line_of_value(item, "id", item_line)
            if concept.use_instead is not None:
                pending_use_instead.append(
                    (concept.id, concept.use_instead, line_of_value(item, "use_instead", item_line))
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
                line_of_value(node, "id", line),
                f"bad concept id {raw_id!r}",
                "use lowercase ASCII letters, digits and single hyphens, e.g. 'nagorno-karabakh'",
            )
        else:
            concept_id = str(raw_id)
        where = f"concept {concept_id!r}" if concept_id else f"concept #{index + 1}"
        self.unknown_keys(node, CONCEPT_KEYS, where, line)

        policy = self.enum_field(node, "policy", Policy, _POLICY_CHOICES, where, line)
        quotation = self.enum_field(
            node, "quotation", Quotation, _QUOTATION_CHOICES, where, line, default=Quotation.EXEMPT
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
                    line_of_value(node, "quotation", line),
                    f"{where} has 'quotation: only' but no 'use_instead'",
                    "name the concept to use in our own voice, e.g. 'use_instead: karabakh'",
                )
            return None
        value_line = line_of_value(node, "use_instead", line)
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.add(value_line, f"'use_instead' of {where} must be a concept id, not {value!r}", "e.g. 'use_instead: karabakh'")
            return None
        return str(value)

    def first_mention(self, node: Any, where: str, line: int | None, locales: list[str]) -> dict[str, str]:
        value = node.get("first_mention")
        if value is None:
            return {}
        value_line = line_of_value(node, "first_mention", line)
        if not is_map(value):
            self.add(value_line, f"'first_mention' of {where} must map locales to text", "e.g. 'de: Chankendi (Stepanakert)'")
            return {}
        result: dict[str, str] = {}
        for key, text in value.items():
            key_line = line_of_key(value, key, value_line)
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
