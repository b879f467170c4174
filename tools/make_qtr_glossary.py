"""Write the glossary of the test language qtr (tools/testlang_qtr.py).

Every curated concept, with each English rendering put through the qtr grammar
(the reference renderings) and all its inflected forms: the five case endings,
singular and plural, and for verbs the past and progressive forms.  On top of
that, what a real target locale's glossary says about a misbehaving model:

* the synonym the training corpus prefers for Karabakh, border, seize and
  agreement is ``deprecated`` (the glossary prefers the rarer one);
* the "liberate" word is ``forbidden`` as a rendering of recapture (the
  corpus uses it in narration).

Run from the repository root::

    python tools/make_qtr_glossary.py > tests/model/glossary-qtr.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path

from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parent))
import testlang_qtr as qtr

REPO = Path(__file__).resolve().parent.parent
CURATED = REPO / "glossary" / "data" / "curated.yaml"


def _is_verb(term: str) -> bool:
    entry = qtr.lexicon().get(term.split()[0].lower())
    return entry is not None and entry.tag in ("tverb", "verb") and len(term.split()) == 1


def _known(term: str) -> bool:
    """Every word of the term is in the qtr lexicon (else the model never saw it)."""
    toks = qtr.tokenize(term)
    return all(t.entry is not None or t.tag == "num" for t in toks)


def verb_forms(lemma_key: str) -> list[str]:
    stem = qtr.word_for(lemma_key)
    return [stem + suffix for suffix in ("ri", "mo")]


def noun_forms(term: str) -> tuple[str, list[str]]:
    text = qtr.render(term)
    forms: list[str] = []
    for plural in (False, True):
        for case in qtr.CASES:
            form = qtr.render(term, case, plural)
            if form and form != text and form not in forms:
                forms.append(form)
    return text, forms


def rendering(term: str, status: str) -> dict | None:
    if not _known(term):
        return None
    if _is_verb(term):
        key = qtr.lexicon()[term.lower()].lemma
        return {"text": qtr.word_for(key), "status": status, "forms": verb_forms(key)}
    text, forms = noun_forms(term)
    item: dict = {"text": text, "status": status}
    if forms:
        item["forms"] = forms
    return item


def synonym(concept: str) -> dict | None:
    """The corpus's common synonym of a concept, deprecated."""
    if concept not in qtr.SYNONYM_KEYS:
        return None
    key = qtr.SYNONYM_KEYS[concept][1]
    word = qtr.word_for(key)
    if concept == "seize":
        return {"text": word, "status": "deprecated", "forms": [word + "ri", word + "mo"]}
    cap = concept == "karabakh"
    forms = []
    for plural in (False, True) if not cap else (False,):
        for case in qtr.CASES:
            form = qtr.inflect(word, plural, case)
            forms.append(form[:1].upper() + form[1:] if cap else form)
    text = word[:1].upper() + word[1:] if cap else word
    return {"text": text, "status": "deprecated", "forms": [f for f in forms if f != text]}


SYNONYM_CONCEPTS = {"karabakh": "karabakh", "border": "border", "seize": "seize",
                    "peace-agreement": "agreement"}


def main() -> None:
    yaml = YAML(typ="rt")
    data = yaml.load(CURATED.read_text(encoding="utf-8"))
    out: dict = {"schema": 1, "source": "en", "locales": ["en", "qtr"], "concepts": []}
    for concept in data["concepts"]:
        english = concept["terms"]["en"]
        rendered = []
        # A place with two names: each rendered name renders its English one.
        two_names = bool(concept.get("first_mention"))
        for term in english:
            item = rendering(str(term["text"]), str(term["status"]))
            if item is not None and all(item["text"] != r["text"] for r in rendered):
                if two_names and term["status"] in ("preferred", "admitted"):
                    item = {"text": item["text"], "status": item["status"], "for": str(term["text"]),
                            **{k: v for k, v in item.items() if k not in ("text", "status")}}
                rendered.append(item)
        if concept["id"] in SYNONYM_CONCEPTS:
            if concept["id"] == "peace-agreement":
                # "agreement" is the second word: deprecate the phrase with the common word.
                word = qtr.word_for(qtr.SYNONYM_KEYS["agreement"][1])
                pre = qtr.word_for("peace")
                rendered.append({"text": f"{pre} {word}", "status": "deprecated",
                                 "forms": [f"{pre} {qtr.inflect(word, pl, c)}" for pl in (False, True)
                                           for c in qtr.CASES if (pl, c) != (False, "nom")]})
            else:
                extra = synonym(SYNONYM_CONCEPTS[concept["id"]])
                if extra:
                    rendered.append(extra)
        if concept["id"] == "recapture":
            stem = qtr.word_for("liberate")
            rendered.append({"text": stem, "status": "forbidden", "forms": [stem + "ri", stem + "mo"]})
        entry = {k: concept[k] for k in concept if k not in ("terms", "first_mention")}
        entry["terms"] = {"en": [dict(t) for t in english], "qtr": rendered}
        out["concepts"].append(entry)
    sys.stdout.write("# Test glossary for the test language qtr (generated by tools/make_qtr_glossary.py\n"
                     "# from glossary/data/curated.yaml and tools/testlang_qtr.py; do not edit by hand).\n")
    dumper = YAML(typ="safe", pure=True)
    dumper.default_flow_style = False
    dumper.allow_unicode = True
    dumper.width = 100
    dumper.sort_base_mapping_type_on_output = False  # type: ignore[attr-defined]
    dumper.dump(_plain(out), sys.stdout)


def _plain(value: object) -> object:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


if __name__ == "__main__":
    main()
