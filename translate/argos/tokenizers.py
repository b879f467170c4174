"""Tokenisers of real Argos packages, source and target side.

Argos packages tokenise with ``sentencepiece.model`` or, for BPE OPUS-MT
conversions, ``bpe.model`` (subword-nmt codes after Moses tokenisation, as
``argostranslate.tokenizer.BPETokenizer`` does). In OPUS-MT conversions the
tokeniser is the *source* model only, while the CTranslate2 vocabulary joins
source and target pieces: target text must then be segmented into the model's
own target vocabulary (``TargetSegmenter``), never with the source tokeniser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from translate.argos.model_files import SPECIAL_TOKENS
from translate.errors import ModelError

SP_SPACE = "\u2581"  # SentencePiece's word-start mark
BPE_JOINER = "@@"  # subword-nmt's "continues in the next piece" mark
# Segmentations offered per rendering: enough to ban the usual spellings of a
# word, few enough that bans stay specific.
MAX_SEGMENTATIONS = 4


class Tokenizer(Protocol):
    """What the engine needs from a package's tokeniser."""

    style: str  # "sentencepiece" or "bpe": how target pieces are written

    def encode(self, text: str) -> list[str]: ...

    def spans(self, text: str) -> list[tuple[int, int]]: ...

    def decode(self, pieces: Sequence[str]) -> str: ...

    def pieces(self) -> set[str]: ...


def _clean(pieces: Sequence[str]) -> list[str]:
    # replace_unknowns should leave no <unk>; any left (or a stray control
    # token) would print as " ⁇ " or as markup.
    return [p for p in pieces if p not in SPECIAL_TOKENS]


class SentencePieceTokenizer:
    style = "sentencepiece"

    def __init__(self, model_file: Path) -> None:
        import sentencepiece

        try:
            self.sp = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
        except (RuntimeError, OSError) as exc:
            raise ModelError(f"cannot load {model_file}: {exc}") from exc

    def encode(self, text: str) -> list[str]:
        return list(self.sp.encode(text, out_type=str))

    def spans(self, text: str) -> list[tuple[int, int]]:
        try:
            proto = self.sp.encode(text, return_type="proto")
        except TypeError:  # sentencepiece < 0.2.1
            proto = self.sp.encode(text, out_type="immutable_proto")  # type: ignore[arg-type]  # sentencepiece < 0.2.1 spelling, absent from the stubs
        spans = [(p.begin, p.end) for p in proto.pieces]
        # SentencePiece offsets count bytes of the normalised UTF-8 text.
        data = text.encode("utf-8")
        if len(data) != len(text):
            spans = [(len(data[:b].decode("utf-8", "ignore")), len(data[:e].decode("utf-8", "ignore")))
                     for b, e in spans]
        return spans

    def decode(self, pieces: Sequence[str]) -> str:
        # As Argos: decode, then every remaining word mark is a space. Pieces the
        # SentencePiece model does not know (an OPUS-MT target vocabulary) keep
        # their mark through decode_pieces, which would glue words with "▁".
        text = str(self.sp.decode_pieces(_clean(pieces))).replace(SP_SPACE, " ")
        return re.sub(r" {2,}", " ", text).strip(" ")

    def pieces(self) -> set[str]:
        return {self.sp.id_to_piece(i) for i in range(self.sp.get_piece_size())}


class BPETokenizer:
    """Moses tokenisation + subword-nmt codes, as Argos' BPETokenizer."""

    style = "bpe"

    def __init__(self, codes_file: Path, from_code: str, to_code: str) -> None:
        from argostranslate.apply_bpe import BPE
        from sacremoses.normalize import MosesPunctNormalizer
        from sacremoses.tokenize import MosesDetokenizer, MosesTokenizer

        self.from_code, self.to_code = from_code, to_code
        self.normalizer = MosesPunctNormalizer(from_code)
        self.tokenizer = MosesTokenizer(from_code)
        self.target_tokenizer = MosesTokenizer(to_code)
        self.detokenizer = MosesDetokenizer(to_code)
        try:
            with open(codes_file, encoding="utf-8") as f:
                self.bpe = BPE(f)
        except (OSError, ValueError, IndexError, UnicodeDecodeError) as exc:
            raise ModelError(f"cannot load BPE codes {codes_file}: {exc}") from exc

    def _words(self, text: str) -> list[str]:
        return [w for w in self.tokenizer.tokenize(self.normalizer.normalize(text), escape=True) if w]

    def encode(self, text: str) -> list[str]:
        words = self._words(text)
        return list(self.bpe.segment_tokens(words)) if words else []

    def target_words(self, text: str) -> list[str]:
        return [w for w in self.target_tokenizer.tokenize(text, escape=True) if w]

    def spans(self, text: str) -> list[tuple[int, int]]:
        # Moses may escape or normalise a token; anchor each word where its
        # letters are found and give its pieces that word's span.
        spans: list[tuple[int, int]] = []
        pos = 0
        for piece in self.encode(text):
            bare = piece.removesuffix(BPE_JOINER)
            found = text.find(bare, pos) if bare else -1
            start = found if found >= 0 else pos
            end = start + len(bare) if found >= 0 else pos
            spans.append((start, end))
            pos = max(pos, end)
        return spans

    def decode(self, pieces: Sequence[str]) -> str:
        joined = " ".join(_clean(pieces)).replace(BPE_JOINER + " ", "")
        joined = joined.removesuffix(BPE_JOINER)
        return str(self.detokenizer.detokenize(joined.split(), unescape=True))

    def pieces(self) -> set[str]:
        return set()  # BPE codes list merges, not the pieces a model writes


@dataclass
class TargetSegmenter:
    """Segments text into pieces of the model's target vocabulary.

    Used for glossary renderings when the package's tokeniser does not cover
    the target side: every segmentation of each word into known pieces is
    found by dynamic programming, and the ones with the fewest pieces (longer
    pieces first on a tie) come first, as a subword model prefers.
    """

    vocabulary: set[str]
    style: str = "sentencepiece"
    _longest: int = field(init=False, default=1)

    def __post_init__(self) -> None:
        self.vocabulary = {t for t in self.vocabulary if t and t not in SPECIAL_TOKENS}
        self._longest = max((len(t) for t in self.vocabulary), default=1)

    def _word(self, word: str, *, first: str, limit: int) -> list[tuple[str, ...]]:
        """Segmentations of one word, best first; ``first`` marks how a word starts."""
        if self.style == "sentencepiece":
            text = first + word
            n = len(text)
            # best[i]: up to `limit` segmentations of text[i:], fewest pieces first.
            best: list[list[tuple[str, ...]]] = [[] for _ in range(n + 1)]
            best[n] = [()]
            for i in range(n - 1, -1, -1):
                options: list[tuple[str, ...]] = []
                for j in range(min(n, i + self._longest), i, -1):
                    piece = text[i:j]
                    if piece in self.vocabulary:
                        options.extend((piece, *rest) for rest in best[j])
                options.sort(key=lambda seg: (len(seg), [-len(p) for p in seg]))
                best[i] = options[:limit]
            return best[0]
        # BPE: every piece but the last carries the joiner.
        n = len(word)
        memo: list[list[tuple[str, ...]]] = [[] for _ in range(n + 1)]
        memo[n] = [()]
        for i in range(n - 1, -1, -1):
            options = []
            for j in range(min(n, i + self._longest), i, -1):
                piece = word[i:j] if j == n else word[i:j] + BPE_JOINER
                if piece in self.vocabulary:
                    options.extend((piece, *rest) for rest in memo[j])
            options.sort(key=lambda seg: (len(seg), [-len(p) for p in seg]))
            memo[i] = options[:limit]
        return memo[0]

    def segment(self, words: Sequence[str], limit: int = MAX_SEGMENTATIONS) -> list[tuple[str, ...]]:
        """Segmentations of a sequence of words, best first; [] when a word cannot be written."""
        per_word = [self._word(w, first=SP_SPACE, limit=limit) for w in words]
        if not words or any(not options for options in per_word):
            return []
        best = tuple(p for options in per_word for p in options[0])
        out = [best]
        # Alternatives: one word at a time takes its next-best segmentation.
        for k, options in enumerate(per_word):
            for alternative in options[1:]:
                candidate = tuple(p for i, o in enumerate(per_word)
                                  for p in (alternative if i == k else o[0]))
                if candidate not in out:
                    out.append(candidate)
                if len(out) >= limit:
                    return out
        return out
