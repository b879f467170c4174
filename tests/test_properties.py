"""Property-based tests that the per-module suites do not already have.

Already elsewhere (with their example counts):
- tests/translate/run/test_segment.py: split_sentences then join is the paragraph, any text without LF (300);
- tests/glossary/matching/test_glossary_matching.py: matching never raises (200), every planted
  source term behind punctuation filler is found (200);
- tests/translate/catalogs/test_catalog.py: a raw entry written and read back keeps any msgid/msgstr (150);
- tests/glossary/exchange/test_exchange.py: generated glossaries survive YAML and TBX round trips (60).

Here (example counts in each @settings): documents with any line breaks, BOM
and CR; sentence-shaped paragraphs; planted source and target terms in
random case, with invisible characters inside and mixed-script filler; the
catalog through its real update path and back to the document; CSV and PO
round trips of generated glossaries.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import glossaries

from glossary import SourceMatcher, TargetMatcher, load_glossary
from glossary.exchange.csvx import export_csv, import_csv
from glossary.exchange.po import export_po, import_po, write_po
from glossary.termbase.model import Concept, Glossary, Policy, Quotation, Rendering, Status
from translate.catalogs.folder import catalog_path
from translate.catalogs.header import HeaderInfo
from translate.catalogs.reading import load_catalog
from translate.catalogs.render import render_document
from translate.catalogs.session import CatalogUpdate
from translate.run.document import MachineTranslation, SourceDocument
from translate.run.segment import join_sentences, split_sentences

SMALL = Path(__file__).resolve().parent / "data" / "glossary" / "small.yaml"
GLOSSARY = load_glossary(SMALL)
SOURCE = SourceMatcher(GLOSSARY)
HEADER = HeaderInfo(argos_package="en->qtc 1.0")
DIGEST = "e" * 64

ANY_CHAR = st.characters(blacklist_categories=("Cs",))


# ----------------------------------------------------------------------------- segmentation


@settings(max_examples=300, deadline=None)
@given(st.text(ANY_CHAR, max_size=300))
def test_document_lines_join_back_to_the_text(text: str) -> None:
    """Any text (LF, CR, CRLF, BOM, U+2028 ...) splits into lines that rebuild it, normalised."""
    document = SourceDocument.from_text("doc.txt", text)
    expected = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    assert document.to_text() == expected
    assert [line for _, line in document.paragraphs()] == [line for line in document.lines if line.strip()]


_WORD = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd")), min_size=1, max_size=8)
_PUNCT = st.sampled_from([". ", "? ", "! ", "... ", ".” ", ".\" ", "; ", ", ", " ", "  ", "\t", " U.S. ", " 3.5 ",
                          " Mr. ", "。", "؟ ", "։ ", " « ", " » ", "\u00a0", "\u200b"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_WORD, _PUNCT), min_size=1, max_size=30), st.text(" \t", max_size=3))
def test_sentence_shaped_paragraphs_split_and_join_back(pieces: list[tuple[str, str]], lead: str) -> None:
    # Random text rarely holds a sentence boundary; these paragraphs are full of them.
    paragraph = lead + "".join(word + punct for word, punct in pieces)
    sentences = split_sentences(paragraph)
    assert join_sentences(sentences, [s.text for s in sentences]) == paragraph
    assert all(s.text and s.text == s.text.strip() for s in sentences)
    # Replacing every sentence keeps the whitespace layout around them.
    assert join_sentences(sentences, ["X"] * len(sentences)).replace("X", "") == "".join(
        s.lead + s.trail for s in sentences)


# ----------------------------------------------------------------------------- matching

ENGLISH = sorted({(c.id, r.text) for c in GLOSSARY.concepts.values() for r in c.terms["en"]})
# Filler that cannot form a term: words not in the glossary, in four scripts, each ended by a full stop.
FILLER_WORDS = ["talks", "went", "on", "переговоры", "шли", "բանակցություններ", "المحادثات", "2024", "«", "“"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060"]


def _upper(ch: str, locale: str) -> str:
    # Turkish and Azerbaijani pair i/İ and ı/I; str.upper() does not know that.
    if locale in ("tr", "az"):
        return {"i": "İ", "ı": "I"}.get(ch, ch.upper())
    return ch.upper()


def _lower(ch: str, locale: str) -> str:
    if locale in ("tr", "az"):
        return {"İ": "i", "I": "ı"}.get(ch, ch.lower())
    return ch.lower()


@st.composite
def disguised(draw: st.DrawFn, term: str, locale: str = "en") -> str:
    """The term in random case, with invisible characters inside words and any space as NBSP."""
    out = []
    for ch in term:
        out.append(_upper(ch, locale) if draw(st.booleans()) else _lower(ch, locale))
        if ch.isalpha() and draw(st.integers(0, 9)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
    text = "".join(out)
    return text.replace(" ", draw(st.sampled_from([" ", "\u00a0", "  "])))


@st.composite
def planted_text(draw: st.DrawFn, terms: list[tuple[str, str]], locale: str = "en") -> tuple[str, list[tuple[int, str]]]:
    text = ""
    planted: list[tuple[int, str]] = []
    for _ in range(draw(st.integers(1, 6))):
        filler = " ".join(draw(st.lists(st.sampled_from(FILLER_WORDS), max_size=4)))
        text += filler + " . "
        concept_id, term = draw(st.sampled_from(terms))
        planted.append((len(text), concept_id))
        text += draw(disguised(term, locale)) + " . "
    return text, planted


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_every_disguised_source_term_is_found(data: st.DataObject) -> None:
    text, planted = data.draw(planted_text(ENGLISH))
    found = {(o.start, o.concept_id) for o in SOURCE.find(text)}
    for position, concept_id in planted:
        assert (position, concept_id) in found, (text, position, concept_id)


TARGET_LOCALES = ("de", "ru", "hy", "tr")
TARGETS = {locale: TargetMatcher(GLOSSARY, locale) for locale in TARGET_LOCALES}
RENDERINGS = {
    locale: sorted({(c.id, r.text) for c in GLOSSARY.concepts.values() for r in c.terms.get(locale, ())})
    for locale in TARGET_LOCALES
}


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TARGET_LOCALES), st.data())
def test_every_planted_target_rendering_is_found(locale: str, data: st.DataObject) -> None:
    text, planted = data.draw(planted_text(RENDERINGS[locale], locale))
    hits = TARGETS[locale].find(text)
    found = {(h.start, h.concept_id) for h in hits}
    for position, concept_id in planted:
        assert (position, concept_id) in found, (locale, text, position, concept_id)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from([t for _, t in ENGLISH]), st.text(ANY_CHAR, max_size=5),
                          st.sampled_from(INVISIBLE + ["'", "’", "-", "\u00ad", "İ", "ı", "“", "”", "«"])),
                max_size=40))
def test_matching_never_raises_on_term_fragments(parts: list[str]) -> None:
    # Terms glued to quotes, apostrophes, dotted I, soft hyphens and invisible characters.
    text = "".join(parts)
    for occurrence in SOURCE.find(text):
        assert 0 <= occurrence.start < occurrence.end <= len(text)
    for matcher in TARGETS.values():
        for hit in matcher.find(text):
            assert 0 <= hit.start < hit.end <= len(text)


# ----------------------------------------------------------------------------- catalog through the update path

_LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), min_size=1, max_size=60)
_MSGSTR = st.text(ANY_CHAR, max_size=60)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(_LINE, st.just("")), min_size=1, max_size=8), trailing=st.booleans(),
       data=st.data())
def test_catalog_update_then_render_gives_the_document(lines: list[str], trailing: bool, data: st.DataObject) -> None:
    text = "\n".join(lines) + ("\n" if trailing else "")
    document = SourceDocument.from_text("doc.txt", text)
    paragraphs = list(dict.fromkeys(p for _, p in document.paragraphs()))
    translations = {p: MachineTranslation(data.draw(_MSGSTR)) for p in paragraphs}
    with tempfile.TemporaryDirectory() as folder:
        path = catalog_path(Path(folder) / uuid.uuid4().hex, "qtc", "doc")
        with CatalogUpdate.open(path, locale="qtc", domain="doc", header=HEADER) as cat:
            assert cat.needs_translation(document, DIGEST) == paragraphs
            cat.apply(document, translations, DIGEST)
        po = load_catalog(path)
        entries = {e.msgid: e.msgstr for e in po if not e.obsolete}
        assert list(entries) == paragraphs
        for paragraph, translation in translations.items():
            # Machine output is kept on one line: runs of line breaks (every
            # character str.splitlines breaks on) become one space.
            assert entries[paragraph] == re.sub("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+", " ", translation.msgstr)
        rendered, _ = render_document(path, fuzzy=False)
        # No reviewed entry: every paragraph falls back to its source line. A
        # whitespace-only line is layout, not a message, and comes back empty.
        assert rendered == document.to_text([line if line.strip() else "" for line in document.lines])
        # A second run decodes nothing and leaves the bytes alone.
        before = path.read_bytes()
        with CatalogUpdate.open(path, locale="qtc", domain="doc", header=HEADER) as cat:
            need = cat.needs_translation(document, DIGEST)
            assert set(need) == {p for p in paragraphs if not entries[p]}
            cat.apply(document, {}, DIGEST)
        assert path.read_bytes() == before


# ----------------------------------------------------------------------------- glossary: CSV and PO round trips


def _target_locales(glossary: Glossary) -> list[str]:
    return [locale for locale in glossary.locales if locale != glossary.source]


def _shared_source_term() -> Glossary:
    """Two concepts with one English term, only the second rendered in ru (found by this property)."""
    term = Rendering("0", Status.PREFERRED)

    def concept(concept_id: str, terms: dict[str, tuple[Rendering, ...]]) -> Concept:
        return Concept(id=concept_id, subject=None, policy=Policy.ENFORCE, quotation=Quotation.EXEMPT,
                       use_instead=None, definition="d", note="n", first_mention={}, terms=terms)

    return Glossary(source="en", locales=("en", "pt_BR", "ru"), concepts={
        "a": concept("a", {"en": (term,), "pt_BR": (term,)}), "b": concept("b", {"en": (term,), "ru": (term,)})})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(_shared_source_term(), "deepl")
@given(glossaries(), st.sampled_from(["deepl", "amazon"]))
def test_csv_round_trip_of_generated_glossaries_has_no_changes(generated: Glossary, shape: str) -> None:
    from glossary.edit.changes import ExchangeError

    for locale in _target_locales(generated):
        try:
            text = export_csv(generated, locale, shape=shape)  # type: ignore[arg-type]
        except ExchangeError:
            continue  # clashing source terms: refused on export, by design
        assert import_csv(text.encode("utf-8"), generated, locale, shape) == []  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(glossaries())
def test_po_round_trip_of_generated_glossaries_has_no_changes(generated: Glossary) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for locale in _target_locales(generated):
            path = write_po(export_po(generated, locale), Path(folder) / f"{locale}.po")
            assert list(import_po(path, generated)) == []
