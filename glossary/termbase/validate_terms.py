"""Validating a concept's `terms`: the renderings of each locale, their forms, stems and `for`."""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

from glossary.exchange.limits import export_problem
from glossary.termbase.model import DEFAULT_STEM_MAX, Rendering, Status
from glossary.termbase.schema import RENDERING_KEYS, WORD
from glossary.termbase.validate_fields import FieldReader, is_map, is_seq, line_of_item, line_of_key, line_of_value

__all__ = ["TermsReader"]

_STATUS_CHOICES = tuple(status.value for status in Status)


class TermsReader(FieldReader):
    """Reads the `terms` of one concept; the document's validator builds on it."""

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
        terms_line = line_of_value(node, "terms", line)
        if not is_map(value) or not value:
            self.add(terms_line, f"'terms' of {where} must map locales to lists of renderings", "e.g. 'en: [{text: Karabakh, status: preferred}]'")
            return None
        ok = True
        result: dict[str, tuple[Rendering, ...]] = {}
        nodes: dict[str, Any] = {}
        for key, items in value.items():
            key_line = line_of_key(value, key, terms_line)
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
                line = line_of_value(node, "for", rendering.line)
                what = f"'for' of {rendering.text!r} in {where}, locale {locale}"
                if locale == source:
                    self.add(line, f"{what}: the source names are what 'for' refers to", "remove 'for' here")
                    ok = False
                    continue
                values = [value] if isinstance(value, str) else list(value) if is_seq(value) else []
                bad: Any = next((v for v in values if not isinstance(v, str) or not v.strip()), None if values else value)
                if not values or bad is not None:
                    shown = list(bad) if is_seq(bad) else bad  # a plain list reads as YAML does
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
        if not is_seq(items) or not items:
            self.add(line, f"{where}: the renderings must be a non-empty list", "e.g. '- text: Karabakh' / '  status: preferred'")
            return None
        result: list[Rendering] = []
        ok = True
        for index, item in enumerate(items):
            item_line = line_of_item(items, index, line)
            rendering = self.rendering(item, item_line, where)
            if rendering is None:
                ok = False
            else:
                result.append(rendering)
        return tuple(result) if ok else None

    def rendering(self, node: Any, line: int | None, where: str) -> Rendering | None:
        if not is_map(node):
            self.add(line, f"{where}: a rendering must be a mapping with 'text' and 'status'", "e.g. '- text: Karabakh' / '  status: preferred'")
            return None
        self.unknown_keys(node, RENDERING_KEYS, f"a rendering of {where}", line)
        text = self.text_field(node, "text", f"a rendering of {where}", line, required=True)
        if text is not None and not WORD.search(text):
            self.add(line_of_value(node, "text", line), f"rendering {text!r} of {where} has no letters or digits", "write the term as it appears in running text")
            text = None
        status = self.enum_field(node, "status", Status, _STATUS_CHOICES, f"rendering {text or ''!r} of {where}", line)
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
        value_line = line_of_value(node, "forms", line)
        if not is_seq(value):
            self.add(value_line, f"'forms' in {where} must be a list", "e.g. 'forms: [Karabachs]'")
            return None
        forms: list[str] = []
        ok = True
        for index, form in enumerate(value):
            if not isinstance(form, str) or not WORD.search(form):
                self.add(line_of_item(value, index, value_line), f"form {form!r} in {where} must be non-empty text", "write the inflected form as it appears in running text")
                ok = False
                continue
            cleaned = " ".join(form.split())
            problem = export_problem(cleaned, term=True)
            if problem:
                self.add(line_of_item(value, index, value_line), f"form {cleaned!r} in {where} {problem}",
                         "remove the character or rewrite the form")
                ok = False
                continue
            forms.append(cleaned)
        return tuple(forms) if ok else None

    def stem_max(self, node: Any, line: int | None, where: str, stem: str | None) -> int | None:
        if "stem_max" not in node or node["stem_max"] is None:
            return DEFAULT_STEM_MAX
        value = node["stem_max"]
        value_line = line_of_value(node, "stem_max", line)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.add(value_line, f"'stem_max' in {where} must be a positive integer, not {value!r}", "e.g. 'stem_max: 3'")
            return None
        if stem is None:
            self.add(value_line, f"'stem_max' in {where} has no 'stem' to apply to", "add 'stem: ...' or remove 'stem_max'")
            return None
        return int(value)
