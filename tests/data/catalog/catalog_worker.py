"""Child process for tests/translate/catalogs/test_catalog.py: runs catalog update sessions until told or killed.

usage: catalog_worker.py REPO MODE CATALOG [ARG]

  pause   write one big catalog, but stop inside the atomic write (after the
          temporary file is complete, before the rename) and wait to be killed
  loop    rewrite a big catalog again and again, printing "COMMITTED <n>"
  mark    mark_violation(ARG) on the catalog, holding the session a while
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO, MODE, CATALOG = sys.argv[1], sys.argv[2], Path(sys.argv[3])
sys.path.insert(0, REPO)

from translate.catalogs.header import HeaderInfo  # noqa: E402
from translate.catalogs.session import CatalogUpdate  # noqa: E402
from translate.run.document import MachineTranslation, SourceDocument  # noqa: E402

HEADER = HeaderInfo(argos_package="en->qtc 1.0")
PARAGRAPHS = 3000


def document(generation: int) -> SourceDocument:
    lines = [
        f"Paragraph {i} of generation {generation}: talks in Yerevan and Baku " + "go on " * 12
        for i in range(PARAGRAPHS)
    ]
    return SourceDocument.from_text("big.txt", "\n\n".join(lines))


def write(generation: int) -> None:
    doc = document(generation)
    with CatalogUpdate.open(CATALOG, locale="qtc", domain="big", header=HEADER) as cat:
        need = cat.needs_translation(doc, "d" * 64)
        cat.apply(doc, {p: MachineTranslation(p.upper()) for p in need}, "d" * 64)


if MODE == "pause":
    real_fsync = os.fsync

    def stalled_fsync(fd: int) -> None:
        real_fsync(fd)
        print("WRITING", flush=True)
        time.sleep(600)

    os.fsync = stalled_fsync
    write(int(sys.argv[4]))
elif MODE == "loop":
    generation = int(sys.argv[4])
    while True:
        generation += 1
        write(generation)
        print(f"COMMITTED {generation}", flush=True)
elif MODE == "mark":
    with CatalogUpdate.open(CATALOG, locale="qtc", domain="small", header=HEADER) as cat:
        time.sleep(0.2)  # widen the read-modify-write window a lost update needs
        cat.mark_violation(sys.argv[4], f"violation in {sys.argv[4]}")
else:
    raise SystemExit(f"unknown mode {MODE!r}")
