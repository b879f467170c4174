"""termguard's termbase: the glossary model, its YAML file, matching and checks.

Pure Python: this package never imports the translation pipeline, Argos or
CTranslate2, so it can check human translations on a machine with no model.
"""

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
