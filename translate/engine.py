"""Batched CTranslate2 decoding over an installed Argos package.

Argos' own path decodes one paragraph per call and detokenises by replacing
``_`` with spaces; we decode every sentence of a document in one
``translate_batch`` call and detokenise with the package's SentencePiece model.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from translate.errors import ModelError

if TYPE_CHECKING:  # heavy imports stay out of start-up
    import ctranslate2
    import sentencepiece


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings; the defaults match Argos' own (beam 4)."""

    beam_size: int = 4
    num_hypotheses: int = 1
    max_decoding_length: int = 256
    length_penalty: float = 1.0
    return_attention: bool = False
    max_batch_size: int = 32  # examples per internal batch, sorted by length


@dataclass(frozen=True)
class Hypothesis:
    """One decoded candidate for one sentence."""

    text: str
    tokens: tuple[str, ...]
    score: float
    # attention[target_token][source_token], source tokens as in ``source_tokens``
    attention: tuple[tuple[float, ...], ...] | None = None
    source_tokens: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class Engine:
    """A loaded Argos package: CTranslate2 translator + SentencePiece model."""

    package_dir: Path
    inter_threads: int = 1
    intra_threads: int = 0
    compute_type: str = "auto"
    decode_calls: int = 0
    _translator: "ctranslate2.Translator | None" = None
    _sp: "sentencepiece.SentencePieceProcessor | None" = None
    _metadata: dict[str, Any] | None = None
    # Worker threads share one engine: the model must be loaded once, not per thread.
    _load_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            path = self.package_dir / "metadata.json"
            try:
                self._metadata = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ModelError(f"cannot read {path}: {exc}") from exc
        return self._metadata

    @property
    def target_prefix(self) -> list[str]:
        prefix = self.metadata.get("target_prefix") or ""
        return prefix.split() if prefix else []

    def load(self) -> None:
        """Load the model once; later calls are free."""
        if self._translator is not None:
            return
        with self._load_lock:
            if self._translator is None:
                self._load()

    def _load(self) -> None:
        import ctranslate2
        import sentencepiece

        model_dir = self.package_dir / "model"
        sp_path = self.package_dir / "sentencepiece.model"
        if not model_dir.is_dir() or not sp_path.is_file():
            raise ModelError(
                f"{self.package_dir} is not a CTranslate2 Argos package "
                "(needs model/ and sentencepiece.model)"
            )
        try:
            self._sp = sentencepiece.SentencePieceProcessor(model_file=str(sp_path))
            self._translator = ctranslate2.Translator(
                str(model_dir),
                device="cpu",
                compute_type=self.compute_type,
                inter_threads=self.inter_threads,
                intra_threads=self.intra_threads,
            )
        except (RuntimeError, OSError, ValueError) as exc:
            raise ModelError(f"cannot load model in {self.package_dir}: {exc}") from exc

    @property
    def sp(self) -> "sentencepiece.SentencePieceProcessor":
        self.load()
        assert self._sp is not None
        return self._sp

    @property
    def translator(self) -> "ctranslate2.Translator":
        self.load()
        assert self._translator is not None
        return self._translator

    def tokenize(self, text: str) -> list[str]:
        return list(self.sp.encode(text, out_type=str))

    def in_vocabulary(self, tokens: Sequence[str]) -> bool:
        """Whether every piece is one the model knows (not mapped to <unk>)."""
        unk = self.sp.unk_id()
        return all(self.sp.piece_to_id(t) != unk for t in tokens)

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """Character span in ``text`` of each token ``tokenize`` gives (for alignment)."""
        try:
            proto = self.sp.encode(text, return_type="proto")
        except TypeError:  # sentencepiece < 0.2.1
            proto = self.sp.encode(text, out_type="immutable_proto")
        spans = [(p.begin, p.end) for p in proto.pieces]
        # SentencePiece offsets count bytes of the normalised UTF-8 text.
        data = text.encode("utf-8")
        if len(data) != len(text):
            spans = [(len(data[:b].decode("utf-8", "ignore")), len(data[:e].decode("utf-8", "ignore")))
                     for b, e in spans]
        return spans

    def detokenize(self, tokens: Sequence[str]) -> str:
        return str(self.sp.decode_pieces(list(tokens)))

    def translate(
        self,
        sentences: Sequence[str],
        options: DecodeOptions = DecodeOptions(),
        *,
        prefixes: Sequence[Sequence[str] | None] | None = None,
        suppress: Sequence[Sequence[str]] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[list[Hypothesis]]:
        """Decode all sentences in one batched pass; n-best per sentence.

        ``prefixes`` are target-token prefixes per sentence (after the
        package's own target_prefix); ``suppress`` lists token sequences the
        decoder may not produce anywhere in the batch. ``progress`` is
        called with the number of sentences finished so far: results stream
        out of CTranslate2's own batching (sorted by length), so reporting
        progress costs no extra decode calls.
        """
        if not sentences:
            return []
        sources = [self.tokenize(s) for s in sentences]
        package_prefix = self.target_prefix
        target_prefix: list[list[str]] | None = None
        if package_prefix or prefixes:
            target_prefix = [
                package_prefix + list((prefixes[i] if prefixes else None) or [])
                for i in range(len(sources))
            ]
        kwargs: dict[str, Any] = dict(
            beam_size=max(options.beam_size, options.num_hypotheses),
            num_hypotheses=options.num_hypotheses,
            max_decoding_length=options.max_decoding_length,
            length_penalty=options.length_penalty,
            return_scores=True,
            return_attention=options.return_attention,
        )
        if suppress:
            kwargs["suppress_sequences"] = [list(s) for s in suppress]
        results = []
        for result in self.translator.translate_iterable(
            sources,
            target_prefix=target_prefix,
            max_batch_size=options.max_batch_size,
            **kwargs,
        ):
            results.append(result)
            if progress:
                progress(len(results))
        self.decode_calls += 1
        strip = len(package_prefix)
        out: list[list[Hypothesis]] = []
        for source, result in zip(sources, results):
            hyps: list[Hypothesis] = []
            for i, tokens in enumerate(result.hypotheses):
                tokens = tokens[strip:]
                attention = None
                if options.return_attention and result.attention:
                    attention = tuple(tuple(row) for row in result.attention[i][strip:])
                hyps.append(
                    Hypothesis(
                        text=self.detokenize(tokens),
                        tokens=tuple(tokens),
                        score=float(result.scores[i]) if result.scores else 0.0,
                        attention=attention,
                        source_tokens=tuple(source),
                    )
                )
            out.append(hyps)
        return out

    def score(self, sentences: Sequence[str], targets: Sequence[str]) -> list[float]:
        """Log-probability of given translations (used to re-rank candidates)."""
        sources = [self.tokenize(s) for s in sentences]
        target_tokens = [self.target_prefix + self.tokenize(t) for t in targets]
        results = self.translator.score_batch(sources, target_tokens)
        self.decode_calls += 1
        return [sum(r.log_probs) for r in results]
