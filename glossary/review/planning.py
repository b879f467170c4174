"""Planning a change: apply it to the glossary file in memory and prove the result loads.

Nothing is written here; the workflow (`glossary.review.workflow`) writes a
plan's bytes once the editor decides.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from glossary.edit.apply import apply_edits
from glossary.edit.plan import expand_edits, rendering_edit
from glossary.edit.records import Change, RenderingChange, rendering_changes
from glossary.edit.store import GlossaryFile
from glossary.errors import GlossaryInvalid, UnknownLocale
from glossary.review.errors import InvalidStatus, MissingField, NothingToChange, ProposalInvalid
from glossary.review.proposals import Proposal
from glossary.termbase.cache import code_digest, read_entry, write_entry
from glossary.termbase.load import load_glossary_data
from glossary.termbase.locales import normalize_locale
from glossary.termbase.model import Glossary, Status

__all__ = ["Plan", "clean", "plan_edits", "plan_proposal", "plan_rendering"]


@dataclass(frozen=True)
class Plan:
    """What applying a proposal to the current glossary file gives.

    `before` and `after` are the validated glossaries, `text_before` and
    `text_after` the file's text; `changes` lists every rendering touched, the
    requested change first.
    """

    before: Glossary
    after: Glossary
    text_before: str
    text_after: str
    changes: tuple[RenderingChange, ...]
    edits: tuple[Change, ...] = ()  # the records the applier wrote
    data_after: bytes = b""  # the file's bytes after (its line endings and BOM kept)


def clean(value: str) -> str:
    """`value` with its runs of white space made single spaces, stripped."""
    return " ".join(str(value).split())


def _parse_status(value: str) -> Status:
    try:
        return Status(clean(value).lower())
    except ValueError:
        choices = " | ".join(s.value for s in Status)
        raise InvalidStatus(f"unknown status {value!r}; use one of: {choices}") from None


def _check_clash(after: Glossary, concept_id: str, locale: str, text: str) -> None:
    """Refuse a rendering whose words another rendering gives the opposite verdict.

    The loader refuses a text that is both preferred and forbidden; a form
    shared by an acceptable and an unacceptable rendering is the same
    contradiction one level down (`Karabachs` forbidden while it is a form of
    the preferred `Karabach`), and the checks could not tell which applies.
    """
    renderings = after.renderings(concept_id, locale)
    mine = next((r for r in renderings if r.text.casefold() == text.casefold()), None)
    if mine is None:
        return
    surfaces = {s.casefold(): s for s in mine.surfaces}
    for other in renderings:
        if other is mine or other.status.acceptable == mine.status.acceptable:
            continue
        shared = sorted(surfaces[s.casefold()] for s in other.surfaces if s.casefold() in surfaces)
        if shared:
            raise ProposalInvalid(
                f"{concept_id}/{locale}: {', '.join(repr(s) for s in shared)} would be "
                f"{mine.status.value} (as {mine.text!r}) and {other.status.value} (as {other.text!r}) "
                "at once; change the status of the existing rendering instead, or drop the form"
            )


def plan_rendering(path: Path, current: GlossaryFile, concept: str, locale: str, text: str,
                   status: str | Status, forms: tuple[str, ...] | list[str]) -> Plan:
    """A rendering's change applied to `current` (the file at `path`) and checked.

    Raises UnknownConcept, UnknownLocale, InvalidStatus, MissingField,
    NothingToChange or ProposalInvalid.
    """
    before = current.glossary
    wanted = status if isinstance(status, Status) else _parse_status(status)
    locale = normalize_locale(locale)
    if locale not in before.locales:
        raise UnknownLocale(
            f"the glossary does not list locale {locale!r} (it lists {', '.join(before.locales)}); "
            "add it to 'locales' first"
        )
    before.concept(concept)  # UnknownConcept, with a hint
    text = clean(text)
    if not text or not any(c.isalnum() for c in text):
        raise MissingField("the rendering text is empty; give the term as written in running text")
    cleaned_forms = tuple(dict.fromkeys(clean(f) for f in forms if clean(f)))
    change = rendering_edit(before, concept, locale, text, wanted, cleaned_forms)
    if change.old == change.new:
        raise NothingToChange(
            f"{concept}/{locale}: {text!r} is already {wanted.value}"
            + (" with those forms" if cleaned_forms else "")
        )
    plan = _apply(path, current, [change], first=text,
                  refusal=f"{concept}/{locale}: with {text!r} as {wanted.value} the glossary would not load")
    _check_clash(plan.after, concept, locale, text)
    return plan


def _apply(path: Path, current: GlossaryFile, edits: Sequence[Change], *, first: str | None = None,
           refusal: str = "with these changes the glossary would not load") -> Plan:
    described = tuple(c for edit in edits for c in rendering_changes(edit, first=first))
    key = _plan_key(current, edits)
    text = _planned_text(key)
    if text is not None:
        # `propose` made this plan on these very bytes: `approve` takes its result
        # instead of parsing, editing and dumping the file again.
        data = current.encode(text)
        with contextlib.suppress(GlossaryInvalid):  # cannot happen for a kept plan; then plan anew
            return Plan(current.glossary, load_glossary_data(data, str(path)), current.text, text, described,
                        tuple(edits), data)
    try:
        applied = apply_edits(current.text, str(path), edits, encode=current.encode, before=current.glossary)
    except GlossaryInvalid as error:
        raise ProposalInvalid(refusal, error.problems) from None
    _keep_plan(key, applied.text)
    return Plan(current.glossary, applied.glossary, current.text, applied.text, described,
                tuple(edits), current.encode(applied.text))


# --------------------------------------------------------------------------- the plan cache
# The applier is a pure function of the file's bytes and the edit records (and
# of its own code), so its result is kept by a key of all three, next to the
# parsed-glossary cache. Any problem with it is a miss: the plan is made again.


def _edit_code() -> str:
    global _EDIT_CODE
    if _EDIT_CODE is None:
        import glossary.edit

        _EDIT_CODE = code_digest(sorted(Path(glossary.edit.__file__).parent.glob("*.py")))
    return _EDIT_CODE


_EDIT_CODE: str | None = None


def _plan_key(current: GlossaryFile, edits: Sequence[Change]) -> str:
    records = json.dumps([e.to_json() for e in edits], sort_keys=True, ensure_ascii=False, default=str)
    text = "\0".join((_edit_code(), current.glossary.digest, records))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _planned_text(key: str) -> str | None:
    data = read_entry(f"plans/{key}.yaml")
    try:
        return data.decode("utf-8") if data is not None else None
    except UnicodeDecodeError:
        return None


def _keep_plan(key: str, text: str) -> None:
    write_entry(f"plans/{key}.yaml", text.encode("utf-8"))


def plan_edits(path: Path, current: GlossaryFile, edits: Sequence[Change]) -> Plan:
    """An import's records applied to the file as it is now (ApplyConflict if they no longer fit)."""
    expanded = expand_edits(current.glossary, edits, str(path))
    if not expanded:
        raise NothingToChange("the import changes nothing")
    return _apply(path, current, expanded)


def plan_proposal(path: Path, current: GlossaryFile, proposal: Proposal) -> Plan:
    """What approving `proposal` does to `current`, an import's records or a rendering's change."""
    if proposal.edits:
        return plan_edits(path, current, proposal.edits)
    return plan_rendering(path, current, proposal.concept, proposal.locale, proposal.text, proposal.status,
                          proposal.forms)
