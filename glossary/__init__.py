"""termguard's termbase: the glossary model, its YAML file, matching and checks.

Pure Python: this package never imports the translation pipeline, Argos or
CTranslate2, so it can check human translations on a machine with no model.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glossary.errors import (
        GlossaryError,
        GlossaryInvalid,
        LineCountMismatch,
        Problem,
        UnknownConcept,
        UnknownLocale,
    )
    from glossary.judge.checks import (
        Violation,
        check_document,
        check_source,
        read_document,
        split_lines,
    )
    from glossary.matching import SourceMatcher, SourceOccurrence, TargetHit, TargetMatcher
    from glossary.termbase.lint import lint, lint_warnings
    from glossary.termbase.load import default_glossary_path, load_glossary
    from glossary.termbase.locales import display_name, normalize_locale, plural_forms
    from glossary.termbase.model import Concept, Glossary, Policy, Quotation, Rendering, Status

# Each public name and the module that holds it, imported on first use (PEP 562):
# `import glossary.errors` (every command's error map) then costs no matcher,
# judge or YAML parser, and `from glossary import X` works as before.
_HOME = {
    "Concept": "glossary.termbase.model",
    "Glossary": "glossary.termbase.model",
    "GlossaryError": "glossary.errors",
    "GlossaryInvalid": "glossary.errors",
    "LineCountMismatch": "glossary.errors",
    "Policy": "glossary.termbase.model",
    "Problem": "glossary.errors",
    "Quotation": "glossary.termbase.model",
    "Rendering": "glossary.termbase.model",
    "SourceMatcher": "glossary.matching",
    "SourceOccurrence": "glossary.matching",
    "Status": "glossary.termbase.model",
    "TargetHit": "glossary.matching",
    "TargetMatcher": "glossary.matching",
    "UnknownConcept": "glossary.errors",
    "UnknownLocale": "glossary.errors",
    "Violation": "glossary.judge.checks",
    "check_document": "glossary.judge.checks",
    "check_source": "glossary.judge.checks",
    "default_glossary_path": "glossary.termbase.load",
    "display_name": "glossary.termbase.locales",
    "lint": "glossary.termbase.lint",
    "lint_warnings": "glossary.termbase.lint",
    "load_glossary": "glossary.termbase.load",
    "normalize_locale": "glossary.termbase.locales",
    "plural_forms": "glossary.termbase.locales",
    "read_document": "glossary.judge.checks",
    "split_lines": "glossary.judge.checks",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'glossary' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(home), name)
    globals()[name] = value  # later look-ups skip this function
    return value


__all__ = [
    "Concept",
    "Glossary",
    "GlossaryError",
    "GlossaryInvalid",
    "LineCountMismatch",
    "Policy",
    "Problem",
    "Quotation",
    "Rendering",
    "SourceMatcher",
    "SourceOccurrence",
    "Status",
    "TargetHit",
    "TargetMatcher",
    "UnknownConcept",
    "UnknownLocale",
    "Violation",
    "check_document",
    "check_source",
    "default_glossary_path",
    "display_name",
    "lint",
    "lint_warnings",
    "load_glossary",
    "normalize_locale",
    "plural_forms",
    "read_document",
    "split_lines",
]


def __dir__() -> list[str]:
    return sorted(__all__)
