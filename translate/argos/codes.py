"""The one table from Babel locales to the language codes Argos packages use.

Babel spells locales fully (``zh-TW`` is ``zh_Hant_TW``, ``tl`` is
``fil_PH``, ``iw`` is ``he_IL``); Argos uses ISO 639-1 codes plus its own
``pb`` (Brazilian Portuguese) and ``zt`` (Traditional Chinese). Every code
of the real index maps to itself.
"""

from __future__ import annotations

from collections.abc import Iterable

# The codes of the real Argos index (mid-2025): 48 languages, none Armenian.
INDEX_CODES = frozenset(
    ["ar", "az", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "eo", "es", "et", "eu", "fa", "fi", "fr", "ga", "gl", "he", "hi", "hu", "id", "it", "ja", "ko", "ky", "lt", "lv", "ms", "nb", "nl", "pb", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sv", "th", "tl", "tr", "uk", "ur", "zh", "zt"]
)
# Codes Argos uses that are no Babel locale: accepted as they are.
ARGOS_ONLY = frozenset({"pb", "zt"})
# Languages whose Babel code is not the Argos one.
_LANGUAGE: dict[str, str] = {"fil": "tl", "tl": "tl", "no": "nb", "nb": "nb", "iw": "he", "in": "id"}
# Territories where Chinese is written in Traditional characters.
_HANT_TERRITORIES = frozenset({"TW", "HK", "MO"})


def _parts(locale: str) -> tuple[str, str | None, str | None]:
    """(language, script, territory) of a normalised locale such as zh_Hant_TW."""
    parts = locale.replace("-", "_").split("_")
    language, script, territory = parts[0].lower(), None, None
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            script = part.title()
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            territory = part.upper()
    return language, script, territory


def argos_candidates(locale: str) -> tuple[str, ...]:
    """Argos codes that can serve a normalised locale, best first."""
    if locale in ARGOS_ONLY:
        return (locale,)
    language, script, territory = _parts(locale)
    if language == "zh":
        traditional = script == "Hant" or (script is None and territory in _HANT_TERRITORIES)
        return ("zt",) if traditional else ("zh",)
    if language == "pt":
        # Brazilian Portuguese has its own package; where none is installed the
        # generic one still reads as Portuguese to a Brazilian reader.
        return ("pb", "pt") if territory == "BR" else ("pt",)
    return (_LANGUAGE.get(language, language),)


def argos_code(locale: str, available: Iterable[str]) -> str:
    """The Argos code for a locale: the best candidate that is available.

    With no candidate available the most specific one is returned, so error
    messages and install commands name the package a user would want.
    """
    have = set(available)
    candidates = argos_candidates(locale)
    return next((code for code in candidates if code in have), candidates[0])


def resolve(text: str, available: Iterable[str] = ()) -> str:
    """A language as a user types it (a locale or an Argos code) -> the Argos code.

    Raises glossary's UnknownLocale (bad input) for something that is neither.
    """
    from glossary.termbase.locales import normalize_locale

    raw = text.strip()
    if raw in ARGOS_ONLY:
        return raw
    return argos_code(normalize_locale(raw), available)
