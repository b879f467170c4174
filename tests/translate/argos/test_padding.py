"""Fixed padding: batches of one padded length, and the example that sets it."""

from __future__ import annotations

from translate.argos.padding import PAD_STEP, fixed_batches, pad_batch, padded_length


def test_lengths_round_up_to_the_step_and_stay_inside_the_positions() -> None:
    assert padded_length(1) == PAD_STEP
    assert padded_length(PAD_STEP) == PAD_STEP
    assert padded_length(PAD_STEP + 1) == 2 * PAD_STEP
    assert padded_length(250, positions=256) == 255


def test_batches_share_one_padded_length_and_one_prefix_length() -> None:
    sources = [["a"] * n for n in (3, PAD_STEP + 2, 5, PAD_STEP + 9, 7)]
    batches = fixed_batches(sources, [0, 0, 1, 0, 0], None, max_batch_size=32)
    keys = [{(padded_length(len(sources[k])), [0, 0, 1, 0, 0][k]) for k in batch} for batch in batches]
    assert all(len(key) == 1 for key in keys)
    assert sorted(k for batch in batches for k in batch) == list(range(5))
    assert all(len(b) == 1 for b in fixed_batches(sources, None, None, max_batch_size=1))


def test_the_extra_example_has_exactly_the_padded_length() -> None:
    sources = [["x", "y"], ["p", "q", "r"]]
    prefixes = [["t1"], ["t2"]]
    pad_batch(sources, prefixes, None)
    assert len(sources) == 3 and len(sources[-1]) == PAD_STEP
    assert set(sources[-1]) <= {"p", "q", "r"}  # made of the longest member's own tokens
    assert prefixes[-1] == ["t2"]
    full = [["w"] * PAD_STEP]
    pad_batch(full, None, None)
    assert full == [["w"] * PAD_STEP]  # already at its length: nothing added


def test_the_extra_scoring_example_has_both_padded_lengths() -> None:
    from translate.argos.padding import pad_score_batch

    sources = [["a"] * 3, ["b"] * 5]
    targets = [["x"] * (PAD_STEP + 1), ["y"] * 2]
    pad_score_batch(sources, targets, None)
    assert len(sources) == len(targets) == 3
    assert len(sources[-1]) == PAD_STEP and len(targets[-1]) == 2 * PAD_STEP
    full_sources, full_targets = [["a"] * PAD_STEP], [["x"] * PAD_STEP]
    pad_score_batch(full_sources, full_targets, None)
    assert len(full_sources) == 1  # both already at their lengths: nothing added
