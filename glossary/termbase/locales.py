"""Locale identifiers, display names and gettext plural rules, all from Babel.

The project's test model translates English into an invented language, `qtc`
(a word-level cipher of English). No CLDR data exists for it, so it is accepted
here as a locale of its own: `normalize_locale("qtc") == "qtc"`, its display
name is "Test cipher (qtc)" and its plural rule is the English one
(`nplurals=2; plural=(n != 1);`), because the cipher keeps English grammar.
The second test language, `qtr` (an invented grammar with case endings,
tools/testlang_qtr.py), is accepted the same way with the same plural rule.
Every other identifier must be one Babel can parse.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from glossary.errors import UnknownLocale

if TYPE_CHECKING:
    from babel import Locale

TEST_LOCALE = "qtc"
# The invented test languages and their display names.
TEST_LOCALES = {"qtc": "Test cipher (qtc)", "qtr": "Test reorder (qtr)"}
_TEST_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


def _parse(text: str) -> Locale:
    """Parse `text` leniently (`pt-BR`, `pt_br`, ` PT_BR `) or raise UnknownLocale."""
    if not isinstance(text, str) or not text.strip():
        raise UnknownLocale(
            f"locale {text!r} is empty; give a language code such as 'de', 'ru' or 'pt_BR'"
        )
    # Babel is imported on first use: a command served by the glossary cache never needs it.
    from babel import Locale, UnknownLocaleError

    cleaned = text.strip().replace("-", "_")
    try:
        return Locale.parse(cleaned)
    except (UnknownLocaleError, ValueError, TypeError) as error:
        raise UnknownLocale(
            f"unknown locale {text!r}: Babel does not know it; use a language code "
            "such as 'de', 'ru' or 'pt_BR'"
        ) from error


@lru_cache(maxsize=256)  # called per lookup by Glossary helpers; Babel parsing is slow
def normalize_locale(text: str) -> str:
    """Return the canonical Babel form of a locale: `pt-BR`, `pt_br` -> `pt_BR`.

    `de-DE` stays `de_DE` (a region is kept, never dropped). `qtc` is the test
    cipher language and is returned as is. Raises UnknownLocale otherwise.
    """
    if isinstance(text, str) and text.strip().lower() in TEST_LOCALES:
        return text.strip().lower()
    return str(_parse(text))


def display_name(locale: str) -> str:
    """Babel's English display name, e.g. 'Portuguese (Brazil)'."""
    if normalize_locale(locale) in TEST_LOCALES:
        return TEST_LOCALES[normalize_locale(locale)]
    return _parse(locale).english_name or str(_parse(locale))


def plural_forms(locale: str) -> str:
    """The gettext `Plural-Forms` header value for a locale, from Babel's rule."""
    if normalize_locale(locale) in TEST_LOCALES:
        return _TEST_PLURAL_FORMS
    from babel.messages.plurals import get_plural

    return get_plural(_parse(locale)).plural_forms


def language_of(locale: str) -> str:
    """The bare language code of a normalized locale: `pt_BR` -> `pt`."""
    return locale.split("_", 1)[0]


def fallback_locale(locale: str, available: Iterable[str]) -> str | None:
    """The locale of `available` that serves `locale`: itself, else its language
    (`de_AT` -> `de`; `deu`, which Babel reads as `de_DE`, -> `de`), else None."""
    choices = list(available)
    if locale in choices:
        return locale
    language = language_of(locale)
    return language if language in choices else None


def resolve_locale(text: str, available: Iterable[str]) -> str:
    """The locale of `available` that `text` names, by `fallback_locale`;
    UnknownLocale with a did-you-mean otherwise."""
    choices = list(available)
    try:
        locale = normalize_locale(text)
    except UnknownLocale as error:
        raise UnknownLocale(f"{error}{_did_you_mean(str(text), choices)}") from None
    found = fallback_locale(locale, choices)
    if found is None:
        raise UnknownLocale(
            f"the glossary has no locale {locale!r}{_did_you_mean(locale, choices)}; "
            f"it covers {', '.join(choices)}"
        )
    return found


def _did_you_mean(text: str, choices: list[str]) -> str:
    import difflib

    cleaned = text.strip().replace("-", "_")
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(cleaned.lower(), list(lowered), n=1, cutoff=0.5)
    return f" (did you mean {lowered[close[0]]!r}?)" if close else ""
