"""What a CTranslate2 model folder holds: its vocabularies and its position limit."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from translate.errors import ModelError

# Tokens of the vocabulary that are never text.
SPECIAL_TOKENS = frozenset({"<unk>", "<s>", "</s>", "<pad>", "<blank>"})


def read_vocabulary(model_dir: Path, side: str = "target") -> list[str]:
    """The model's vocabulary for one side ("source" or "target"), in id order.

    CTranslate2 writes either one shared vocabulary or one per side, as JSON
    (a list of tokens) or as text (one token a line).
    """
    for stem in (f"{side}_vocabulary", "shared_vocabulary"):
        path = model_dir / f"{stem}.json"
        if path.is_file():
            try:
                tokens = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ModelError(f"cannot read {path}: {exc}") from exc
            if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
                raise ModelError(f"{path} is not a list of tokens")
            return tokens
        path = model_dir / f"{stem}.txt"
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8").split("\n")[:-1] or []
            except (OSError, ValueError) as exc:
                raise ModelError(f"cannot read {path}: {exc}") from exc
    raise ModelError(f"{model_dir} has no {side} vocabulary (shared_vocabulary.json or {side}_vocabulary.json)")


def max_positions(model_dir: Path) -> int | None:
    """The most positions the model's position encodings define, or None when unbounded.

    Learned (or stored sinusoidal) encodings end at a fixed length; a longer
    input makes CTranslate2 fail with "No position encodings are defined".
    Only the variable headers of model.bin are read, the weights are skipped.
    """
    path = model_dir / "model.bin"
    limits: list[int] = []
    try:
        with open(path, "rb") as f:
            def number(fmt: str) -> int:
                size = struct.calcsize(fmt)
                raw = f.read(size)
                if len(raw) != size:
                    raise EOFError
                return int(struct.unpack(fmt, raw)[0])

            def string() -> str:
                length = number("H")
                return f.read(length)[:-1].decode("utf-8", "replace")

            number("I")  # binary version
            string()  # spec name
            number("I")  # revision
            for _ in range(number("I")):
                name = string()
                rank = number("B")
                dims = [number("I") for _ in range(rank)]
                number("B")  # dtype
                size = number("I")
                if name.endswith("position_encodings/encodings") and dims:
                    limits.append(dims[0])
                f.seek(size, 1)
    except (OSError, EOFError, struct.error):
        return None  # not readable here: CTranslate2 will say what is wrong when loading
    return min(limits) if limits else None
