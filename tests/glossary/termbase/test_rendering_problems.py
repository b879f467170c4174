"""Every problem of one rendering is reported with its message and line, whichever reader reads the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import GlossaryInvalid, Status
from glossary.termbase.load import load_glossary_text

SMALL = (Path(__file__).resolve().parents[2] / "data" / "glossary" / "small.yaml").read_text(encoding="utf-8")
# The preferred German rendering of 'karabakh' (line 19 of small.yaml), replaced by each case.
RENDERING = "        - text: Karabach\n          status: preferred\n          forms: [Karabachs]\n"

CASES = [
    pytest.param("        - text: Karabach\n          status: preferred\n          stem: ' '\n",
                 [(21, "'stem' of rendering 'Karabach' of concept 'karabakh', locale de is empty")],
                 id='stem-empty'),
    pytest.param('        - text: Karabach\n          status: preferred\n          stem_max: 2\n',
                 [(21, "'stem_max' in concept 'karabakh', locale de has no 'stem' to apply to")],
                 id='stem-max-without-stem'),
    pytest.param('        - text: Karabach\n          status: preferred\n          stem: Karabach\n          stem_max: true\n',
                 [(22, "'stem_max' in concept 'karabakh', locale de must be a positive integer, not True")],
                 id='stem-max-bool'),
    pytest.param('        - text: Karabach\n          status: preferred\n          note: "a\\x01b"\n',
                 [(21, "'note' of rendering 'Karabach' of concept 'karabakh', locale de holds the character U+0001, which TBX (XML) cannot carry")],
                 id='note-control-character'),
    pytest.param('        - text: Karabach\n          status: preferred\n          note: [a]\n',
                 [(21, "'note' of rendering 'Karabach' of concept 'karabakh', locale de must be text, not ['a']")],
                 id='note-not-text'),
    pytest.param('        - text: Karabach\n          status: preferred\n          forms: Karabachs\n',
                 [(21, "'forms' in concept 'karabakh', locale de must be a list")],
                 id='forms-not-a-list'),
    pytest.param("        - text: Karabach\n          status: preferred\n          forms: [Karabachs, '--']\n",
                 [(21, "form '--' in concept 'karabakh', locale de must be non-empty text")],
                 id='form-no-letters'),
    pytest.param("        - text: Karabach\n          status: preferred\n          forms: ['=Karabachs']\n",
                 [(21, "form '=Karabachs' in concept 'karabakh', locale de starts with '=', which a spreadsheet opening the CSV export would run as a formula")],
                 id='form-formula'),
    pytest.param("        - text: '+Karabach'\n          status: preferred\n",
                 [(19, "'text' of a rendering of concept 'karabakh', locale de starts with '+', which a spreadsheet opening the CSV export would run as a formula")],
                 id='text-formula'),
    pytest.param("        - text: '...'\n          status: preferred\n",
                 [(19, "rendering '...' of concept 'karabakh', locale de has no letters or digits")],
                 id='text-no-letters'),
    pytest.param('        - text: 12\n          status: preferred\n',
                 [(19, "'text' of a rendering of concept 'karabakh', locale de must be text, not 12")],
                 id='text-number'),
    pytest.param('        - text: Karabach\n          status: prefered\n',
                 [(20, "unknown status 'prefered' in rendering 'Karabach' of concept 'karabakh', locale de")],
                 id='status-unknown'),
    pytest.param('        - text: Karabach\n',
                 [(19, "rendering 'Karabach' of concept 'karabakh', locale de has no 'status'")],
                 id='status-missing'),
    pytest.param('        - text: Karabach\n          status: preferred\n          stemmax: 2\n',
                 [(21, "unknown key 'stemmax' in a rendering of concept 'karabakh', locale de")],
                 id='unknown-key'),
    pytest.param('        - Karabach\n',
                 [(19, "concept 'karabakh', locale de: a rendering must be a mapping with 'text' and 'status'")],
                 id='not-a-mapping'),
]


@pytest.mark.parametrize(("rendering", "expected"), CASES)
def test_a_rendering_problem_is_reported_with_its_line(rendering: str, expected: list[tuple[int, str]]) -> None:
    assert RENDERING in SMALL
    with pytest.raises(GlossaryInvalid) as caught:
        load_glossary_text(SMALL.replace(RENDERING, rendering), "g.yaml")
    # A concept with a bad rendering is left out, so 'artsakh' (use_instead: karabakh) names an unknown one.
    problems = [(p.line, p.message) for p in caught.value.problems if "'use_instead' of 'artsakh'" not in p.message]
    assert problems == expected


def test_a_padded_status_is_read_as_the_status() -> None:
    text = SMALL.replace(RENDERING, "        - text: Karabach\n          status: ' preferred '\n")
    rendering = load_glossary_text(text, "g.yaml").concepts["karabakh"].terms["de"][0]
    assert (rendering.text, rendering.status, rendering.forms, rendering.line) == ("Karabach", Status.PREFERRED, (), 19)
