"""Build an Argos-shaped translation package with random weights, in seconds.

The benchmark needs a model with the cost profile of a real Argos package
(OpenNMT-py Transformer base: 6+6 layers, d_model 512, 8 heads, ffn 2048, a
32k shared vocabulary, int8 weights) but no model can be downloaded here. The
weights do not matter for timing, so they are random numpy arrays written
through ``ctranslate2.specs``; the SentencePiece model is trained on the
sample article and the curated glossary's prose, then the model vocabulary is
padded with placeholder pieces up to the target size (SentencePiece cannot
reach 32k pieces on a few thousand words of text).

The EOS logit gets a large negative bias so every hypothesis decodes exactly
``max_decoding_length`` tokens: every decoding path in the benchmark then does
the same amount of work per sentence, whatever its beam, length penalty or
prefix, which is what makes the side-by-side ratios fair (a trained model
would stop at different points under different settings).

Run directly to build the package and print its path::

    python benchmarks/argos_shaped_model.py [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
CACHE = BENCH_DIR / ".cache"
ARTICLE = REPO / "samples" / "nato-armenia-azerbaijan.txt"
CURATED = REPO / "glossary" / "data" / "curated.yaml"
if str(REPO) not in sys.path:  # run as a script from anywhere: the repo's packages come first
    sys.path.insert(0, str(REPO))

# The benchmark's target language. It must be a locale Babel knows (glossary
# locales are validated through Babel) and one no curated locale uses, so the
# benchmark glossary is clearly synthetic. Interlingua it is.
TARGET_CODE = "ia"
# Bump when the build changes in a way that alters the package, so a cached
# package from an older recipe is never reused.
RECIPE_VERSION = 2


@dataclass(frozen=True)
class ModelShape:
    """Architecture of the random model."""

    encoder_layers: int
    decoder_layers: int
    d_model: int
    heads: int
    ffn: int
    vocab: int

    @property
    def key(self) -> str:
        raw = json.dumps({**asdict(self), "recipe": RECIPE_VERSION}, sort_keys=True)
        return hashlib.sha256(raw.encode()).hexdigest()[:12]


# What the design notes call Argos-shaped (an OpenNMT-py Transformer base).
FULL = ModelShape(encoder_layers=6, decoder_layers=6, d_model=512, heads=8, ffn=2048, vocab=32_000)
# The CI smoke version: same code paths, a fraction of the cost.
QUICK = ModelShape(encoder_layers=2, decoder_layers=2, d_model=256, heads=4, ffn=1024, vocab=4_000)


def training_text() -> list[str]:
    """English lines to train SentencePiece on: the article and the glossary's prose."""
    from glossary import load_glossary

    lines = [line for line in ARTICLE.read_text(encoding="utf-8").split("\n") if line.strip()]
    glossary = load_glossary(CURATED)
    for concept in glossary.concepts.values():
        lines.extend(part for part in (concept.definition, concept.note) if part)
        for renderings in concept.terms.values():
            lines.extend(r.text for r in renderings)
            lines.extend(f for r in renderings for f in r.forms)
    return lines


def train_sentencepiece(lines: Iterable[str], vocab_size: int) -> tuple[bytes, list[str]]:
    """A unigram model with as many pieces as the text supports (at most ``vocab_size``)."""
    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(list(lines)),
        model_writer=model,
        model_type="unigram",
        vocab_size=vocab_size,
        # A few thousand words cannot give 32k pieces; take what they give.
        hard_vocab_limit=False,
        character_coverage=1.0,
        # Same special-token layout as Argos' OpenNMT-py packages.
        unk_id=0,
        bos_id=1,
        eos_id=2,
        pad_id=-1,
        minloglevel=2,
    )
    data = model.getvalue()
    sp = sentencepiece.SentencePieceProcessor(model_proto=data)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    return data, pieces


def padded_vocabulary(pieces: list[str], size: int) -> list[str]:
    """SentencePiece pieces in id order, then placeholders up to ``size``."""
    if len(pieces) >= size:
        return pieces[:size]
    return pieces + [f"<bench_{i:05d}>" for i in range(size - len(pieces))]


def _fill_spec(spec: object, shape: ModelShape, vocab: int, eos_id: int, pieces: int,
               rng: np.random.Generator) -> None:
    """Set every weight of a ``TransformerSpec`` to a random array of the right shape."""
    d, ffn = shape.d_model, shape.ffn
    # Scaled like a trained model's (about 1/sqrt(fan_in)) so activations stay
    # finite through 12 layers and int8 quantisation has a sane range.
    std = 1.0 / np.sqrt(d)

    def mat(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols), dtype=np.float32) * std).astype(np.float32)

    def norm(layer: object) -> None:
        layer.gamma = np.ones(d, dtype=np.float32)  # type: ignore[attr-defined]
        layer.beta = np.zeros(d, dtype=np.float32)  # type: ignore[attr-defined]

    # One embedding matrix shared by encoder, decoder and output projection,
    # as in Argos packages (shared vocabulary, tied embeddings); ctranslate2
    # stores identical arrays once.
    embeddings = mat(vocab, d)
    encoder = spec.encoder  # type: ignore[attr-defined]
    decoder = spec.decoder  # type: ignore[attr-defined]
    encoder.embeddings[0].weight = embeddings
    decoder.embeddings.weight = embeddings
    decoder.projection.weight = embeddings
    bias = np.zeros(vocab, dtype=np.float32)
    bias[eos_id] = -1e4  # never stop early: every path decodes to the length limit
    # A trained model never emits pieces it never saw; keeping the output to
    # real SentencePiece pieces gives the glossary matchers real words to scan.
    bias[pieces:] = -1e4
    decoder.projection.bias = bias
    norm(encoder.layer_norm)
    norm(decoder.layer_norm)
    for layer in encoder.layer:
        norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = mat(3 * d, d)  # fused Q, K, V
        layer.self_attention.linear[1].weight = mat(d, d)
        norm(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = mat(ffn, d)
        layer.ffn.linear_1.weight = mat(d, ffn)
    for layer in decoder.layer:
        norm(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = mat(3 * d, d)
        layer.self_attention.linear[1].weight = mat(d, d)
        norm(layer.attention.layer_norm)
        layer.attention.linear[0].weight = mat(d, d)  # query
        layer.attention.linear[1].weight = mat(2 * d, d)  # fused K, V over the encoder output
        layer.attention.linear[2].weight = mat(d, d)
        norm(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = mat(ffn, d)
        layer.ffn.linear_1.weight = mat(d, ffn)


def build_ctranslate2_model(out_dir: Path, shape: ModelShape, vocabulary: list[str], pieces: int,
                            seed: int = 0) -> None:
    """Write an int8 CTranslate2 model with random weights into ``out_dir``."""
    from ctranslate2.specs import transformer_spec

    spec = transformer_spec.TransformerSpec.from_config(
        (shape.encoder_layers, shape.decoder_layers), shape.heads
    )
    _fill_spec(spec, shape, len(vocabulary), vocabulary.index("</s>"), pieces,
               np.random.default_rng(seed))
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    # What the converters do: alias identical arrays, quantise weights to int8.
    spec.optimize(quantization="int8")
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))


def build_package(shape: ModelShape, dest: Path, seed: int = 0) -> Path:
    """Build ``translate-en_<TARGET_CODE>-bench.argosmodel`` in ``dest`` and return its path."""
    sp_model, pieces = train_sentencepiece(training_text(), shape.vocab)
    vocabulary = padded_vocabulary(pieces, shape.vocab)
    top = f"translate-en_{TARGET_CODE}-bench"
    with tempfile.TemporaryDirectory(prefix="termguard-bench-") as tmp:
        root = Path(tmp) / top
        build_ctranslate2_model(root / "model", shape, vocabulary, len(pieces), seed)
        (root / "sentencepiece.model").write_bytes(sp_model)
        metadata = {
            "package_version": "0.0",
            "argos_version": "1.0",
            "from_code": "en",
            "from_name": "English",
            "to_code": TARGET_CODE,
            "to_name": "Interlingua (benchmark, random weights)",
            "type": "translate",
            "benchmark": {**asdict(shape), "sentencepiece_pieces": len(pieces), "seed": seed},
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / f"{top}-{shape.key}.argosmodel"
        partial = target.with_suffix(".partial")
        # Stored, not deflated: int8 weights barely compress and this keeps the build fast.
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
            for path in sorted(root.rglob("*")):
                archive.write(path, path.relative_to(Path(tmp)).as_posix())
        partial.replace(target)
    return target


def cached_package(shape: ModelShape, cache: Path = CACHE) -> Path:
    """The package for ``shape``, built once and then reused from the cache folder."""
    target = cache / f"translate-en_{TARGET_CODE}-bench-{shape.key}.argosmodel"
    if target.is_file():
        return target
    return build_package(shape, cache)


def install_package(package: Path, packages_dir: Path) -> Path:
    """Unpack a package into a packages folder (as Argos does); returns its folder."""
    with zipfile.ZipFile(package) as archive:
        top = archive.namelist()[0].split("/", 1)[0]
        with tempfile.TemporaryDirectory(dir=packages_dir.parent if packages_dir.parent.exists() else None) as tmp:
            archive.extractall(tmp)
            final = packages_dir / f"translate-en_{TARGET_CODE}"
            if final.exists():
                shutil.rmtree(final)
            packages_dir.mkdir(parents=True, exist_ok=True)
            shutil.move(str(Path(tmp) / top), final)
    return final


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the tiny CI smoke model")
    parser.add_argument("--force", action="store_true", help="rebuild even if cached")
    args = parser.parse_args()
    shape = QUICK if args.quick else FULL
    path = build_package(shape, CACHE) if args.force else cached_package(shape)
    print(path)


if __name__ == "__main__":
    main()
