"""Issue 14's goals as benchmarks/desk.py reads them: which part measures which goal, its figures and targets.

Each FIGURES function takes the part's runs (desk.py's records: "side" and the
script's own JSON under "results") and returns rows
{"figure", "before", "after", "target", "met"}; "met" is None where the issue
sets no target (figures shown for what they tell).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

GOALS = {
    "goal1": "Catalog work linear in the document",
    "goal2": "Glossary edits parse once",
    "goal3": "The ladder near one decode",
    "goal4": "Batching across documents",
    "goal5": "Bounded memory",
    "goal6": "Checks at scale",
    "variants": "The four decoding variants, --help and re-run (benchmarks/run.py)",
}
# Parts in the order they run, and the goals each one measures.
PARTS = {
    "catalog": ("goal1", "goal6"),
    "edits": ("goal2",),
    "ladder": ("goal3",),
    "batching": ("goal4",),
    "memory": ("goal5",),
    "variants": ("variants",),
}

Row = dict[str, Any]


def row(figure: str, before: Any, after: Any, target: str = "", met: bool | None = None) -> Row:
    return {"figure": figure, "before": before, "after": after, "target": target, "met": met}


def at_most(figure: str, before: float | None, after: float | None, limit: float, unit: str = "") -> Row:
    return row(figure, before, after, f"<= {limit:g}{unit}", None if after is None else after <= limit)


def side(runs: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The JSON of the run that measured side `name` ("old", "new"; a "both" run holds either)."""
    for run in runs:
        if run["side"] in (name, "both") and run.get("results") is not None:
            return dict(run["results"])
    return {}


def catalog(cases: tuple[tuple[str, str, float], ...]) -> Callable[[list[dict[str, Any]]], list[Row]]:
    def figures(runs: list[dict[str, Any]]) -> list[Row]:
        results = side(runs, "both")
        return [at_most(label, results[case]["old_median"], results[case]["new_median"], limit, " s")
                for case, label, limit in cases if case in results]
    return figures


goal1 = catalog((("edit-440-of-1000", "440 of 1,000 paragraphs edited, catalog session (s)", 2.0),
                 ("rerun-20000", "no-change re-run, 20,000 paragraphs (s)", 1.0)))
goal6 = catalog((("recheck-1000", "re-check 1,000 reviewed entries (s)", 0.5),))


def goal2(runs: list[dict[str, Any]]) -> list[Row]:
    out = []
    for size, data in side(runs, "both")["sizes"].items():
        concepts, _, edits = size.partition("+")
        name = "curated" if concepts == "curated" else f"{concepts} concepts"
        if edits:
            name += f", {int(edits):,} earlier edits"
        # The targets are by glossary size, with no earlier edits.
        limit = None if edits else 0.3 if size == "curated" else 2.0 if size == "2000" else None
        for step in ("propose", "approve", "import", "lint-cold", "lint-edit"):
            before, after = data["old"][step], data["new"][step]
            label = f"{name}: {step} (s)"
            if step in ("propose", "approve", "import") and limit is not None:
                out.append(at_most(label, before, after, limit, " s"))
            elif step == "lint-cold" and size == "2000":
                out.append(at_most(label, before, after, 1.0, " s"))
            else:
                out.append(row(label, before, after))
        for part, seconds in (data.get("new_lint_parts") or {}).items():
            out.append(row(f"{name}: lint-cold part, {part} (s)", None, seconds))
    return out


def goal3(runs: list[dict[str, Any]]) -> list[Row]:
    old, new = side(runs, "old").get("decode", {}), side(runs, "new")["decode"]
    out = []
    for key, after in new.items():
        before = old.get(key, {})
        limit = 1.3 if key.endswith("/article") else 1.6
        out.append(at_most(f"{key} d/b", before.get("d_over_b"), after["d_over_b"], limit))
        resolved_before = before.get("resolved")
        out.append(row(f"{key} resolved of {after['occurrences']}", resolved_before, after["resolved"],
                       ">= before", None if resolved_before is None else after["resolved"] >= resolved_before))
        out.append(row(f"{key} decode calls", before.get("decode_calls"), after["decode_calls"]))
    return out


def goal4(runs: list[dict[str, Any]]) -> list[Row]:
    results = side(runs, "both")
    jobs = sorted({key.split("/")[2] for key in results if key.startswith("new/many/")})
    out = []
    for job in jobs:
        ratio = {s: results[f"{s}/one/jobs1"]["s"] / results[f"{s}/many/{job}"]["s"]
                 for s in ("old", "new") if f"{s}/many/{job}" in results}
        label = f"{results['documents']} documents / one, throughput, --jobs {job[4:]}"
        if job == "jobs1":
            out.append(row(label, ratio.get("old"), ratio["new"], ">= 0.9", ratio["new"] >= 0.9))
        else:
            out.append(row(label, ratio.get("old"), ratio["new"]))
    for key in ("one/jobs1", *(f"many/{job}" for job in jobs)):
        out.append(row(f"{key.replace('/', ', ')}: paragraphs/s ({results['paragraphs']} paragraphs)",
                       results.get(f"old/{key}", {}).get("paragraphs_per_s"), results[f"new/{key}"]["paragraphs_per_s"]))
    return out


def goal5(runs: list[dict[str, Any]]) -> list[Row]:
    old, new = side(runs, "old").get("memory", {}), side(runs, "new")["memory"]
    old_rows = {r["paragraphs"]: r for r in old.get("rows", [])}
    out = []
    for after in new["rows"]:
        n = after["paragraphs"]
        before = old_rows.get(n, {})
        for kind in ("glossary", "no_glossary"):
            label = f"{n:,} paragraphs, {kind.replace('_', ' ')}: peak MiB"
            if kind == "glossary" and n >= 20000:
                out.append(at_most(label, before.get(f"{kind}_mib"), after[f"{kind}_mib"], 1536, " MiB"))
            else:
                out.append(row(label, before.get(f"{kind}_mib"), after[f"{kind}_mib"]))
    spans = {s: f"{d['rows'][0]['paragraphs']:,}-{d['rows'][-1]['paragraphs']:,}" for s, d in (("old", old),
                                                                                                 ("new", new)) if d}
    label = "growth with glossary, MiB per paragraph (" + " / ".join(spans.values()) + ")"
    out.append(at_most(label, old.get("glossary_mib_per_paragraph"), new["glossary_mib_per_paragraph"], 0.05))
    out.append(row("growth without glossary, MiB per paragraph", old.get("no_glossary_mib_per_paragraph"),
                   new["no_glossary_mib_per_paragraph"]))
    return out


def variants(runs: list[dict[str, Any]]) -> list[Row]:
    old, new = side(runs, "old"), side(runs, "new")
    out = []
    sections = (("decoding", "benchmark model"), ("decoding_test_model", "qtc"), ("decoding_qtr_model", "qtr"))
    targets = {"c_over_b": 1.05, "d_over_b": 1.3}
    for section, model in sections:
        for text, data in (new.get(section) or {}).items():
            before = ((old.get(section) or {}).get(text) or {}).get("ratios", {})
            for ratio in ("c_over_b", "d_over_b", "a_over_c"):
                label = f"{model}, {text}: {ratio.replace('_over_', '/')}"
                value = data["ratios"][ratio]
                if section == "decoding" and text == "article" and ratio in targets:
                    out.append(at_most(label, before.get(ratio), value, targets[ratio]))
                elif section == "decoding" and text == "article":
                    out.append(row(label, before.get(ratio), value, ">= 2", value >= 2))
                else:
                    out.append(row(label, before.get(ratio), value))
    for variant, peak in new["memory"]["per_variant_peak_mib"].items():
        label = f"benchmark model, article: peak MiB of {variant.split('_')[0]} alone"
        out.append(row(label, old.get("memory", {}).get("per_variant_peak_mib", {}).get(variant), peak))
    old_rows = {r["paragraphs"]: r for r in old.get("matching", {}).get("rows", [])}
    for data in new["matching"]["rows"]:
        label = f"matching {data['paragraphs']:,} paragraphs x {new['matching']['concepts']:,} concepts (s)"
        before = old_rows.get(data["paragraphs"], {}).get("seconds")
        if data["factor"] == 1 and data["paragraphs"] >= 10_000:
            out.append(at_most(label, before, data["seconds"], 2.0, " s"))
        else:
            out.append(row(label, before, data["seconds"]))
    for key, label, limit in (("help_s", "termguard --help, whole process (s)", 0.3),
                              ("rerun_s", "re-run with catalogs, whole process (s)", 0.5)):
        out.append(at_most(label, old.get("processes", {}).get(key), new["processes"][key], limit, " s"))
    return out


FIGURES: dict[str, Callable[[list[dict[str, Any]]], list[Row]]] = {
    "goal1": goal1, "goal2": goal2, "goal3": goal3, "goal4": goal4, "goal5": goal5, "goal6": goal6,
    "variants": variants,
}
