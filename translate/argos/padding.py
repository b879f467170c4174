"""Fixed padding: batches whose results do not depend on what else is in them.

Padding a batch to its longest sentence changes the int8 model's scores
(measured up to 0.07) and with them beam search on close calls: of the
held-out, article and term-dense sentences of both test models (872), 6 n-best
lists and 2 best hypotheses differed from the sentence decoded alone. Under
fixed padding every sentence is padded to a length fixed by its own (its
source length rounded up to a multiple of PAD_STEP), so a sentence gives the
same result alone as in a document: none of the 872 differed, and no score.
Sentences of one rounded length (and one prefix length) share batches; a batch
whose longest sentence falls short of that length gets one more example of
exactly that length, whose result the caller drops.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["PAD_STEP", "fixed_batches", "pad_batch", "pad_score_batch", "padded_length"]

# Source lengths are rounded up to a multiple of this: wider means fewer,
# larger batches and more padding per sentence.
PAD_STEP = 16


def padded_length(length: int, positions: int | None = None) -> int:
    """The length a source of ``length`` tokens is padded to under fixed padding."""
    rounded = -(-length // PAD_STEP) * PAD_STEP
    return min(rounded, positions - 1) if positions is not None else rounded


def fixed_batches(sources: Sequence[Sequence[str]], prefix_lengths: Sequence[int] | None,
                  positions: int | None, max_batch_size: int) -> list[list[int]]:
    """Indexes of ``sources`` in batches of one padded length and one prefix length."""
    buckets: dict[tuple[int, int], list[int]] = {}
    for k, source in enumerate(sources):
        key = (padded_length(len(source), positions), prefix_lengths[k] if prefix_lengths else 0)
        buckets.setdefault(key, []).append(k)
    size = max(max_batch_size, 1)
    return [group[b : b + size] for group in buckets.values() for b in range(0, len(group), size)]


def pad_batch(sources: list[list[str]], prefixes: list[list[str]] | None, positions: int | None) -> None:
    """Append, in place, the example that sets the batch's padded length, if one is needed.

    Results come back one per example, so the caller drops the extra one (it
    zips results with its own indexes).
    """
    longest = max(range(len(sources)), key=lambda b: len(sources[b]))
    length = padded_length(len(sources[longest]), positions)
    if len(sources[longest]) < length:
        sources.append(_ruler(sources[longest], length))
        if prefixes is not None:
            prefixes.append(prefixes[longest])


def pad_score_batch(sources: list[list[str]], targets: list[list[str]], positions: int | None) -> None:
    """``pad_batch`` for scoring: the extra example sets the padded source and target lengths.

    Scoring batches share one padded source length and one padded target
    length (``fixed_batches`` with the targets' padded lengths as the prefix
    lengths), so one example with both at exactly those lengths fixes the shapes.
    """
    source = max(range(len(sources)), key=lambda b: len(sources[b]))
    target = max(range(len(targets)), key=lambda b: len(targets[b]))
    source_length = padded_length(len(sources[source]), positions)
    target_length = padded_length(len(targets[target]), positions)
    if len(sources[source]) < source_length or len(targets[target]) < target_length:
        sources.append(_ruler(sources[source], source_length))
        targets.append(_ruler(targets[target], target_length))


def _ruler(tokens: Sequence[str], length: int) -> list[str]:
    """An example of exactly ``length`` tokens, made of a batch member's own (so it decodes like a sentence)."""
    return [tokens[k % len(tokens)] for k in range(length)]
