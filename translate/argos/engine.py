"""Batched CTranslate2 decoding over an installed Argos package, of any real layout.

Argos' own path decodes one paragraph per call; we decode every sentence of a
document in one ``translate_iterable`` pass. Decoding settings are Argos'
(length penalty 0.2, unknown tokens replaced by the aligned source token,
beam and device from ``ARGOS_*`` / settings.json). The package's tokeniser is
``sentencepiece.model`` or ``bpe.model`` (translate.argos.tokenizers); target
text is written in the model's own target vocabulary when that tokeniser
covers only the source side (OPUS-MT conversions).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate.argos.padding import fixed_batches, pad_batch, pad_score_batch, padded_length
from translate.errors import ModelError, PackageFileError

if TYPE_CHECKING:  # heavy imports stay out of start-up
    import ctranslate2

    from translate.argos.settings import ArgosSettings
    from translate.argos.tokenizers import TargetSegmenter, Tokenizer

# Share of the target vocabulary the package tokeniser must know to be taken
# as covering the target side (argos-train joint models: all of it; OPUS-MT
# source-only models: about half).
TARGET_COVERAGE = 0.9


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings; the defaults are Argos' own."""

    beam_size: int = 4
    num_hypotheses: int = 1
    max_decoding_length: int = 256
    min_decoding_length: int = 0  # tokens before the end may come, the forced prefix included
    length_penalty: float = 0.2
    replace_unknowns: bool = True  # an <unk> becomes the source token it attends to most
    return_attention: bool = False
    max_batch_size: int = 32  # examples per internal batch, sorted by length

    @classmethod
    def from_settings(cls, settings: ArgosSettings | None = None, **overrides: Any) -> DecodeOptions:
        """Options from ARGOS_BEAM_SIZE / ARGOS_BATCH_SIZE (env, then settings.json); None overrides are ignored."""
        if settings is None:
            from translate.argos.settings import load_settings

            settings = load_settings()
        base = cls(beam_size=settings.beam_size, max_batch_size=settings.batch_size)
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})


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
    """A loaded Argos package: CTranslate2 translator + the package's tokeniser."""

    package_dir: Path
    inter_threads: int = 1
    intra_threads: int = 0
    compute_type: str = "auto"
    device: str = "cpu"  # cpu, cuda or auto
    decode_calls: int = 0
    _translator: ctranslate2.Translator | None = None
    _tokenizer: Tokenizer | None = None
    _segmenter: TargetSegmenter | None = None
    _target_vocab: frozenset[str] = frozenset()
    _covers_target: bool = True
    _positions: int | None = None
    _metadata: dict[str, Any] | None = None
    # Worker threads share one engine: the model must be loaded once, not per thread.
    _load_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def metadata(self) -> dict[str, Any]:
        if self._metadata is None:
            from translate.argos.packages import read_metadata

            try:
                self._metadata = read_metadata(self.package_dir)
            except PackageFileError as exc:
                raise ModelError(f"{self.package_dir}: {exc}") from None
        return self._metadata

    @property
    def source_language(self) -> str:
        return str(self.metadata["from_code"])

    @property
    def target_language(self) -> str:
        return str(self.metadata["to_code"])

    @property
    def target_prefix(self) -> list[str]:
        prefix = self.metadata.get("target_prefix") or ""
        return prefix.split() if isinstance(prefix, str) else []

    def load(self) -> None:
        """Load the model once; later calls are free."""
        if self._translator is not None:
            return
        with self._load_lock:
            if self._translator is None:
                self._load()

    def _load(self) -> None:
        import ctranslate2

        from translate.argos.model_files import (
            SPECIAL_TOKENS,
            max_positions,
            read_vocabulary,
        )
        from translate.argos.settings import resolve_device
        from translate.argos.tokenizers import (
            BPETokenizer,
            SentencePieceTokenizer,
            TargetSegmenter,
        )

        model_dir = self.package_dir / "model"
        sp_path = self.package_dir / "sentencepiece.model"
        bpe_path = self.package_dir / "bpe.model"
        if not model_dir.is_dir() or not (sp_path.is_file() or bpe_path.is_file()):
            raise ModelError(
                f"{self.package_dir} is not a CTranslate2 Argos package "
                "(needs model/ and sentencepiece.model or bpe.model)"
            )
        tokenizer: Tokenizer
        if sp_path.is_file():
            tokenizer = SentencePieceTokenizer(sp_path)
        else:
            tokenizer = BPETokenizer(bpe_path, self.source_language, self.target_language)
        vocab = [t for t in read_vocabulary(model_dir, "target") if t not in SPECIAL_TOKENS]
        self._target_vocab = frozenset(vocab)
        known = tokenizer.pieces()
        self._covers_target = bool(vocab) and len(known & self._target_vocab) >= TARGET_COVERAGE * len(vocab)
        self._segmenter = TargetSegmenter(set(vocab), tokenizer.style)
        self._positions = max_positions(model_dir)
        try:
            self._translator = ctranslate2.Translator(
                str(model_dir),
                device=resolve_device(self.device),
                compute_type=self.compute_type,
                inter_threads=self.inter_threads,
                intra_threads=self.intra_threads,
            )
        except (RuntimeError, OSError, ValueError) as exc:
            raise ModelError(f"cannot load model in {self.package_dir}: {exc}") from exc
        self._tokenizer = tokenizer

    @property
    def tokenizer(self) -> Tokenizer:
        self.load()
        assert self._tokenizer is not None
        return self._tokenizer

    @property
    def translator(self) -> ctranslate2.Translator:
        self.load()
        assert self._translator is not None
        return self._translator

    @property
    def covers_target(self) -> bool:
        """Whether the package's tokeniser also segments target text (joint models)."""
        self.load()
        return self._covers_target

    @property
    def max_source_tokens(self) -> int | None:
        """Longest input the model takes whole, leaving as many positions for the output."""
        self.load()
        return None if self._positions is None else max(8, (self._positions - 2) // 2)

    def tokenize(self, text: str) -> list[str]:
        """Source-side tokens, as the model reads them.

        The model reads the text as the glossary matches it (glossary.matching's
        normal form: invisible and bidi characters dropped, width and look-alike
        letters folded): a soft hyphen or a Cyrillic letter inside a contested
        term would otherwise break it into pieces the model never saw, and the
        term would not be translated as the term it is.
        """
        return self.tokenizer.encode(_model_text(text)[0])

    def in_vocabulary(self, tokens: Sequence[str]) -> bool:
        """Whether the model can write every piece (each is in its target vocabulary)."""
        self.load()
        return all(t in self._target_vocab for t in tokens)

    def target_pieces(self, text: str) -> list[tuple[str, ...]]:
        """Ways to write ``text`` in the model's target pieces, best first; [] if it cannot be written.

        The first is what forcing uses; all of them are what a ban must block.
        A joint tokeniser's own segmentation comes first (the model learnt
        it); otherwise, or besides, segmentations into the target vocabulary.
        """
        return self._target_pieces(text, first_only=False)

    def _target_pieces(self, text: str, first_only: bool) -> list[tuple[str, ...]]:
        """``target_pieces``; with ``first_only`` just its first way (scoring needs no more).

        The segmentations into the target vocabulary are the costly part: the
        first way needs none when the tokeniser's own pieces are writable, and
        one best segmentation otherwise (the best with a limit of one is the
        best with any limit).
        """
        self.load()
        assert self._segmenter is not None
        from translate.argos.tokenizers import MAX_SEGMENTATIONS, BPETokenizer

        out: list[tuple[str, ...]] = []
        tokenizer = self.tokenizer
        if isinstance(tokenizer, BPETokenizer):
            words = tokenizer.target_words(text)
            own = tuple(tokenizer.bpe.segment_tokens(words)) if words else ()
        else:
            words = text.split()
            own = tuple(tokenizer.encode(text)) if self._covers_target else ()
        if own and self.in_vocabulary(own):
            out.append(own)
            if first_only:
                return out
        for segmentation in self._segmenter.segment(words, limit=1 if first_only else MAX_SEGMENTATIONS):
            if segmentation not in out:
                out.append(segmentation)
        return out

    def token_spans(self, text: str) -> list[tuple[int, int]]:
        """Character span in ``text`` of each token ``tokenize`` gives (for alignment)."""
        normal, starts, ends = _model_text(text)
        if normal == text:
            return self.tokenizer.spans(text)
        # Spans in the normal form, mapped back onto the characters of ``text``.
        return [(starts[a] if a < len(starts) else len(text), ends[b - 1] if 0 < b <= len(ends) else 0)
                for a, b in self.tokenizer.spans(normal)]

    def detokenize(self, tokens: Sequence[str]) -> str:
        return self.tokenizer.decode(tokens)

    def translate(
        self,
        sentences: Sequence[str],
        options: DecodeOptions = DecodeOptions(),
        *,
        prefixes: Sequence[Sequence[str] | None] | None = None,
        suppress: Sequence[Sequence[str]] | None = None,
        progress: Callable[[int], None] | None = None,
        fixed_padding: bool = False,
    ) -> list[list[Hypothesis]]:
        """Decode all sentences in one batched pass; n-best per sentence.

        ``fixed_padding``: every sentence is padded to a length fixed by its
        own, so its result does not depend on the sentences it shares a batch
        with (translate.argos.padding says how and why).

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
        max_length = options.max_decoding_length
        if self._positions is not None:
            # The output may not run past the position encodings either.
            # CTranslate2 counts a forced prefix in the decoding length.
            # The last position is taken by the end token, so a prefix (and the
            # whole output) must end one short of it.
            cap = self._positions - 1
            if target_prefix:
                target_prefix = [p[:cap - 1] for p in target_prefix]
            longest_prefix = max((len(p) for p in target_prefix), default=0) if target_prefix else 0
            max_length = max(longest_prefix + 1, min(max_length, cap))
            sources = [s[:cap] for s in sources]  # callers split long sentences first; never crash
        kwargs: dict[str, Any] = {
            "beam_size": max(options.beam_size, options.num_hypotheses),
            "num_hypotheses": options.num_hypotheses,
            "max_decoding_length": max_length,
            "length_penalty": options.length_penalty,
            "replace_unknowns": options.replace_unknowns,
            "return_scores": True,
            "return_attention": options.return_attention,
        }
        if options.min_decoding_length:
            # CTranslate2 counts the package's own prefix too; left unset, its default (1) holds.
            kwargs["min_decoding_length"] = options.min_decoding_length + len(package_prefix)
        if suppress:
            writable = [list(s) for s in suppress if s and self.in_vocabulary(s)]
            if writable:
                kwargs["suppress_sequences"] = writable
        # Batches of examples decoded together: CTranslate2's own batching, unless
        # fixed_padding asks for batches of one padded length.
        batches: list[list[int]] = [list(range(len(sources)))]
        if fixed_padding:
            prefix_lengths = [len(p) for p in target_prefix] if target_prefix else None
            batches = fixed_batches(sources, prefix_lengths, self._positions, options.max_batch_size)
        results: list[Any] = [None] * len(sources)
        done = 0
        try:
            for batch in batches:
                batch_sources = [sources[k] for k in batch]
                batch_prefix = [target_prefix[k] for k in batch] if target_prefix else None
                if fixed_padding:
                    pad_batch(batch_sources, batch_prefix, self._positions)
                    decoded = self.translator.translate_batch(batch_sources, target_prefix=batch_prefix,
                                                              max_batch_size=0, **kwargs)
                else:
                    decoded = self.translator.translate_iterable(
                        batch_sources, target_prefix=batch_prefix, max_batch_size=options.max_batch_size,
                        **kwargs)
                for k, result in zip(batch, decoded):
                    results[k] = result
                    done += 1
                    if progress:
                        progress(done)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"decoding with {self.package_dir.name} failed: {str(exc)[:200]}") from exc
        self.decode_calls += 1
        strip = len(package_prefix)
        out: list[list[Hypothesis]] = []
        for source, result in zip(sources, results):
            hyps: list[Hypothesis] = []
            # Each read of a result's field converts all of it to Python again: read once.
            scores = result.scores
            attentions = result.attention if options.return_attention else None
            for i, tokens in enumerate(result.hypotheses):
                tokens = tokens[strip:]
                if package_prefix:  # a language token is never text, wherever the model puts it
                    tokens = [t for t in tokens if t not in package_prefix]
                attention = None
                if attentions:
                    attention = tuple(tuple(row) for row in attentions[i][strip:])
                hyps.append(
                    Hypothesis(
                        text=self.detokenize(tokens),
                        tokens=tuple(tokens),
                        score=float(scores[i]) if scores else 0.0,
                        attention=attention,
                        source_tokens=tuple(source),
                    )
                )
            out.append(hyps)
        return out

    def score(self, sentences: Sequence[str], targets: Sequence[str], fixed_padding: bool = False,
              max_batch_size: int = 64) -> list[float]:
        """Log-probability of given translations (used to re-rank candidates).

        ``fixed_padding``: every source and every target is padded to a length
        fixed by its own (translate.argos.padding), so a candidate's score does
        not depend on the candidates of other sentences scored in the same call.
        """
        sources = [self.tokenize(s) for s in sentences]
        target_tokens = []
        for text in targets:
            options = self._target_pieces(text, first_only=True)
            target_tokens.append(self.target_prefix + list(options[0] if options else self.tokenize(text)))
        self.load()
        if self._positions is not None:
            # Scoring reads the same position encodings as decoding: a candidate
            # longer than the model's positions is scored on what fits, never a crash.
            cap = self._positions - 1
            sources = [s[:cap] for s in sources]
            target_tokens = [t[:cap] for t in target_tokens]
        results: list[Any]
        try:
            if not fixed_padding:
                results = list(self.translator.score_batch(sources, target_tokens))
            else:
                results = [None] * len(sources)
                # The target's padded length is part of the batch key, as a prefix length is in decoding.
                lengths = [padded_length(len(t), self._positions) for t in target_tokens]
                for batch in fixed_batches(sources, lengths, self._positions, max_batch_size):
                    batch_sources = [sources[k] for k in batch]
                    batch_targets = [target_tokens[k] for k in batch]
                    pad_score_batch(batch_sources, batch_targets, self._positions)
                    for k, result in zip(batch, self.translator.score_batch(batch_sources, batch_targets,
                                                                            max_batch_size=0)):
                        results[k] = result
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"scoring with {self.package_dir.name} failed: {str(exc)[:200]}") from exc
        self.decode_calls += 1
        return [sum(r.log_probs) for r in results]


@dataclass
class Chain:
    """Two packages through an intermediate language (de->en->fr), as Argos pivots.

    The first leg is a plain decode; the glossary (whose source is English)
    is enforced on the second leg, the one into the target locale.
    """

    first: Engine
    second: Engine

    @property
    def source_language(self) -> str:
        return self.first.source_language

    @property
    def target_language(self) -> str:
        return self.second.target_language

    @property
    def package_dir(self) -> Path:
        return self.second.package_dir

    @property
    def decode_calls(self) -> int:
        return self.first.decode_calls + self.second.decode_calls

    def load(self) -> None:
        self.first.load()
        self.second.load()


def _model_text(text: str) -> tuple[str, list[int], list[int]]:
    """The text the model reads, with the offset in ``text`` of each of its characters."""
    from glossary.matching.normalize import for_matching, needs_normalizing

    if not needs_normalizing(text):
        return text, [], []
    return for_matching(text)
