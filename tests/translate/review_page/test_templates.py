"""The review page's templates: shipped as package data, autoescaped, strict, fed plain data."""

from __future__ import annotations

import ast
import dataclasses
import re
import tomllib
from fnmatch import fnmatch
from importlib.resources import files
from pathlib import Path

import jinja2
import polib
import pytest

from glossary import load_glossary
from translate.review_page import render
from translate.review_page.page import Finding, Mark, ParagraphReport, ReportData, build_report, render_html

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parents[2] / "data" / "report"
SCRIPT = "<script>alert(1)</script>"
TEMPLATE = "{{ 7*7 }}{% include 'style.css' %}{# x #}"


def _hostile_page(tmp_path: Path) -> str:
    """A page through the real path: a catalog and a glossary note both holding markup and template syntax."""
    glossary = load_glossary(DATA / "glossary.yaml")
    concept = glossary.concepts["karabakh"]
    glossary = dataclasses.replace(glossary, concepts={
        **glossary.concepts, "karabakh": dataclasses.replace(concept, note=f"{SCRIPT} {TEMPLATE}"),
    })
    path = tmp_path / "de" / "LC_MESSAGES" / "evil.po"
    path.parent.mkdir(parents=True)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    po.append(polib.POEntry(msgid=f"Karabakh {SCRIPT} {TEMPLATE} talks.",
                            msgstr=f"Karabach {SCRIPT} {TEMPLATE} Gespräche.", occurrences=[("evil.txt", "1")]))
    po.save(str(path))
    return render_html(build_report(path, glossary, "de"))


def test_markup_and_template_syntax_in_texts_are_shown_literally(tmp_path: Path) -> None:
    page = _hostile_page(tmp_path)
    escaped_script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert SCRIPT not in page
    assert page.count("<script>") == 1  # the page's own filter script
    # In the source and the translation paragraph, the tooltip, the title and the printed note.
    assert page.count(escaped_script) >= 4
    # Template syntax in the data is text, never evaluated: no 49, the style sheet is in the page once.
    assert page.count("{{ 7*7 }}") >= 4
    assert not re.search(r"(?<![0-9a-f])49(?![0-9a-f])", page)  # a digest may hold "49"
    assert page.count("{% include &#39;style.css&#39; %}") >= 4
    assert page.count("@media print") == 1
    assert "{# x #}" in page


def _one_mark_report(text: str, start: int, end: int, note: str = "") -> ReportData:
    finding = Finding(concept="c", source=text[start:end], outcome="review", step="decode", note=note, number=1)
    paragraph = ParagraphReport(lines=(1,), source=text, target="", state="fuzzy", unresolved_flag=False,
                                findings=[finding], source_marks=[Mark(start, end, text[start:end], (finding,))])
    return ReportData(
        locale="de", locale_name="German", source_locale="en", source_name="a", catalog_path="a.po",
        domain="a", catalog_glossary="", glossary_digest="", glossary_path="", argos_package="",
        revision_date="", paragraphs=[paragraph],
    )


def test_a_highlight_is_escaped_exactly_once() -> None:
    text = "Tom & <i>Jerry</i> & more"
    page = render_html(_one_mark_report(text, 0, 18))
    # The marked run, then its tooltip; the rest of the paragraph after the print reference.
    assert '>Tom &amp; &lt;i&gt;Jerry&lt;/i&gt;<span class="tip"' in page
    assert '<sup class="ref" aria-hidden="true">1</sup> &amp; more</p>' in page
    assert "&amp;amp;" not in page and "&amp;lt;" not in page
    assert "<i>" not in page


def test_bidi_controls_are_visible_in_marks_tooltips_and_titles() -> None:
    text = "Kara\u202ebakh talks"
    page = render_html(_one_mark_report(text, 0, 9, note="see \u2066this\u2069"))
    assert "\u202e" not in page and "\u2066" not in page and "\u2069" not in page
    assert ">Kara&lt;U+202E&gt;bakh<span" in page
    assert 'title="c: review [decode]\nsource: Kara&lt;U+202E&gt;bakh\nnote: see &lt;U+2066&gt;this&lt;U+2069&gt;"' in page


def test_highlights_reach_the_template_as_plain_text_segments() -> None:
    text = "one <b>two</b> three"
    finding = Finding(concept="c", source="two", outcome="settled", step="decode", number=3)
    cut = render.segments(text, [Mark(4, 14, text[4:14], (finding,))], "p1s")
    assert [s.text for s in cut] == ["one ", "<b>two</b>", " three"]
    assert [s.mark is None for s in cut] == [True, False, True]
    assert all(type(s.text) is str for s in cut)  # not Markup: the template escapes them
    assert cut[1].mark is not None and cut[1].mark.refs == "3" and cut[1].mark.tip_id == "p1s-0"


def test_a_missing_variable_fails_instead_of_printing_nothing() -> None:
    template = render._environment().from_string("<p>{{ data.nothing_here }}</p>")
    with pytest.raises(jinja2.UndefinedError):
        template.render(data={})


def _template_names() -> list[str]:
    folder = files("translate.review_page") / "templates"
    return sorted(entry.name for entry in folder.iterdir() if entry.is_file() and not entry.name.endswith(".py"))


def test_templates_are_package_data_a_wheel_carries() -> None:
    names = _template_names()
    for name in ("page.html.j2", "summary.html.j2", "paragraph.html.j2", "highlight.html.j2", "style.css",
                 "script.js"):
        assert name in names
        assert (files("translate.review_page") / "templates" / name).read_text(encoding="utf-8").strip()
    # Every file of the folder matches a package-data pattern, so none is left out of a wheel.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["translate.review_page.templates"]
    assert "jinja2" in " ".join(config["project"]["dependencies"]).lower()
    for name in names:
        assert any(fnmatch(name, pattern) for pattern in patterns), name


def test_no_html_is_built_in_python_strings() -> None:
    """The page's markup lives in the templates: no string literal of its Python code holds a tag."""
    tag = re.compile(r"</?[a-z][a-z0-9]*(\s[^<>]*)?/?>")
    modules = sorted((ROOT / "translate" / "review_page").glob("**/*.py"))
    assert modules
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not tag.search(node.value), (module.name, node.value[:80])
