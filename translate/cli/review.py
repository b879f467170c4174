"""Click commands of the glossary review workflow (added to `termguard glossary`).

propose / approve / reject / proposals / history / diff / impact. Thin: parse,
call `glossary.review.workflow`, `glossary.review.semantic_diff` or `translate.catalogs.impact`,
print. Library errors go up to translate.cli.errors, which reports them the
same in every command: exit 2 for bad input (unknown concept, locale, status or
proposal id, a proposal the glossary cannot take, an invalid glossary file),
exit 1 for failures (a lock held too long, a write that failed).
`impact` exits 1 when a reviewed translation now violates the glossary, so it
can gate an approval.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from glossary.errors import UnknownConcept
from glossary.termbase.load import default_glossary_path, load_glossary
from glossary.termbase.model import Status
from translate.cli.common import emit_json
from translate.cli.errors import Command
from translate.errors import InputError

if TYPE_CHECKING:
    from glossary.edit.records import RenderingChange
    from glossary.review.history import HistoryEvent
    from glossary.review.proposals import Proposal
    from glossary.review.workflow import GlossaryReview
    from glossary.termbase.model import Glossary

# The workflow, the edit engine and the semantic diff are imported inside the
# commands: the rest of the CLI starts without them.

__all__ = ["review_commands"]

DEFAULT_CATALOG_DIR = "locales"


def _review(glossary_path: Path | None) -> GlossaryReview:
    """The review workflow of a glossary that loads: a missing or invalid one is
    reported like in every other command (GlossaryInvalid, exit 2)."""
    from glossary.review.workflow import GlossaryReview

    load_glossary(glossary_path)  # first: an empty or folder path is reported, not a traceback
    return GlossaryReview(glossary_path)


def _glossary_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--glossary",
        "glossary_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Glossary YAML file (default: the curated glossary). Proposals and history live next to it.",
    )(func)


def _json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(func)


def _by_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--by", default=None, metavar="NAME", help="Who acts (default: your user name).")(func)


def _changes(changes: tuple[RenderingChange, ...] | list[RenderingChange]) -> None:
    for change in changes:
        click.echo(f"  {change.describe()}")


def _proposal_line(proposal: Proposal) -> str:
    if proposal.edits:
        return (f"{proposal.id} [{proposal.state}] import from {proposal.source or '?'}: "
                f"{len(proposal.edits)} change(s) — by {proposal.by}, {proposal.when}")
    forms = f" (forms: {', '.join(proposal.forms)})" if proposal.forms else ""
    return (
        f"{proposal.id} [{proposal.state}] {proposal.concept}/{proposal.locale}: "
        f"{proposal.text!r} -> {proposal.status}{forms} — by {proposal.by}, {proposal.when}"
    )


# --------------------------------------------------------------------------- commands


@click.command("propose", cls=Command)
@click.argument("concept")
@click.option("--locale", "locale", required=True, help="Locale of the rendering, e.g. de or pt_BR.")
@click.option("--rendering", "text", required=True, help="The rendering, as written in running text.")
@click.option("--status", required=True, type=click.Choice([s.value for s in Status], case_sensitive=False),
              help="The status it should have.")
@click.option("--reason", required=True, help="Why the rule should change (recorded in the history).")
@click.option("--form", "forms", multiple=True, metavar="FORM",
              help="An inflected form that also counts (repeat for several).")
@_by_option
@_glossary_option
@_json_option
def propose_command(concept: str, locale: str, text: str, status: str, reason: str, forms: tuple[str, ...],
                    by: str | None, glossary_path: Path | None, as_json: bool) -> None:
    """Propose that CONCEPT's rendering in a locale get a status; an editor approves it later.

    \b
    Examples:
      termguard glossary propose karabakh --locale de --rendering Bergkarabach --status preferred --reason "Duden"
    """
    review = _review(glossary_path)
    proposal, plan = review.propose(concept, locale, text, status, reason, by=by, forms=forms)
    if as_json:
        emit_json({"proposal": proposal.to_dict(), "changes": [c.to_dict() for c in plan.changes]})
        return
    click.echo(f"{proposal.id} proposed by {proposal.by} at {proposal.when}; approving it would change:")
    _changes(plan.changes)
    # The hint repeats the options given, so it can be copied as it is.
    given = f" --glossary {shlex.quote(str(glossary_path))}" if glossary_path is not None else ""
    click.echo(f"Check it first: termguard glossary impact --proposal {proposal.id}{given}")


@click.command("approve", cls=Command)
@click.argument("proposal_id", metavar="ID")
@click.option("--reason", default="", help="Why it is approved (recorded with the proposal's own reason).")
@_by_option
@_glossary_option
@_json_option
def approve_command(proposal_id: str, reason: str, by: str | None, glossary_path: Path | None,
                    as_json: bool) -> None:
    """Apply proposal ID to the glossary file and record who approved it, when and why.

    \b
    Examples:
      termguard glossary approve P1 --by "A. Editor" --reason "agreed at the desk"
    """
    review = _review(glossary_path)
    proposal, event = review.approve(proposal_id, by=by, reason=reason)
    if as_json:
        emit_json({"proposal": proposal.to_dict(), "event": event.to_dict()})
        return
    click.echo(f"{proposal.id} approved by {proposal.decided_by} at {proposal.decided_when}; "
               f"{review.glossary_path} now says:")
    _changes(event.changes)
    for edit in event.edits:
        if edit.get("field") != "renderings":  # those are the lines above, one per rendering
            click.echo(f"  {edit.get('description', '')}")


@click.command("reject", cls=Command)
@click.argument("proposal_id", metavar="ID")
@click.option("--reason", required=True, help="Why it is rejected (recorded in the history).")
@_by_option
@_glossary_option
@_json_option
def reject_command(proposal_id: str, reason: str, by: str | None, glossary_path: Path | None,
                   as_json: bool) -> None:
    """Close proposal ID without changing the glossary.

    \b
    Examples:
      termguard glossary reject P2 --by "A. Editor" --reason "not our style"
    """
    review = _review(glossary_path)
    proposal = review.reject(proposal_id, reason, by=by)
    if as_json:
        emit_json(proposal.to_dict())
        return
    click.echo(f"{proposal.id} rejected by {proposal.decided_by} at {proposal.decided_when}: {reason}")


@click.command("proposals", cls=Command)
@click.option("--all", "show_all", is_flag=True, help="Also list approved and rejected proposals.")
@_glossary_option
@_json_option
def proposals_command(show_all: bool, glossary_path: Path | None, as_json: bool) -> None:
    """List open proposals (with --all, every proposal).

    \b
    Examples:
      termguard glossary proposals
      termguard glossary proposals --all --json
    """
    review = _review(glossary_path)
    found = review.proposals(None if show_all else "open")
    if as_json:
        emit_json([p.to_dict() for p in found])
        return
    if not found:
        click.echo("no open proposals" if not show_all else "no proposals")
        return
    for proposal in found:
        click.echo(_proposal_line(proposal))
        if proposal.edits:
            for line in proposal.changes:
                click.echo(f"    {line}")
        click.echo(f"    why: {proposal.reason}")
        if proposal.decided_by:
            click.echo(f"    {proposal.state} by {proposal.decided_by}, {proposal.decided_when}"
                       + (f": {proposal.decision_reason}" if proposal.decision_reason else ""))


def _history_lines(event: HistoryEvent) -> list[str]:
    lines = [f"{event.when}  {event.by}  {event.summary()}"]
    from glossary.review.history import APPROVED

    if event.event == APPROVED:
        lines.append(f"    why: {event.proposal_reason} (proposed by {event.proposed_by}, {event.proposed_when})")
        if event.reason:
            lines.append(f"    approval note: {event.reason}")
    else:
        lines.append(f"    why: {event.reason}")
    return lines


@click.command("history", cls=Command)
@click.argument("concept", required=False)
@_glossary_option
@_json_option
def history_command(concept: str | None, glossary_path: Path | None, as_json: bool) -> None:
    """Who changed which rule, when and why (only CONCEPT's if given); newest last.

    \b
    Examples:
      termguard glossary history
      termguard glossary history karabakh --json
    """
    review = _review(glossary_path)
    known = load_glossary(review.glossary_path).concepts  # a missing glossary is an error, not "no changes"
    if concept is not None:
        # A concept that was removed still has a history; only refuse unknown ids.
        if concept not in known and not any(e.concerns(concept) for e in review.history()):
            raise UnknownConcept(f"no concept {concept!r} in the glossary or its history")
    events = review.history(concept)
    if as_json:
        emit_json([e.to_dict() for e in events])
        return
    if not events:
        click.echo("no recorded changes" + (f" for {concept}" if concept else ""))
        return
    for event in events:
        for line in _history_lines(event):
            click.echo(line)


def _glossary_from(spec: str, working: Path) -> tuple[Glossary, str]:
    """A glossary from an existing file, or from git revision `spec` of the working file."""
    from glossary.review.semantic_diff import glossary_at_revision

    candidate = Path(spec)
    if candidate.is_file():
        return load_glossary(candidate), str(candidate)
    return glossary_at_revision(spec, working), f"{spec}:{working}"


@click.command("diff", cls=Command)
@click.argument("old", metavar="REV|OLD.yaml")
@click.argument("new", metavar="[PATH|NEW.yaml]", required=False)
@_glossary_option
@_json_option
def diff_command(old: str, new: str | None, glossary_path: Path | None, as_json: bool) -> None:
    """What changed in the glossary: concepts and renderings added, removed, re-rated.

    `diff REV` compares the glossary at git revision REV with the working file;
    `diff REV PATH` does so for the glossary file PATH; `diff OLD.yaml NEW.yaml`
    compares two files.

    \b
    Examples:
      termguard glossary diff HEAD~1
      termguard glossary diff old.yaml new.yaml --json
    """
    from glossary.review.errors import ReviewInputError
    from glossary.review.semantic_diff import diff_glossaries

    if new is not None and Path(old).is_file():
        if not Path(new).is_file():
            raise ReviewInputError(f"no glossary file {new}")
        before, old_label = load_glossary(Path(old)), old
        after, new_label = load_glossary(Path(new)), new
    else:
        working = Path(new) if new is not None else (glossary_path or default_glossary_path())
        before, old_label = _glossary_from(old, working)
        after, new_label = load_glossary(working), str(working)
    entries = diff_glossaries(before, after)
    if as_json:
        emit_json({"old": old_label, "new": new_label, "changes": [e.to_dict() for e in entries]})
        return
    click.echo(f"--- {old_label}\n+++ {new_label}")
    if not entries:
        click.echo("no differences")
    for entry in entries:
        click.echo(entry.describe())


def _impact_text(report: Any) -> None:
    click.echo(f"baseline: {report.baseline or 'none (full audit: every error in a reviewed entry counts)'}")
    for change in report.changes:
        click.echo(f"  {change.describe()}")
    if report.baseline is not None and not report.touched:
        click.echo("the change touches nothing the checks look at; no entry can break")
        return
    for locale in report.locales:
        click.echo(f"{locale.locale}: {len(locale.entries)} of {locale.checked} translated entries affected, "
                   f"{len(locale.broken)} reviewed entr{'y' if len(locale.broken) == 1 else 'ies'} broken")
        for entry in locale.entries:
            label = "BROKEN  " if entry.breaks else ("reviewed" if entry.reviewed else "fuzzy   ")
            concepts = ", ".join(entry.concepts)
            click.echo(f"  {label} {entry.where}  {entry.excerpt!r}" + (f"  [{concepts}]" if concepts else ""))
            for violation in entry.new_violations:
                found = f" {violation.found!r}" if violation.found else ""
                hint = f": {violation.hint}" if violation.hint else ""
                click.echo(f"      now {violation.kind}{found} ({violation.concept}){hint}")
            for violation in entry.resolved:
                click.echo(f"      no longer {violation.kind} ({violation.concept})")
    for catalog, why in report.skipped:
        click.echo(f"skipped {catalog}: {why}")
    broken = len(report.broken)
    click.echo(f"{broken} reviewed entr{'y' if broken == 1 else 'ies'} now violate{'s' if broken == 1 else ''} the glossary"
               if broken else "no reviewed entry breaks")


@click.command("impact", cls=Command)
@click.option("--catalog-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_CATALOG_DIR,
              show_default=True, help="Folder holding <locale>/LC_MESSAGES/<domain>.po.")
@click.option("--proposal", "proposal_id", default=None, metavar="ID",
              help="Check an open proposal, applied in memory, against the current glossary.")
@click.option("--before", "before_spec", default=None, metavar="REV|FILE",
              help="Compare with this git revision or glossary file (default: HEAD, if the file is in git).")
@_glossary_option
@_json_option
def impact_command(catalog_dir: Path, proposal_id: str | None, before_spec: str | None,
                   glossary_path: Path | None, as_json: bool) -> None:
    """Which catalog entries a glossary change affects, and which reviewed ones it breaks.

    Exit 0 when no reviewed entry breaks, 1 when one does, 2 for bad input.

    \b
    Examples:
      termguard glossary impact --proposal P1
      termguard glossary impact --before HEAD~1 --json
    """
    from glossary.review.semantic_diff import RevisionError, glossary_at_revision
    from translate.catalogs.impact import (  # reads catalogs: only when asked
        ImpactError,
        glossary_impact,
    )

    if proposal_id is not None and before_spec is not None:
        raise InputError("--proposal compares with the current glossary; drop --before")
    review = _review(glossary_path)
    working = review.glossary_path
    if not catalog_dir.is_dir():
        raise ImpactError(f"no catalog folder {catalog_dir}; pass --catalog-dir DIR")
    before: Glossary | None
    if proposal_id is not None:
        proposal, plan = review.preview(proposal_id)
        before, after = plan.before, plan.after
        baseline: str | None = f"{working} without open proposal {proposal.id}"
    else:
        after = load_glossary(working)
        if before_spec is not None:
            before, baseline = _glossary_from(before_spec, working)
        else:
            try:
                before, baseline = glossary_at_revision("HEAD", working), f"HEAD:{working}"
            except RevisionError:
                before, baseline = None, None  # not in git: audit everything
    report = glossary_impact(after, catalog_dir, before, baseline=baseline)
    if as_json:
        emit_json(report.to_dict())
    else:
        _impact_text(report)
    if report.broken:
        click.get_current_context().exit(1)


review_commands: list[click.Command] = [
    propose_command,
    approve_command,
    reject_command,
    proposals_command,
    history_command,
    diff_command,
    impact_command,
]
