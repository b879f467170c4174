"""End-to-end translation through the CLI with the real test model."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ARTICLE, DATA, REPO
from translate.cli import main

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Catalogs default to ./locales: keep every run out of the repository."""
    monkeypatch.chdir(tmp_path)


def cipher_words(text: str, lexicon: dict[str, str]) -> list[str]:
    """The test language's words for an English text, by the lexicon."""
    return [lexicon.get(w.lower(), "?" + w).lower() for w in WORD.findall(text)]


def word_accuracy(expected: list[str], got: list[str]) -> float:
    if not expected and not got:
        return 1.0
    right = sum(1 for a, b in zip(expected, got) if a == b)
    return right / max(len(expected), len(got), 1)


def test_heldout_sentences_decode_to_the_cipher(runner: CliRunner, test_model: Path,
                                                tmp_path: Path) -> None:
    rows = [r.split("\t") for r in (REPO / "tests/model/heldout.tsv").read_text("utf-8").splitlines()]
    rows = rows[:120]
    source = tmp_path / "heldout.txt"
    source.write_text("\n".join(en for en, _ in rows), encoding="utf-8")
    result = runner.invoke(main, ["translate", str(source), "--to", "qtc", "--no-glossary"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\n")
    assert len(lines) == len(rows)
    right = total = 0
    for (_, want), got in zip(rows, lines):
        expected = [w.lower() for w in WORD.findall(want)]
        produced = [w.lower() for w in WORD.findall(got)]
        right += sum(1 for a, b in zip(expected, produced) if a == b)
        total += max(len(expected), len(produced))
    assert right / total >= 0.90, f"word accuracy {right / total:.3f}"


def test_article_translates_completely_with_its_layout(runner: CliRunner, test_model: Path,
                                                       lexicon: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "article.qtc.txt"
    result = runner.invoke(main, ["translate", str(ARTICLE), "--to", "qtc", "--no-glossary",
                                  "-o", str(out)])
    assert result.exit_code == 0, result.output
    source = ARTICLE.read_text(encoding="utf-8")
    target = out.read_text(encoding="utf-8")
    src_lines, tgt_lines = source.split("\n"), target.split("\n")
    assert len(tgt_lines) == len(src_lines)
    assert not target.endswith("\n")  # like the source
    for src, tgt in zip(src_lines, tgt_lines):
        assert bool(src.strip()) == bool(tgt.strip())
        # every sentence present: same sentence-final punctuation count
        assert tgt.count(".") >= src.count(".") - 1
        assert word_accuracy(cipher_words(src, lexicon), [w.lower() for w in WORD.findall(tgt)]) >= 0.8, (src, tgt)
    expected = cipher_words(source, lexicon)
    assert word_accuracy(expected, [w.lower() for w in WORD.findall(target)]) >= 0.9
    # curly quotes survive
    assert "‘" in tgt_lines[0] and "’" in tgt_lines[0]


def test_missing_model_names_pair_installed_and_command(runner: CliRunner, test_model: Path) -> None:
    result = runner.invoke(main, ["translate", str(ARTICLE), "--to", "de"])
    assert result.exit_code == 1
    assert "en->de" in result.output
    assert "installed: en->qtc" in result.output
    assert "termguard models install en de" in result.output


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("latin1.txt", "not UTF-8 text"),
        ("binary.txt", "binary file"),
        ("empty.txt", "empty"),
        ("blank-lines.txt", "empty"),
        ("does-not-exist.txt", "no such file"),
    ],
    ids=["latin1", "binary", "empty", "only-blank-lines", "missing"],
)
def test_bad_input_is_one_line_exit_2(runner: CliRunner, test_model: Path, tmp_path: Path,
                                      name: str, message: str) -> None:
    out = tmp_path / "out.txt"
    result = runner.invoke(main, ["translate", str(DATA / "input" / name), "--to", "qtc", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_unknown_locale_is_refused(runner: CliRunner, test_model: Path) -> None:
    result = runner.invoke(main, ["translate", str(ARTICLE), "--to", "xx-nowhere"])
    assert result.exit_code == 2
    assert "--to" in result.output


def test_bom_and_crlf_input(runner: CliRunner, test_model: Path, lexicon: dict[str, str]) -> None:
    result = runner.invoke(main, ["translate", str(DATA / "input" / "bom-crlf.txt"), "--to", "qtc",
                                  "--no-glossary"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\n")
    assert lines[0].split()[0] == lexicon["armenia"].capitalize()
    assert "\ufeff" not in result.stdout and "\r" not in result.stdout


def test_help_imports_no_engine() -> None:
    code = (
        "import sys\n"
        "from translate.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('ctranslate2', 'sentencepiece', 'argostranslate') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert "HEAVY []" in out.stdout
    assert "translate" in out.stdout and "models" in out.stdout
