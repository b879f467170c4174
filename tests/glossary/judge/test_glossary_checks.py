"""Checks of hand-written translations of the sample article against the curated glossary."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import (
    LineCountMismatch,
    UnknownLocale,
    Violation,
    check_document,
    check_source,
    default_glossary_path,
    load_glossary,
)

SMALL = Path(__file__).resolve().parents[2] / "data" / "glossary" / "small.yaml"
pytestmark = pytest.mark.skipif(not default_glossary_path().exists(), reason="the curated glossary is not written yet")

# Paragraphs of samples/nato-armenia-azerbaijan.txt (blank lines kept) and
# translations written for these tests: correct, with inflected forms.
SOURCE = [
    "NATO Secretary-General Jens Stoltenberg on Tuesday touted an opportunity for permanent peace between South Caucasus rivals Armenia and Azerbaijan and urged the pair to sign a long-negotiated peace agreement after Baku seized the breakaway Karabakh region from Armenian separatists.",
    "",
    "\"Armenia and Azerbaijan have an opportunity to achieve an enduring peace,\" Stoltenberg said during a news conference in Yerevan.",
    "",
    "Last year, Azerbaijan carried out a lightning military operation in Karabakh that saw Baku recapture the mountainous enclave from Armenian separatist forces who had controlled it for three decades.",
    "",
    "Armenia described the offensive as ethnic cleansing.",
    "",
    "Azerbaijan wants its neighbor to return four villages it says Yerevan is occupying.",
]
RU = [
    "Генеральный секретарь НАТО Йенс Столтенберг во вторник заявил о возможности прочного мира между соперниками на Южном Кавказе Арменией и Азербайджаном и призвал их подписать мирное соглашение, после того как Баку захватил отколовшийся регион Карабах у армянских сепаратистов.",
    "",
    "«У Армении и Азербайджана есть возможность достичь прочного мира», — заявил Столтенберг на пресс-конференции в Ереване.",
    "",
    "В прошлом году Азербайджан провёл молниеносную военную операцию в Карабахе, в ходе которой Баку отвоевал горный анклав у армянских сепаратистов, контролировавших его три десятилетия.",
    "",
    "Армения назвала наступление этнической чисткой.",
    "",
    "Азербайджан требует от соседа вернуть четыре села, которые, по его словам, оккупирует Ереван.",
]
DE = [
    "NATO-Generalsekretär Jens Stoltenberg hat am Dienstag eine Chance auf dauerhaften Frieden zwischen den Rivalen im Südkaukasus, Armenien und Aserbaidschan, gesehen und beide aufgefordert, ein lange verhandeltes Friedensabkommen zu unterzeichnen, nachdem Baku die abtrünnige Region Karabach von armenischen Separatisten erobert hatte.",
    "",
    "„Armenien und Aserbaidschan haben die Chance, einen dauerhaften Frieden zu erreichen“, sagte Stoltenberg auf einer Pressekonferenz in Eriwan.",
    "",
    "Im vergangenen Jahr führte Aserbaidschan in Karabach einen Blitzeinsatz durch, bei dem Baku die bergige Enklave von armenischen Separatisten zurückeroberte, die sie drei Jahrzehnte lang kontrolliert hatten.",
    "",
    "Armenien bezeichnete die Offensive als ethnische Säuberung.",
    "",
    "Aserbaidschan verlangt von seinem Nachbarn die Rückgabe von vier Dörfern, die Eriwan nach seinen Angaben besetzt hält.",
]
TR = [
    "NATO Genel Sekreteri Jens Stoltenberg salı günü Güney Kafkasya'daki rakipler Ermenistan ve Azerbaycan arasında kalıcı barış için bir fırsat olduğunu söyledi ve Bakü'nün ayrılıkçı bölge Karabağ'ı Ermeni ayrılıkçılardan ele geçirmesinin ardından iki ülkeyi uzun süredir müzakere edilen barış anlaşmasını imzalamaya çağırdı.",
    "",
    "\"Ermenistan ve Azerbaycan'ın kalıcı bir barışa ulaşma fırsatı var\" dedi Stoltenberg, Erivan'daki basın toplantısında.",
    "",
    "Geçen yıl Azerbaycan, Karabağ'da yıldırım hızında bir askeri operasyon düzenledi ve Bakü, otuz yıldır bölgeyi kontrol eden Ermeni ayrılıkçı güçlerden dağlık anklavı geri aldı.",
    "",
    "Ermenistan saldırıyı etnik temizlik olarak nitelendirdi.",
    "",
    "Azerbaycan, komşusundan Erivan'ın İşgal ettiğini söylediği dört köyü iade etmesini istiyor.",
]
PT_BR = [
    "O secretário-geral da Otan, Jens Stoltenberg, destacou na terça-feira uma oportunidade de paz permanente entre os rivais do Cáucaso do Sul, Armênia e Azerbaijão, e pediu que assinem um acordo de paz negociado há muito tempo, depois que Baku tomou a região separatista de Karabakh dos separatistas armênios.",
    "",
    "\"A Armênia e o Azerbaijão têm a oportunidade de alcançar uma paz duradoura\", disse Stoltenberg durante uma entrevista coletiva em Yerevan.",
    "",
    "No ano passado, o Azerbaijão realizou uma operação militar relâmpago em Karabakh na qual Baku retomou o enclave montanhoso das forças separatistas armênias que o controlavam havia três décadas.",
    "",
    "A Armênia descreveu a ofensiva como limpeza étnica.",
    "",
    "O Azerbaijão quer que o vizinho devolva quatro aldeias que, segundo Baku, Yerevan está a ocupar.",
]
TRANSLATIONS = {"ru": RU, "de": DE, "tr": TR, "pt_BR": PT_BR}


@pytest.fixture(scope="module")
def curated():  # type: ignore[no-untyped-def]
    return load_glossary()


def kinds(violations: list[Violation]) -> list[tuple[int, str, str]]:
    return [(v.paragraph, v.kind, v.concept) for v in violations]


def errors(violations: list[Violation]) -> list[tuple[int, str, str]]:
    return [(v.paragraph, v.kind, v.concept) for v in violations if v.is_error]


def replace(lines: list[str], paragraph: int, old: str, new: str) -> list[str]:
    changed = list(lines)
    assert old in changed[paragraph - 1], old
    changed[paragraph - 1] = changed[paragraph - 1].replace(old, new)
    return changed


@pytest.mark.parametrize("locale", list(TRANSLATIONS), ids=list(TRANSLATIONS))
def test_correct_translations_pass_with_only_review_flags(curated, locale: str) -> None:  # type: ignore[no-untyped-def]
    violations = check_document(SOURCE, TRANSLATIONS[locale], curated, locale)
    assert errors(violations) == []
    assert kinds(violations) == [(7, "review", "ethnic-cleansing"), (9, "review", "occupied")]
    occupied = violations[1]
    assert occupied.source == "occupying" and occupied.found
    assert "attributed" in occupied.note or occupied.note  # the editorial note travels with the flag


DROPPED = [
    ("ru", 1, "регион Карабах у", "регион у", "karabakh"),
    ("de", 1, "Region Karabach von", "Region von", "karabakh"),
    ("tr", 5, "Geçen yıl Azerbaycan, Karabağ'da", "Geçen yıl Azerbaycan, orada", "karabakh"),
    ("pt_BR", 1, "acordo de paz negociado", "pacto negociado", "peace-agreement"),
]


def test_term_dropped_inside_a_quotation_is_quoted_not_missing(curated) -> None:  # type: ignore[no-untyped-def]
    # The speaker's words stand: the judge says `quoted`, as translate does.
    target = replace(RU, 3, "Армении и Азербайджана", "Азербайджана и соседа")
    assert [v for v in check_document(SOURCE, target, curated, "ru") if v.concept == "armenia"] == []
    from glossary.judge import Judge

    verdicts = Judge(curated, "ru").document([(n, s, t) for n, (s, t) in enumerate(zip(SOURCE, target), 1)])
    assert [(v.paragraph, v.kind) for v in verdicts if v.concept == "armenia" and v.paragraph == 3] == [(3, "quoted")]


@pytest.mark.parametrize(
    ("locale", "paragraph", "old", "new", "concept"),
    DROPPED,
    ids=[f"{row[0]}-{row[4]}" for row in DROPPED],
)
def test_dropped_term_is_missing(curated, locale: str, paragraph: int, old: str, new: str, concept: str) -> None:  # type: ignore[no-untyped-def]
    target = replace(TRANSLATIONS[locale], paragraph, old, new)
    violations = check_document(SOURCE, target, curated, locale)
    missing = [v for v in violations if v.kind == "missing"]
    assert [(v.paragraph, v.concept) for v in missing] == [(paragraph, concept)]
    assert missing[0].expected and missing[0].found is None


def test_occurrences_are_counted(curated) -> None:  # type: ignore[no-untyped-def]
    # Two Azerbaijans in the source paragraph, one in the translation.
    source = ["Azerbaijan said Karabakh is part of Azerbaijan."]
    target = ["Азербайджан заявил, что Карабах — его часть."]
    violations = check_document(source, target, curated, "ru")
    assert kinds(violations) == [(1, "missing", "azerbaijan")]
    fixed = ["Азербайджан заявил, что Карабах — часть Азербайджана."]
    assert check_document(source, fixed, curated, "ru") == []


def test_pt_br_european_spelling_is_deprecated(curated) -> None:  # type: ignore[no-untyped-def]
    target = replace(PT_BR, 7, "A Armênia descreveu", "A Arménia descreveu")
    violations = check_document(SOURCE, target, curated, "pt_BR")
    # One verdict per occurrence: the deprecated rendering, naming the source.
    assert errors(violations) == [(7, "deprecated", "armenia")]
    assert [v.source for v in violations if v.kind == "deprecated"] == ["Armenia"]
    deprecated = next(v for v in violations if v.kind == "deprecated")
    assert deprecated.found == "Arménia" and deprecated.expected == ["Armênia"]


def test_german_mixed_capital_spellings_are_inconsistent(curated) -> None:  # type: ignore[no-untyped-def]
    # The curated file admits Jerewan next to the preferred Eriwan: either
    # is fine, both in one article are not.
    target = replace(DE, 9, "die Eriwan nach", "die Jerewan nach")
    violations = check_document(SOURCE, target, curated, "de")
    inconsistent = [v for v in violations if v.kind == "inconsistent"]
    assert [(v.paragraph, v.concept, v.found, v.expected) for v in inconsistent] == [
        (9, "yerevan", "Jerewan", ["Eriwan"])
    ]
    only_jerewan = replace(target, 3, "in Eriwan.", "in Jerewan.")
    assert errors(check_document(SOURCE, only_jerewan, curated, "de")) == []


def test_russian_mixed_renderings_are_inconsistent(curated) -> None:  # type: ignore[no-untyped-def]
    source = ["Armenia and Azerbaijan will sign a peace agreement.", "The peace agreement is ready."]
    target = ["Армения и Азербайджан подпишут мирное соглашение.", "Мирный договор готов."]
    violations = check_document(source, target, curated, "ru")
    assert (2, "missing", "peace-agreement") in kinds(violations)  # a treaty is another concept


def test_forbidden_rendering_outside_and_inside_quotes(curated) -> None:  # type: ignore[no-untyped-def]
    source = [
        "Baku seized the region from Armenian separatists.",
        'Aliyev said: "We defeated the separatists."',
    ]
    target = [
        "Баку захватил регион у армянских террористов.",
        "Алиев заявил: «Мы разгромили террористов».",
    ]
    violations = check_document(source, target, curated, "ru")
    assert errors(violations) == [(1, "deprecated", "separatists")]
    # paragraph 2: inside a quotation the speaker's word stands
    assert all(v.paragraph == 1 for v in violations if v.is_error)


def test_quotation_only_term(curated) -> None:  # type: ignore[no-untyped-def]
    source = ['Officials said: "Artsakh will live."', "Pashinyan visited Artsakh."]
    target = ["Чиновники заявили: «Арцах будет жить».", "Пашинян посетил Арцах."]
    violations = check_document(source, target, curated, "ru")
    # One verdict: the quotation-only term in our voice, paired with its source.
    assert errors(violations) == [(2, "forbidden", "artsakh")]
    assert [(v.source, v.found) for v in violations if v.is_error] == [("Artsakh", "Арцах")]
    forbidden = violations[0]
    assert forbidden.found == "Арцах" and forbidden.expected[0] == "Карабах"
    assert "karabakh" in forbidden.hint
    fixed = ["Чиновники заявили: «Арцах будет жить».", "Пашинян посетил Карабах."]
    assert errors(check_document(source, fixed, curated, "ru")) == []


def test_keep_concept_must_stay(curated) -> None:  # type: ignore[no-untyped-def]
    target = replace(RU, 1, "Генеральный секретарь НАТО", "Генеральный секретарь альянса")
    violations = check_document(SOURCE, target, curated, "ru")
    assert errors(violations) == [(1, "keep", "nato")]
    assert violations[0].expected == ["НАТО"]


def test_violation_records_serialise(curated) -> None:  # type: ignore[no-untyped-def]
    violations = check_document(SOURCE, RU, curated, "ru")
    record = violations[0].to_dict()
    assert {"paragraph", "concept", "kind", "source", "found", "expected", "note", "quoted"} <= set(record)


def test_line_counts_must_match(curated) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LineCountMismatch, match="the source has 9 lines but the translation has 8"):
        check_document(SOURCE, RU[:-1], curated, "ru")


def test_unknown_or_uncovered_locale(curated) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownLocale):
        check_document(SOURCE, RU, curated, "xx")
    with pytest.raises(UnknownLocale, match="the glossary has no locale 'ja'"):
        check_document(SOURCE, RU, curated, "ja")


def test_check_source_lists_contested_terms(curated) -> None:  # type: ignore[no-untyped-def]
    findings = check_source(SOURCE + ["Pashinyan visited Artsakh.", 'He said: "Artsakh is home."'], curated)
    by_kind = {(f.kind, f.concept) for f in findings}
    assert ("review", "occupied") in by_kind and ("review", "ethnic-cleansing") in by_kind
    assert ("term", "karabakh") in by_kind
    assert not any(f.concept == "nato" for f in findings)  # keep concepts are not contested
    artsakh = [f for f in findings if f.concept == "artsakh"]
    assert [(f.kind, f.quoted) for f in artsakh] == [("forbidden", False), ("term", True)]


def test_small_glossary_checks() -> None:
    glossary = load_glossary(SMALL)
    source = ["Azerbaijan seized the enclave.", "The enclaves of Azerbaijan."]
    target = ["Azerbaycan anklavı ele geçirdi.", "Azerbaycan'ın yerleşim bölgesi."]
    violations = check_document(source, target, glossary, "tr")
    # `seize` has no Turkish rendering here: an editor decides (not an error).
    assert kinds(violations) == [(1, "unrendered", "seized"), (2, "inconsistent", "enclave")]
    assert [v.is_error for v in violations] == [False, True]
