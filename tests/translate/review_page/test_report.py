"""The HTML review page: outcomes per occurrence, summary counts, escaping, and the CLI."""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import polib
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary import Glossary, load_glossary
from translate.cli.report import report_command
from translate.review_page.page import (
    OUTCOMES,
    Finding,
    Mark,
    ParagraphReport,
    ReportData,
    build_report,
    render_html,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "report"


def _load_maker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("report_make_catalog", DATA / "make_catalog.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


maker = _load_maker()

# Line 9's "Region Arzach" for Karabakh is one verdict (forbidden, naming its source), not two.
EXPECTED_COUNTS = {"settled": 22, "forced": 2, "substituted": 1, "unresolved": 4, "review": 3, "quoted": 3,
                   "waived": 0}


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(DATA / "glossary.yaml")


@pytest.fixture
def catalog(tmp_path: Path, glossary: Glossary) -> Path:
    path = tmp_path / "locales" / "de" / "LC_MESSAGES" / "nato-armenia-azerbaijan.po"
    written: Path = maker.write_catalog(path, glossary.digest)
    return written


@pytest.fixture
def data(catalog: Path, glossary: Glossary) -> ReportData:
    return build_report(catalog, glossary, "de")


@pytest.fixture
def page(data: ReportData) -> str:
    return render_html(data)


class _Tree(HTMLParser):
    """Every start tag with its attributes, the text, and the script bodies of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)


def _parse(page: str) -> _Tree:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    return tree


def _assert_inert(tree: _Tree) -> None:
    """Nothing in the page can run or load: one script (ours), no links, images or handlers."""
    names = [tag for tag, _ in tree.tags]
    assert names.count("script") == 1
    for forbidden in ("img", "a", "iframe", "object", "embed", "link", "form", "svg", "base"):
        assert forbidden not in names, forbidden
    for tag, attrs in tree.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in {"src", "href", "action", "srcset"}, (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)


def _marks(tree: _Tree) -> list[dict[str, str | None]]:
    return [a for t, a in tree.tags if t == "mark" and "tabindex" in a]


# --------------------------------------------------------------------------- report data


def test_counts_per_outcome(data: ReportData) -> None:
    assert data.counts == EXPECTED_COUNTS
    assert list(data.counts) == list(OUTCOMES)
    assert data.needs_editor == 5
    assert len(data.paragraphs) == 10


def test_paragraphs_in_document_order(data: ReportData) -> None:
    # The file lists line 9 before line 7: the report follows the #: references.
    assert [p.lines[0] for p in data.paragraphs] == [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]


def test_entry_states_and_needs_editor(data: ReportData) -> None:
    by_line = {p.lines[0]: p for p in data.paragraphs}
    assert [by_line[n].state for n in (1, 5, 15)] == ["reviewed", "fuzzy", "untranslated"]
    assert by_line[9].unresolved_flag and by_line[13].unresolved_flag
    assert by_line[13].flag_reasons == ("glossary 88101261ec4c: deprecated yerevan (Jerewan)",)
    needing = [n for n, p in by_line.items() if p.needs_editor]
    assert needing == [5, 7, 9, 13, 15]


def test_recorded_outcomes_pair_source_and_target(data: ReportData) -> None:
    line3 = data.paragraphs[1]
    forced = [(m.text, m.step) for m in line3.source_marks if m.outcome == "forced"]
    assert forced == [("seized", "force"), ("Karabakh", "force")]
    targets = {m.text: m.outcome for m in line3.target_marks}
    assert targets["Karabach"] == "forced" and targets["eingenommen"] == "forced"
    assert targets["Friedensabkommen"] == "settled"


def test_reviewed_entry_without_comments_is_checked_now(data: ReportData) -> None:
    line11 = data.paragraphs[5]
    assert line11.rechecked
    assert {f.outcome for f in line11.findings} == {"settled"}
    assert {f.step for f in line11.findings} == {"editor"}
    line13 = data.paragraphs[6]
    yerevan = next(f for f in line13.findings if f.concept == "yerevan")
    assert (yerevan.outcome, yerevan.found) == ("unresolved", "Jerewan")
    assert yerevan.reason.startswith("deprecated")
    assert [f.outcome for f in line13.findings if f.concept == "occupied"] == ["review"]


def test_wrong_rendering_names_the_source_it_mistranslates(data: ReportData) -> None:
    line9 = data.paragraphs[4]
    assert [f.concept for f in line9.findings].count("karabakh") == 0
    karabakh = next(f for f in line9.findings if f.concept == "artsakh")
    assert (karabakh.outcome, karabakh.source, karabakh.found) == ("unresolved", "Karabakh", "Arzach")
    assert karabakh.reason.startswith("forbidden")
    assert [m.outcome for m in line9.target_marks if m.text == "Arzach"] == ["unresolved"]


def test_quoted_term_in_reviewed_text(data: ReportData) -> None:
    line17 = data.paragraphs[8]
    assert [(f.concept, f.outcome, f.found) for f in line17.findings] == [
        ("karabakh", "settled", "Karabach"),
        ("artsakh", "quoted", "Arzach"),
    ]


def test_comments_of_an_edited_machine_text_are_ignored(tmp_path: Path, glossary: Glossary) -> None:
    path = tmp_path / "de" / "LC_MESSAGES" / "edited.po"
    path.parent.mkdir(parents=True)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "de"}
    old = "Gespräche in Jerewan."
    digest = hashlib.sha256(old.encode()).hexdigest()[:16]
    po.append(polib.POEntry(
        msgid="Talks in Yerevan.", msgstr="Gespräche in Eriwan.", flags=["fuzzy"],
        occurrences=[("edited.txt", "1")],
        comment="glossary: yerevan (Yerevan) unresolved [give-up] -> Jerewan; found 'Jerewan' (deprecated)\n"
                f"termguard:machine;glossary=sha256:{glossary.digest};msgstr={digest}",
    ))
    po.save(str(path))
    paragraph = build_report(path, glossary, "de").paragraphs[0]
    assert paragraph.rechecked
    assert [(f.outcome, f.step, f.found) for f in paragraph.findings] == [("settled", "editor", "Eriwan")]


# --------------------------------------------------------------------------- HTML


def test_every_outcome_has_a_highlight(page: str) -> None:
    marks = _marks(_parse(page))
    for outcome in (o for o in OUTCOMES if o != "waived"):  # waivers: test_cli_review / waiver tests
        hits = [m for m in marks if f"outcome-{outcome}" in (m.get("class") or "").split()]
        assert hits, outcome
        for mark in hits:
            assert "occ" in (mark["class"] or "").split()
            assert mark["data-outcome"] == outcome
            assert mark["tabindex"] == "0"
            assert mark["data-step"]
            assert mark["title"]


def test_summary_shows_counts_and_header_facts(page: str, data: ReportData, glossary: Glossary) -> None:
    tree = _parse(page)
    rows = [a["data-outcome"] for t, a in tree.tags if t == "tr" and "data-outcome" in a]
    assert rows == list(OUTCOMES)
    counts = dict(re.findall(r'<tr data-outcome="(\w+)">.*?<td class="n[^"]*">(\d+)</td>', page))
    assert {k: int(v) for k, v in counts.items()} == EXPECTED_COUNTS
    text = " ".join("".join(tree.text).split())
    assert "5 of 10 paragraphs" in text
    assert "German (de)" in text
    assert "en->de 1.9" in text
    assert f"sha256:{glossary.digest}" in text
    assert data.catalog_path in text


def test_page_is_self_contained(page: str) -> None:
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;; '
        "style-src &#x27;unsafe-inline&#x27;; script-src &#x27;unsafe-inline&#x27;\">"
    ) in page
    assert "http://" not in page and "https://" not in page
    assert "@media print" in page
    _assert_inert(_parse(page))


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">javascript:alert(1)</a>',
        '"attributed"',
        "& nothing",
    ],
    ids=["script", "img-onerror", "javascript-link", "double-quotes", "ampersand"],
)
def test_article_and_glossary_text_stays_text(page: str, hostile: str) -> None:
    tree = _parse(page)
    _assert_inert(tree)
    # Shown as text (the article paragraph or the occupied note), or inside a title attribute.
    titles = " ".join(a.get("title") or "" for _t, a in tree.tags)
    assert hostile in " ".join(tree.text) or hostile in titles


def test_glossary_note_with_markup_is_in_tooltip_and_title(page: str) -> None:
    tree = _parse(page)
    occupied = [m for m in _marks(tree) if m.get("data-concept") == "occupied"]
    assert occupied
    assert "<script>alert(1)</script>" in (occupied[0]["title"] or "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def _hostile_report(text: str) -> ReportData:
    finding = Finding(concept=text or "x", source=text, outcome="review", step=text, reason=text,
                      found=text, note=text, number=1)
    paragraph = ParagraphReport(
        lines=(1,), source=text, target=text, state="fuzzy", unresolved_flag=True,
        flag_reasons=(text,), findings=[finding],
        source_marks=[Mark(0, len(text), text, (finding,))] if text else [],
        target_marks=[Mark(0, len(text), text, (finding,))] if text else [],
    )
    return ReportData(
        locale="de", locale_name=text, source_locale="en", source_name=text, catalog_path=text,
        domain=text, catalog_glossary=text, glossary_digest=text, glossary_path=text,
        argos_package=text, revision_date=text, paragraphs=[paragraph],
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("<>\"'&/=:; abcjavscriptonerrorimg()\\\n`{}")), max_size=40))
def test_any_text_in_any_field_stays_inert(text: str) -> None:
    tree = _parse(render_html(_hostile_report(text)))
    _assert_inert(tree)
    assert [t for t, _ in tree.tags].count("mark") == (2 + 7 if text else 7)  # two highlights + legend


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def cli() -> click.Group:
    group = click.Group("termguard")
    group.add_command(report_command)
    return group


def _run(runner: CliRunner, cli: click.Group, *args: str) -> Any:
    return runner.invoke(cli, ["report", *args])


def test_cli_writes_the_page(runner: CliRunner, cli: click.Group, catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    result = _run(runner, cli, "--locale", "de", "--catalog-dir", str(tmp_path / "locales"),
                  "--glossary", str(DATA / "glossary.yaml"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{out}: 10 paragraphs, 5 need an editor")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    _assert_inert(_parse(page))


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--locale", "xx_QQ"), 2, "unknown locale"),
        (("--locale", "fr"), 2, "no catalog for locale 'fr'"),
        (("--locale", "de", "--domain", "other"), 2, "it has: nato-armenia-azerbaijan"),
    ],
    ids=["unknown-locale", "no-catalog", "unknown-domain"],
)
def test_cli_bad_input(runner: CliRunner, cli: click.Group, catalog: Path, tmp_path: Path,
                       args: tuple[str, ...], code: int, message: str) -> None:
    result = _run(runner, cli, *args, "--catalog-dir", str(tmp_path / "locales"),
                  "--glossary", str(DATA / "glossary.yaml"), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == code
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()


def test_cli_names_the_domains(runner: CliRunner, cli: click.Group, catalog: Path, tmp_path: Path) -> None:
    shutil.copy(catalog, catalog.with_name("second.po"))
    result = _run(runner, cli, "--locale", "de", "--catalog-dir", str(tmp_path / "locales"),
                  "--glossary", str(DATA / "glossary.yaml"), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 2
    assert "several domains (nato-armenia-azerbaijan, second); pick one with --domain" in result.output
    chosen = _run(runner, cli, "--locale", "de", "--domain", "second", "--catalog-dir",
                  str(tmp_path / "locales"), "--glossary", str(DATA / "glossary.yaml"),
                  "-o", str(tmp_path / "r.html"))
    assert chosen.exit_code == 0, chosen.output


@pytest.mark.parametrize(
    ("broken", "message"),
    [("catalog", "unterminated string"), ("glossary", "invalid glossary"), ("output", "cannot write")],
    ids=["catalog-parse-error", "glossary-invalid", "output-folder-missing"],
)
def test_cli_failures_exit_1(runner: CliRunner, cli: click.Group, catalog: Path, tmp_path: Path,
                             broken: str, message: str) -> None:
    glossary_path = DATA / "glossary.yaml"
    out = tmp_path / "r.html"
    if broken == "catalog":
        shutil.copy(DATA.parent / "catalog" / "unterminated-string.po", catalog)
    elif broken == "glossary":
        glossary_path = DATA.parent / "glossary" / "unknown_policy.yaml"
    else:
        out = tmp_path / "missing" / "r.html"
    result = _run(runner, cli, "--locale", "de", "--catalog-dir", str(tmp_path / "locales"),
                  "--glossary", str(glossary_path), "-o", str(out))
    # An invalid glossary is bad input (2) in every command; the others are failures.
    assert result.exit_code == (2 if broken == "glossary" else 1), result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
