"""The enforcement ladder settling real cases through the real test model.

Glossaries here are test data for the test language: renderings are cipher
words (from the model's lexicon) that the model does or does not produce by
itself, so each step of the ladder has something to do.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import ARTICLE, REPO
from glossary import load_glossary
from translate.argos.engine import DecodeOptions, Engine
from translate.cli import main
from translate.ladder import forms
from translate.ladder.enforce import Enforcer
from translate.ladder.outcomes import LADDER, STEP_FORCE
from translate.run.pipeline import translate_paragraphs

WORD = re.compile(r"[^\W\d_]+")

BAKU = "Baku seized the breakaway Karabakh region from Armenian separatists."
QUOTED = "\u201cArmenia and Azerbaijan have an opportunity,\u201d Stoltenberg said in Yerevan."
OCCUPYING = "Azerbaijan wants its neighbor to return four villages it says Yerevan is occupying."


def cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def write_glossary(path: Path, concepts: list[dict[str, Any]]) -> Path:
    """A two-locale (en, qtc) glossary file."""
    lines = ["schema: 1", "source: en", "locales: [en, qtc]", "concepts:"]
    for c in concepts:
        lines += [
            f"  - id: {c['id']}",
            f"    policy: {c.get('policy', 'enforce')}",
            f"    quotation: {c.get('quotation', 'exempt')}",
            "    definition: A test concept.",
            f"    note: {json.dumps(c.get('note', 'Test note.'))}",
            "    terms:",
            "      en:",
            f"        - text: {json.dumps(c['en'])}",
            "          status: preferred",
        ]
        if c.get("en_forms"):
            lines.append(f"          forms: {json.dumps(c['en_forms'])}")
        lines.append("      qtc:")
        for text, status in c["qtc"]:
            lines += [f"        - text: {json.dumps(text)}", f"          status: {status}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def engine(test_model: Path) -> Engine:
    return Engine(test_model)


def run(engine: Engine, glossary_path: Path, sentence: str, ladder: frozenset[str] = LADDER):
    glossary = load_glossary(glossary_path)
    enforcer = Enforcer(glossary, "qtc", ladder=ladder)
    [result] = translate_paragraphs(engine, [sentence], DecodeOptions(), enforcer)
    return result


def natural(engine: Engine, sentence: str) -> str:
    return engine.translate([sentence])[0][0].text


def test_decode_settles_what_the_model_produces(engine: Engine, lexicon: dict[str, str],
                                                tmp_path: Path) -> None:
    path = write_glossary(tmp_path / "g.yaml", [
        {"id": "baku", "en": "Baku", "qtc": [(cap(lexicon["baku"]), "preferred")]},
    ])
    result = run(engine, path, BAKU)
    [occ] = result.occurrences
    assert (occ.concept, occ.outcome, occ.step) == ("baku", "settled", "decode")
    assert cap(lexicon["baku"]) in result.target


def test_force_that_would_insert_a_word_is_refused_visibly(engine: Engine, lexicon: dict[str, str],
                                                           tmp_path: Path) -> None:
    """The cipher model writes one word per source word: forcing an unrelated word in place
    of Karabakh makes it write Karabakh's word as well, a spurious word the sentence does not
    say. The guard refuses that hypothesis and the occurrence stays visibly unresolved."""
    wanted = cap(lexicon["mountainous"])
    plain = natural(engine, BAKU)
    assert wanted not in plain
    path = write_glossary(tmp_path / "g.yaml", [
        {"id": "karabakh", "en": "Karabakh", "qtc": [(wanted, "preferred")]},
    ])
    forced = engine.translate([BAKU], prefixes=[engine.tokenize(" ".join(plain.split()[:4]) + " " + wanted)])
    assert cap(lexicon["karabakh"]) in forced[0][0].text  # the damage a blind force would publish
    result = run(engine, path, BAKU)
    [occ] = result.occurrences
    assert (occ.outcome, occ.step) == ("unresolved", "give-up")
    assert "inserts" in occ.reason or "drops" in occ.reason
    assert result.target == plain  # nothing damaged is published


def test_substitute_replaces_a_deprecated_rendering_keeping_case(engine: Engine, lexicon: dict[str, str],
                                                                 tmp_path: Path) -> None:
    wanted = lexicon["mountainous"]
    wrong = cap(lexicon["karabakh"])
    assert wrong in natural(engine, BAKU)
    path = write_glossary(tmp_path / "g.yaml", [
        {"id": "karabakh", "en": "Karabakh", "qtc": [(wanted, "preferred"), (wrong, "deprecated")]},
    ])
    result = run(engine, path, BAKU, ladder=LADDER - {STEP_FORCE})
    [occ] = result.occurrences
    assert (occ.outcome, occ.step) == ("substituted", "substitute")
    assert cap(wanted) in result.target and wrong not in result.target


def _first_difference(engine: Engine, sentence: str) -> tuple[str, str, str] | None:
    """(English word, 1-best word, other n-best word) at the first position they differ."""
    english = WORD.findall(sentence)
    hyps = engine.translate([sentence], DecodeOptions(num_hypotheses=4))[0]
    best = WORD.findall(hyps[0].text)
    for hyp in hyps[1:]:
        other = WORD.findall(hyp.text)
        if len(other) != len(best) or len(best) != len(english):
            continue
        for i, (a, b) in enumerate(zip(best, other)):
            if a.lower() != b.lower():
                return english[i], a, b
    return None


CANDIDATES = [BAKU, OCCUPYING, QUOTED, ARTICLE.read_text("utf-8").split("\n")[8]]


def test_choose_takes_a_lower_ranked_hypothesis(engine: Engine, tmp_path: Path) -> None:
    found = next(((s, d) for s in CANDIDATES if (d := _first_difference(engine, s))), None)
    if found is None:
        pytest.skip("the model's n-best lists never differ by one word on these sentences")
    sentence, (english, _best, other) = found
    path = write_glossary(tmp_path / "g.yaml", [
        {"id": "term", "en": english, "qtc": [(other, "preferred")]},
    ])
    result = run(engine, path, sentence)
    occ = next(o for o in result.occurrences if o.concept == "term")
    assert (occ.outcome, occ.step) == ("settled", "choose")
    assert other in result.target


def test_ban_keeps_a_forbidden_rendering_out(engine: Engine, tmp_path: Path) -> None:
    found = next(((s, d) for s in CANDIDATES if (d := _first_difference(engine, s))), None)
    if found is None:
        pytest.skip("the model's n-best lists never differ by one word on these sentences")
    sentence, (english, best, other) = found
    path = write_glossary(tmp_path / "g.yaml", [
        {"id": "term", "en": english, "qtc": [(other, "preferred"), (best, "forbidden")]},
    ])
    result = run(engine, path, sentence)
    occ = next(o for o in result.occurrences if o.concept == "term")
    # The n-best list already holds a hypothesis without it: choose settles it and no banned
    # decode is needed (bans cost a decode call of their own).
    assert occ.outcome in ("settled", "forced") and occ.step in ("choose", "ban", "force")
    assert best.lower() not in [w.lower() for w in WORD.findall(result.target)]
    assert other in result.target


def test_forbidden_rendering_never_survives(engine: Engine, lexicon: dict[str, str], tmp_path: Path) -> None:
    wrong = cap(lexicon["karabakh"])
    wanted = cap(lexicon["mountainous"])
    path = write_glossary(tmp_path / "g.yaml", [
        {"id": "karabakh", "en": "Karabakh", "qtc": [(wanted, "preferred"), (wrong, "forbidden")]},
    ])
    for ladder, outcomes in ((LADDER, {"settled", "forced", "substituted"}),
                             # without force the ladder may have to give up, but visibly
                             (LADDER - {STEP_FORCE}, {"settled", "substituted", "unresolved"})):
        result = run(engine, path, BAKU, ladder=ladder)
        assert wrong.lower() not in result.target.lower()
        [occ] = result.occurrences
        assert occ.outcome in outcomes


def test_quoted_deprecated_term_is_left_alone(engine: Engine, lexicon: dict[str, str], tmp_path: Path) -> None:
    said = cap(lexicon["armenia"])
    path = write_glossary(tmp_path / "g.yaml", [
        {"id": "armenia", "en": "Armenia", "qtc": [(cap(lexicon["mountainous"]), "preferred"),
                                                  (said, "deprecated")]},
    ])
    result = run(engine, path, QUOTED)
    [occ] = result.occurrences
    assert (occ.outcome, occ.quoted) == ("quoted", True)
    assert said in result.target
    assert result.target == natural(engine, QUOTED)


def test_review_term_is_flagged_and_untouched(engine: Engine, lexicon: dict[str, str], tmp_path: Path) -> None:
    produced = lexicon["occupying"]
    path = write_glossary(tmp_path / "g.yaml", [
        {"id": "occupied", "policy": "review", "en": "occupy", "en_forms": ["occupying", "occupied"],
         "note": "Attributed claims only.", "qtc": [(lexicon["mountainous"], "preferred"),
                                                   (produced, "deprecated")]},
    ])
    result = run(engine, path, OCCUPYING)
    [occ] = result.occurrences
    assert (occ.outcome, occ.step, occ.note) == ("review", "none", "Attributed claims only.")
    assert produced in result.target.lower()
    assert result.target == natural(engine, OCCUPYING)


def test_article_with_the_test_glossary_resolves_every_enforced_occurrence(
        runner: CliRunner, test_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["translate", str(ARTICLE), "--to", "qtc", "--no-catalog", "--strict",
                                  "--json", "-o", str(tmp_path / "article.qtc.txt"),
                                  "--glossary", str(REPO / "tests/model/glossary-qtc.yaml")])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    enforced = [r for r in records if r["policy"] in ("enforce", "keep") and r["outcome"] != "quoted"]
    assert len(enforced) >= 60
    assert all(r["outcome"] in ("settled", "forced", "substituted") for r in enforced), [
        r for r in enforced if r["outcome"] not in ("settled", "forced", "substituted")]
    assert {r["outcome"] for r in records if r["policy"] == "review"} == {"review"}
    assert any(r["outcome"] == "quoted" for r in records)


def _article_sentences() -> list[str]:
    from translate.run.pipeline import split_paragraphs

    paragraphs = [line for line in ARTICLE.read_text("utf-8").splitlines() if line.strip()]
    return [s.text for sentences in split_paragraphs(paragraphs) for s in sentences]


def test_same_sentence_same_result_alone_or_in_the_article(engine: Engine) -> None:
    """A sentence's text and verdicts do not depend on the other sentences of its batch."""
    glossary = load_glossary(REPO / "tests/model/glossary-qtc.yaml")
    enforcer = Enforcer(glossary, "qtc")
    sentences = _article_sentences() + [
        "Armenian officials still call the region Artsakh.",
        "The capital of the former Nagorno-Karabakh Autonomous Oblast, Stepanakert, was renamed Khankendi.",
    ]
    together = enforcer.translate(engine, sentences)
    for i, sentence in enumerate(sentences):
        alone = enforcer.translate(engine, [sentence])
        assert alone.texts[0] == together.texts[i], sentence
        assert [o.to_dict() for o in alone.occurrences[0]] == [o.to_dict() for o in together.occurrences[i]]


# ----------------------------------------------------------------- the qtr model
# The second test model reorders, inflects, prefers the deprecated synonyms and
# drops terms (tests/model/README-qtr.md): the ladder has real work on it.

QTR_MODEL = REPO / "tests/model/translate-en_qtr-1_0.argosmodel"
QTR_GLOSSARY = REPO / "tests/model/glossary-qtr.yaml"


@pytest.fixture(scope="module")
def qtr_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    import os

    from translate.argos import packages

    folder = tmp_path_factory.mktemp("qtr-packages")
    old = os.environ.get("ARGOS_PACKAGES_DIR")
    os.environ["ARGOS_PACKAGES_DIR"] = str(folder)
    try:
        package = packages.install_file(QTR_MODEL)
    finally:
        if old is not None:
            os.environ["ARGOS_PACKAGES_DIR"] = old
    return Engine(package.path, intra_threads=1)


def _heldout(n: int) -> list[tuple[str, str]]:
    rows = (REPO / "tests/model/heldout-qtr.tsv").read_text("utf-8").splitlines()
    return [tuple(row.split("\t")) for row in rows[:n]]  # type: ignore[misc]


def test_qtr_ladder_resolves_more_damages_nothing_and_reads_better(qtr_engine: Engine) -> None:
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    import ladder_eval

    from glossary import TargetMatcher

    glossary = load_glossary(QTR_GLOSSARY)
    rows = _heldout(40)
    figures = ladder_eval.evaluate(lambda ladder: Enforcer(glossary, "qtr", ladder=ladder), qtr_engine,
                                   TargetMatcher(glossary, "qtr"), [s for s, _ in rows], [r for _, r in rows])
    plain, ladder = figures["plain"], figures["ladder"]
    assert plain["resolved_share"] < 0.9  # the model alone really gets terms wrong
    assert ladder["resolved_share"] >= plain["resolved_share"] + 0.1
    assert figures["damaged"] == 0, figures["damaged_examples"]
    assert ladder["chrf"] >= plain["chrf"]
    assert {"choose", "force"} <= set(ladder["steps"])


def test_qtr_deprecated_synonym_becomes_the_preferred_word_in_the_same_case(qtr_engine: Engine) -> None:
    """The model writes Karabakh's common synonym with the case ending the context needs;
    the published sentence has the preferred word with that same ending."""
    glossary = load_glossary(QTR_GLOSSARY)
    enforcer = Enforcer(glossary, "qtr")
    wrong = glossary.renderings("karabakh", "qtr")[1]
    right = glossary.preferred("karabakh", "qtr")
    assert wrong.status.value == "deprecated" and right is not None
    sentences = [f"{subject} fought {prep} Karabakh{tail}." for subject in ("Azerbaijani forces", "The army")
                 for prep in ("in", "from", "to") for tail in ("", " in 2020")]
    plain = [h[0].text for h in qtr_engine.translate(sentences)]
    batch = enforcer.translate(qtr_engine, sentences)
    checked = 0
    for sentence, before, after in zip(sentences, plain, batch.texts):
        written = [w.strip(".,") for w in before.split() if w.strip(".,").casefold()
                   in {s.casefold() for s in wrong.surfaces}]
        if not written:
            continue
        ending = written[0][len(wrong.text):]
        assert right.text + ending in after.split() or right.text + ending + "." in after.split(), (
            sentence, before, after)
        checked += 1
    assert checked >= 2, plain


def test_qtr_same_sentence_same_result(qtr_engine: Engine) -> None:
    glossary = load_glossary(QTR_GLOSSARY)
    enforcer = Enforcer(glossary, "qtr")
    sentences = _article_sentences() + [s for s, _ in _heldout(12)]
    together = enforcer.translate(qtr_engine, sentences)
    for i, sentence in enumerate(sentences):
        alone = enforcer.translate(qtr_engine, [sentence])
        assert alone.texts[0] == together.texts[i], sentence
        assert [o.to_dict() for o in alone.occurrences[0]] == [o.to_dict() for o in together.occurrences[i]]


def test_qtr_a_sentence_the_model_cuts_short_is_continued_and_its_late_terms_enforced(
        qtr_engine: Engine) -> None:
    """The model stops early on long sentences and drops their end with its terms; the
    ladder continues the hypothesis (the source's end gets attention) and resolves them."""
    from translate.ladder.alignment import Alignment

    glossary = load_glossary(QTR_GLOSSARY)
    enforcer = Enforcer(glossary, "qtr")
    sentences = _article_sentences()
    options = DecodeOptions(return_attention=True)
    cut = []
    for sentence, [hyp] in zip(sentences, qtr_engine.translate(sentences, options)):
        alignment = Alignment.from_attention(hyp.attention, hyp.tokens, len(hyp.source_tokens))
        if alignment is not None and alignment.cut_short():
            cut.append((sentence, hyp.text))
    assert cut, "the model finishes every article sentence: nothing to continue"
    checked = 0
    for sentence, plain in cut:
        batch = enforcer.translate(qtr_engine, [sentence])
        text, records = batch.texts[0], batch.occurrences[0]
        enforceable = [o for o in records if o.policy in ("enforce", "keep")
                       and o.outcome not in ("quoted", "review")]
        if not enforceable:
            continue  # nothing to enforce: the ladder leaves the model's text alone
        assert len(text.split()) > len(plain.split()), (sentence, plain, text)
        # The sentence's last term (in the part the model left out) is resolved.
        last = max(enforceable, key=lambda o: sentence.rfind(o.source))
        assert last.outcome in ("settled", "forced", "substituted"), (sentence, text, last)
        assert text.rstrip("\"'”’»").endswith((".", "!", "?")), text
        # A term the model left out goes before the full stop, not after it.
        assert not re.search(r"[.!?] ", text), text
        checked += 1
    assert checked, cut


def test_qtr_quotation_only_word_inside_a_longer_term_is_substituted(qtr_engine: Engine) -> None:
    """ "Artsakh" inside "Republic of Artsakh" (a review term) is not an occurrence of its
    own, yet the model's literal word for it is our voice using a quotation-only name:
    it becomes the use-instead concept's word, in the same case, and nothing else moves."""
    glossary = load_glossary(QTR_GLOSSARY)
    literal = glossary.renderings("artsakh", "qtr")[0]
    right = glossary.preferred("karabakh", "qtr")
    assert right is not None
    sentences = [f"{subject} {verb} the Republic of Artsakh." for subject in ("Azerbaijan", "Russia", "NATO")
                 for verb in ("returned", "occupied", "recaptured")]
    plain = [h[0].text for h in qtr_engine.translate(sentences)]
    batch = Enforcer(glossary, "qtr").translate(qtr_engine, sentences)
    checked = 0
    for before, after, records in zip(plain, batch.texts, batch.occurrences):
        words = before.rstrip(".").split()
        if not words[-1].casefold().startswith(literal.text.casefold()):
            continue
        assert not any(o.unresolved for o in records), (before, after, [o.to_dict() for o in records])
        form = forms.same_form(words[-1], literal, right)
        assert form is not None and after.rstrip(".").split() == words[:-1] + [form], (before, after)
        checked += 1
    assert checked >= 2, plain


def test_qtr_a_clean_substitution_is_kept_over_a_reworded_hypothesis(qtr_engine: Engine) -> None:
    """Where the model's best hypothesis has a deprecated synonym, the published sentence is
    that hypothesis with the preferred word: every other word stays, the step is substitute."""
    from glossary import TargetMatcher

    glossary = load_glossary(QTR_GLOSSARY)
    wrong = glossary.renderings("border", "qtr")[-1]
    assert wrong.status.value == "deprecated"
    sentences = [s for s, _ in _heldout(400) if "border" in s]
    plain = Enforcer(glossary, "qtr", ladder=frozenset()).translate(qtr_engine, sentences).texts
    batch = Enforcer(glossary, "qtr").translate(qtr_engine, sentences)
    wrong_forms = {f.casefold() for f in wrong.surfaces}
    matcher = TargetMatcher(glossary, "qtr")
    substituted = 0
    for before, after, records in zip(plain, batch.texts, batch.occurrences):
        if not any(w.strip(".,?").casefold() in wrong_forms for w in before.split()):
            continue
        steps = {o.step for o in records if o.concept == "border"}
        if "substitute" in steps and {o.step for o in records} <= {"decode", "substitute", "none"}:
            substituted += 1
            # Word for word the same sentence, but for glossary renderings swapped.
            renderings = {w for h in matcher.find(before) for w in h.text.split()}
            # (longer only where the model cut the sentence short and the ladder continued it)
            assert len(after.split()) >= len(before.split()), (before, after)
            for old, new in zip(before.split(), after.split()):
                assert old == new or old.strip(".,?") in renderings, (before, after)
    assert substituted >= 3, (plain, batch.texts)


def test_a_dropped_term_goes_where_any_of_its_forms_scores_best(engine: Engine) -> None:
    """Every form is scored at every place: ranking places by the first form alone lost this one.

    The model drops the term here; the admitted rendering scores best at a
    place that is not among the preferred rendering's three best.
    """
    glossary = load_glossary(REPO / "tests/model/glossary-qtc.yaml")
    sentence = "Residents near NATO described Nagorno-Karabakh as the main concern of the week."
    result = Enforcer(glossary, "qtc").translate(engine, [sentence])
    records = [o.to_dict() for o in result.occurrences[0]]
    forced = [r for r in records if r["concept"] == "nagorno-karabakh"]
    assert forced and all(r["outcome"] == "forced" and r["step"] == STEP_FORCE for r in forced), records
