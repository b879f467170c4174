"""Map Babel locale identifiers to the language codes Argos packages use."""

from __future__ import annotations

from typing import Iterable

# Argos codes that are not simply the Babel language. Each locale maps to the
# codes to try, most specific first (pt_BR: Brazilian "pb" where a package
# exists, else generic "pt").
_SPECIAL: dict[str, tuple[str, ...]] = {
    "pt_BR": ("pb", "pt"),
    "zh_Hant": ("zt", "zh"),
    "zh_TW": ("zt", "zh"),
    "zh_HK": ("zt", "zh"),
    "zh_Hans": ("zh",),
    "zh_CN": ("zh",),
    "nb": ("nb", "no"),
}


def argos_candidates(locale: str) -> tuple[str, ...]:
    """Argos codes that can serve a normalised locale, best first."""
    if locale in _SPECIAL:
        return _SPECIAL[locale]
    language = locale.split("_", 1)[0]
    return (language,) if language == locale else (locale, language)


def argos_code(locale: str, available: Iterable[str]) -> str:
    """The Argos code for a locale: the best candidate that is available.

    With no candidate available the most specific one is returned, so error
    messages and install commands name the package a user would want.
    """
    have = set(available)
    candidates = argos_candidates(locale)
    for code in candidates:
        if code in have:
            return code
    return candidates[-1] if locale not in _SPECIAL else candidates[0]
