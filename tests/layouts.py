"""Stand-ins for every package layout of the real Argos index, built in seconds.

Tiny random weights (through ``ctranslate2.specs``) in the real shapes:
folder names, file names, metadata and zip layout as the real packages have
them (see issue notes in tests/test_layouts.py). The output projection is
biased towards the glossary's *forbidden* rendering, written the way the
model's own target side writes it, so an unenforced decode shows it and only
a working ban removes it; forcing then has to write the preferred one.
"""

from __future__ import annotations

import collections
import io
import itertools
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "samples" / "nato-armenia-azerbaijan.txt"
POSITIONS = 256  # learned position encodings, as OpenNMT-py models have
D_MODEL = 32
SPECIALS = ["<unk>", "<s>", "</s>"]

# The rendering the glossary forbids and the one it prefers, per target language.
FORBIDDEN = "Arzach"
PREFERRED = "Karabach"


@dataclass(frozen=True)
class Layout:
    name: str
    to_code: str
    top: str  # the zip's top folder
    tokenizer: str  # joint, source-only, bpe
    target_prefix: str = ""
    extra: tuple[str, ...] = ()  # stanza, minisbd
    folder_entries: bool = True
    compact_metadata: bool = False
    version: str = "1.9"
    from_code: str = "en"
    favour: str = FORBIDDEN  # what the random model is biased to write


LAYOUTS = [
    Layout("bare-1.0-stanza", "de", "en_de", "joint", extra=("stanza",), version="1.0"),
    Layout("argos-train-joint", "tr", "translate-en_tr-1_5", "joint", version="1.5"),
    Layout("opus-mt-source-only", "fr", "translate-en_fr-1_9", "source-only", folder_entries=False,
           compact_metadata=True),
    Layout("opus-mt-bpe", "es", "translate-en_es-1_9", "bpe", folder_entries=False, compact_metadata=True),
    Layout("target-prefix", "it", "translate-en_it-1_9", "joint", target_prefix="ita_Latn"),
    Layout("minisbd", "ru", "translate-en_ru-1_9", "joint", extra=("minisbd",)),
]
# Into English, for translation through English (de->en->fr).
INTO_ENGLISH = Layout("argos-train-into-english", "en", "translate-de_en-1_9", "joint", from_code="de",
                      favour="Karabakh")


def english_lines() -> list[str]:
    return [line for line in ARTICLE.read_text(encoding="utf-8").split("\n") if line.strip()]


def target_lines(code: str) -> list[str]:
    # Invented target text: the two renderings often (so a subword model keeps
    # them whole, as a real one keeps frequent words) and filler words.
    rng = np.random.default_rng(len(code))
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    filler = ["".join(rng.choice(syllables, int(rng.integers(2, 5)))) for _ in range(400)]
    lines = []
    for _ in range(400):
        words = list(rng.choice(filler, 8)) + [FORBIDDEN, PREFERRED, FORBIDDEN.lower()]
        rng.shuffle(words)
        lines.append(" ".join(words) + ".")
    return lines


def _sentencepiece(lines: list[str], vocab_size: int) -> tuple[bytes, list[str]]:
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, model_type="unigram", vocab_size=vocab_size,
        hard_vocab_limit=False, character_coverage=1.0, unk_id=0, bos_id=1, eos_id=2, pad_id=-1,
        minloglevel=2,
    )
    data = model.getvalue()
    sp = sentencepiece.SentencePieceProcessor(model_proto=data)
    return data, [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _learn_bpe(words: collections.Counter[str], merges: int) -> list[tuple[str, str]]:
    """subword-nmt's algorithm in brief: merge the most frequent pair, again and again."""
    vocab = {tuple(w[:-1]) + (w[-1] + "</w>",): n for w, n in words.items() if w}
    out: list[tuple[str, str]] = []
    for _ in range(merges):
        pairs: collections.Counter[tuple[str, str]] = collections.Counter()
        for symbols, n in vocab.items():
            for a, b in itertools.pairwise(symbols):
                pairs[(a, b)] += n
        if not pairs:
            break
        best = max(pairs, key=lambda p: (pairs[p], p))
        out.append(best)
        merged = {}
        for symbols, n in vocab.items():
            new: list[str] = []
            i = 0
            while i < len(symbols):
                if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == best:
                    new.append(symbols[i] + symbols[i + 1])
                    i += 2
                else:
                    new.append(symbols[i])
                    i += 1
            merged[tuple(new)] = n
        vocab = merged
    return out


def _model(out_dir: Path, vocabulary: list[str], favoured: list[str], bpe: bool, language_token: str = "",
           seed: int = 0) -> None:
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    d, ffn, v = D_MODEL, 64, len(vocabulary)
    spec = transformer_spec.TransformerSpec.from_config((1, 1), 2)

    def mat(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(np.float32)

    def norm(layer: object) -> None:
        layer.gamma = np.ones(d, dtype=np.float32)  # type: ignore[attr-defined]
        layer.beta = np.zeros(d, dtype=np.float32)  # type: ignore[attr-defined]

    embeddings = mat(v, d)
    if language_token:
        # A trained NLLB model goes on writing after its language token; a random
        # one would stop there, so the token reads like a word of the text.
        embeddings[vocabulary.index(language_token)] = embeddings[vocabulary.index(favoured[0])]
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings
    spec.decoder.projection.weight = embeddings
    positions = mat(POSITIONS, d)
    spec.encoder.position_encodings.encodings = positions
    spec.decoder.position_encodings.encodings = positions
    bias = np.zeros(v, dtype=np.float32)
    for i, piece in enumerate(vocabulary):
        # Whole words, as a trained model writes them: a word-start piece
        # (SentencePiece) or a word-final one (BPE).
        if (not bpe and piece.startswith("\u2581")) or (bpe and piece not in SPECIALS
                                                         and not piece.endswith("@@")):
            bias[i] = 2.0
    for piece in favoured:
        bias[vocabulary.index(piece)] = 6.0
    bias[vocabulary.index("</s>")] = 4.5  # stop after a few tokens
    spec.decoder.projection.bias = bias
    norm(spec.encoder.layer_norm)
    norm(spec.decoder.layer_norm)
    for layer in list(spec.encoder.layer) + list(spec.decoder.layer):
        norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = mat(3 * d, d)
        layer.self_attention.linear[1].weight = mat(d, d)
        norm(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = mat(ffn, d)
        layer.ffn.linear_1.weight = mat(d, ffn)
    for layer in spec.decoder.layer:
        norm(layer.attention.layer_norm)
        layer.attention.linear[0].weight = mat(d, d)
        layer.attention.linear[1].weight = mat(2 * d, d)
        layer.attention.linear[2].weight = mat(d, d)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization="int8")
    spec.save(str(out_dir))


def build(layout: Layout, dest: Path) -> Path:
    """Write ``<top>.argosmodel`` for a layout into ``dest``; returns its path."""
    import sentencepiece

    files: dict[str, bytes] = {}
    english, target = english_lines(), target_lines(layout.to_code)
    if layout.to_code == "en":  # into English: the target side must know the glossary's English term
        target = target + [f"{layout.favour} talks." for _ in range(200)]
    if layout.tokenizer == "joint":
        sp_data, pieces = _sentencepiece(english + target, 1500)
        vocabulary = pieces + ([layout.target_prefix] if layout.target_prefix else [])
        sp = sentencepiece.SentencePieceProcessor(model_proto=sp_data)
        favoured = sp.encode(layout.favour, out_type=str)
        files["sentencepiece.model"] = sp_data
    elif layout.tokenizer == "source-only":
        # OPUS-MT: the package keeps the source model; the vocabulary joins both sides.
        sp_data, source_pieces = _sentencepiece(english, 1200)
        target_data, target_pieces = _sentencepiece(target, 400)
        vocabulary = source_pieces + [p for p in target_pieces if p not in set(source_pieces)]
        target_sp = sentencepiece.SentencePieceProcessor(model_proto=target_data)
        favoured = target_sp.encode(layout.favour, out_type=str)
        files["sentencepiece.model"] = sp_data
    else:  # bpe: subword-nmt codes over Moses tokens of both sides
        from sacremoses import MosesTokenizer

        counts: collections.Counter[str] = collections.Counter()
        for line in english:
            counts.update(MosesTokenizer("en").tokenize(line, escape=True))
        for line in target:
            counts.update(MosesTokenizer(layout.to_code).tokenize(line, escape=True))
        merges = _learn_bpe(counts, 600)
        codes = "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges)
        files["bpe.model"] = codes.encode("utf-8")
        from argostranslate.apply_bpe import BPE

        bpe = BPE(io.StringIO(codes))
        pieces = sorted({p for word in counts for p in bpe.segment_tokens([word])})
        vocabulary = SPECIALS + pieces
        favoured = bpe.segment_tokens([layout.favour])
    top = layout.top
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        _model(Path(tmp), vocabulary, favoured, bpe=layout.tokenizer == "bpe", language_token=layout.target_prefix)
        for path in sorted(Path(tmp).iterdir()):
            files[f"model/{path.name}"] = path.read_bytes()
    metadata: dict[str, object] = {
        "package_version": layout.version, "argos_version": layout.version,
        "from_code": layout.from_code, "to_code": layout.to_code,
    }
    if not layout.compact_metadata:
        metadata.update({"from_name": "English", "to_name": layout.to_code, "type": "translate",
                         "description": f"stand-in of the {layout.name} layout (random weights)"})
    if layout.target_prefix:
        metadata["target_prefix"] = layout.target_prefix
    indent = None if layout.compact_metadata else 4
    files["metadata.json"] = json.dumps(metadata, indent=indent).encode("utf-8")
    if not layout.compact_metadata:
        files["README.md"] = f"# {layout.name}\nRandom weights, for tests.\n".encode()
    if "stanza" in layout.extra:
        files["stanza/en/tokenize/combined.pt"] = b"\0" * 64
        files["stanza/resources.json"] = b"{}"
    if "minisbd" in layout.extra:
        files[f"minisbd/{layout.to_code}.onnx"] = b"\0" * 64
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / f"{re.sub(r'^translate-', '', top)}.argosmodel"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        folders = sorted({f"{top}/" + "/".join(name.split("/")[:i]) + "/"
                          for name in files for i in range(1, name.count("/") + 1)} | {f"{top}/"})
        if layout.folder_entries:
            for folder in folders:
                archive.writestr(folder, b"")
        for name in sorted(files):
            archive.writestr(f"{top}/{name}", files[name])
    return path


GLOSSARY = """\
schema: 1
source: en
locales: [en, de, tr, fr, es, it, ru]
concepts:
- id: karabakh
  subject: region
  policy: enforce
  quotation: exempt
  definition: The region.
  note: Our name for the region.
  terms:
    en:
    - text: Karabakh
      status: preferred
{terms}
"""


def glossary_text() -> str:
    terms = "".join(
        f"    {code}:\n    - text: {PREFERRED}\n      status: preferred\n"
        f"    - text: {FORBIDDEN}\n      status: forbidden\n"
        for code in ("de", "tr", "fr", "es", "it", "ru")
    )
    return GLOSSARY.format(terms=terms.rstrip("\n"))
