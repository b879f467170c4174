"""Write the review-page test catalog (catalog.json) with polib, for tests/test_report*.py."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
GLOSSARY = HERE / "glossary.yaml"
SPEC = HERE / "catalog.json"


def text_hash(text: str) -> str:
    """The catalog convention for the machine mark: sha256 of the msgstr, 16 hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def write_catalog(path: Path, glossary_digest: str, spec: Path = SPEC) -> Path:
    """Write the catalog described by ``spec`` to ``path`` (made with ``glossary_digest``)."""
    data = json.loads(spec.read_text(encoding="utf-8"))
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "nato-armenia-azerbaijan",
        "PO-Revision-Date": "2024-03-20 09:15+0000",
        "Language": "de",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Termguard-Argos-Package": data["argos_package"],
        "X-Termguard-Glossary": f"sha256:{glossary_digest}",
        "X-Termguard-Source": data["source"],
    }
    name = data["source"].split(";", 1)[0]
    for item in data["entries"]:
        comments = list(item["comments"])
        steps = [re.search(r"\[([a-z-]+)\]", c).group(1) for c in comments if c.startswith("glossary:")]
        if item.get("machine") and steps:
            # What a run records: one letter per occurrence (translate.catalogs.judging).
            codes = {"decode": "d", "ban": "b", "choose": "c", "force": "f", "substitute": "s",
                     "give-up": "g", "none": "n"}
            comments.append("termguard:steps=" + "".join(codes.get(s, "n") for s in steps))
        if item.get("machine"):
            comments.append(f"termguard:machine;glossary=sha256:{glossary_digest};msgstr={text_hash(item['msgstr'])}")
        flags = ["fuzzy"] if item["state"] == "fuzzy" else []
        if item.get("unresolved"):
            flags.append("termguard-unresolved")
        po.append(polib.POEntry(
            msgid=item["msgid"], msgstr=item["msgstr"], comment="\n".join(comments),
            occurrences=[(name, str(item["line"]))], flags=flags,
        ))
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return path
