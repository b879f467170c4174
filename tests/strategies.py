"""Hypothesis strategies shared by the property tests: generated glossaries."""

from __future__ import annotations

from hypothesis import strategies as st

from glossary.exchange.limits import FORMULA_START
from glossary.termbase.model import Concept, Glossary, Policy, Quotation, Rendering, Status

# Texts with XML and YAML specials, quotes and characters outside the BMP.
_SPECIAL = st.sampled_from(["<", ">", "&", '"', "'", ":", "#", "-", "[", "]", "{", "}", "!", "%", "@", "`", "|", "?", ",", "*",
                            "𝔘", "😀", "𐍈", "é", "ß", "Ա", "ق", " ", "]]>", "&amp;", "<!--"])
_PLAIN = st.characters(blacklist_categories=("Cc", "Cs", "Cn", "Zl", "Zp"))
_WORDY = st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd"))


@st.composite
def _text(draw: st.DrawFn) -> str:
    body = draw(st.lists(st.one_of(_SPECIAL, _PLAIN), max_size=8))
    word = draw(_WORDY)
    position = draw(st.integers(0, len(body)))
    text = " ".join("".join([*body[:position], word, *body[position:]]).split())
    # The glossary refuses a term a spreadsheet would run as a formula.
    return text.lstrip("".join(FORMULA_START) + " ")


@st.composite
def glossaries(draw: st.DrawFn) -> Glossary:
    locales = draw(st.lists(st.sampled_from(["de", "pt_BR", "ru", "hy", "tr"]), unique=True, max_size=3))
    all_locales = ("en", *locales)
    ids = draw(st.lists(st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,4})?", fullmatch=True), min_size=1, max_size=3, unique=True))
    concepts: dict[str, Concept] = {}
    for concept_id in ids:
        terms: dict[str, tuple[Rendering, ...]] = {}
        for locale in all_locales:
            if locale != "en" and draw(st.booleans()):
                continue
            texts = draw(st.lists(_text(), min_size=1, max_size=3, unique_by=str.casefold))
            statuses = [Status.PREFERRED] + [
                draw(st.sampled_from([Status.ADMITTED, Status.DEPRECATED, Status.FORBIDDEN])) for _ in texts[1:]
            ]
            renderings = []
            for text, status in zip(texts, statuses):
                stem = draw(st.one_of(st.none(), _text()))
                renderings.append(Rendering(
                    text=text,
                    status=status,
                    forms=tuple(draw(st.lists(_text(), max_size=2))),
                    stem=stem,
                    stem_max=draw(st.integers(1, 9)) if stem is not None else 4,
                    note=draw(st.one_of(st.none(), _text())),
                ))
            terms[locale] = tuple(renderings)
        others = [other for other in ids if other != concept_id]
        quotation = draw(st.sampled_from(list(Quotation)))
        use_instead = None
        if quotation is Quotation.ONLY:
            if others:
                use_instead = draw(st.sampled_from(others))
            else:
                quotation = Quotation.SAME
        mention_locales = draw(st.lists(st.sampled_from(all_locales), unique=True, max_size=2))
        concepts[concept_id] = Concept(
            id=concept_id,
            subject=draw(st.one_of(st.none(), _text())),
            policy=draw(st.sampled_from(list(Policy))),
            quotation=quotation,
            use_instead=use_instead,
            definition=draw(_text()),
            note=draw(_text()),
            first_mention={locale: draw(_text()) for locale in mention_locales},
            terms=terms,
        )
    return Glossary(source="en", locales=all_locales, concepts=concepts)
