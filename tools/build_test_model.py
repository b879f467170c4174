"""Build the English -> qtc test translation model as a real Argos Translate package.

The test language ``qtc`` is the word cipher of ``tools/testlang.py``.  From
nothing but PyPI packages this script

1. writes the lexicon and a synthetic parallel corpus (generated news-like
   word sequences plus the sample article's own sentences, spans and mixes),
   keeping 300 generated sentences aside as a held-out set;
2. trains one joint unigram SentencePiece model (3,000 pieces);
3. trains a small MarianMT transformer with plain torch on the CPU, with a
   guided-alignment loss on the head that CTranslate2 returns as attention;
4. converts it with CTranslate2 (int8) and packs ``translate-en_qtc-1_0.argosmodel``;
5. checks the package with CTranslate2 itself and writes ``metrics.json``.

Usage::

    pip install torch==2.13.0 transformers   # build-only dependencies
    python tools/build_test_model.py [--out tests/model] [--minutes N] [--seed S]

Training stops after ``--steps`` updates or ``--minutes`` of wall-clock time,
whichever comes first; the learning-rate schedule follows the same clock.
``--init-from DIR`` continues training a model saved by an earlier run (its
``/tmp/testmodel-build/hf`` folder), which is how a build interrupted or cut
short on a busy machine is carried on.  The corpus depends only on the seed.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import testlang  # noqa: E402  (needs the path set above)

ARTICLE = REPO / "samples" / "nato-armenia-azerbaijan.txt"
PACKAGE_NAME = "translate-en_qtc-1_0"
VOCAB_SIZE = 3000  # SentencePiece pieces, specials included
EOS_ID = 0  # "</s>": SentencePiece id == CTranslate2 id
UNK_ID = 1  # "<unk>"
PAD_ID = VOCAB_SIZE  # "<pad>": only in the HF model; the converter drops it
HELDOUT_SIZE = 300
MAX_PIECES = 250  # below max_position_embeddings (256)

# Quote pairs the generator wraps spans in; all pass through the cipher unchanged.
QUOTES: tuple[tuple[str, str], ...] = (
    ('"', '"'),
    ("“", "”"),
    ("‘", "’"),
    ("'", "'"),
    ("«", "»"),
    ("« ", " »"),
)
# Function words go first in the frequency ranking, as in real prose.
FREQUENT = (
    "the of and to a in that is for on was with as by it at from he said his "
    "are be has have not an this they were which but its will their who had "
    "been also after over would more or than two one after we new first its"
).split()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------


def display_form(word: str) -> str:
    """How the word is usually written mid-sentence."""
    if word in testlang.ACRONYMS:
        return word.upper()
    if word in testlang.PROPER_NOUNS:
        return word.capitalize()
    return word


def upper_first(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
        if ch.isdigit():
            return text
    return text


class SentenceGenerator:
    """Random news-like word sequences over the cipher vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        rest = [w for w in testlang.VOCABULARY if w not in FREQUENT]
        rng.shuffle(rest)
        ranked = list(dict.fromkeys(FREQUENT)) + rest
        self.words = ranked
        # Flattened Zipf: frequent words dominate, yet the rarest word still
        # occurs a few hundred times in 25k sentences.
        self.weights = [1.0 / (rank + 30) ** 0.9 for rank in range(len(ranked))]

    def word(self) -> str:
        return self.rng.choices(self.words, self.weights)[0]

    def number(self) -> str:
        rng = self.rng
        kind = rng.randrange(10)
        if kind == 0:
            return str(rng.randint(1900, 2030))
        if kind == 1:
            return f"{rng.randrange(1900, 2030, 10)}s"
        if kind == 2:
            return str(rng.randint(1, 99))
        if kind == 3:
            return f"{rng.randint(1, 999)},{rng.randint(0, 999):03d}"
        if kind == 4:
            return f"{rng.randint(0, 99)}.{rng.randint(0, 9)}"
        if kind == 5:
            return f"{rng.randint(1, 100)}%"
        if kind == 6:
            n = rng.randint(1, 31)
            suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
            return f"{n}{suffix}"
        if kind == 7:
            start = rng.randint(1988, 2024)
            return f"{start}-{start + rng.randint(1, 6)}"
        if kind == 8:
            return f"{rng.randint(1, 999)}-{display_form(self.word())}"
        return f"${rng.randint(1, 900)}"

    def token(self, shout: bool) -> str:
        rng = self.rng
        if rng.random() < 0.06:
            return self.number()
        word = self.word()
        form = display_form(word)
        roll = rng.random()
        if roll < 0.005:
            form = form.upper() if len(form) > 1 else form
        elif roll < 0.015:
            form = form.capitalize()
        if shout and len(form) > 1:
            form = form.upper()
        if rng.random() < 0.015:
            form = f"{form}-{display_form(self.word())}"
        roll = rng.random()
        if roll < 0.015:
            form += rng.choice(("'s", "’s"))
        elif roll < 0.02 and form.endswith("s"):
            form += rng.choice(("'", "’"))
        return form

    def sentence(self) -> str:
        rng = self.rng
        # Many short sentences: word alignment is learnt first on those.
        if rng.random() < 0.5:
            n = rng.randint(3, 10)
        else:
            n = max(3, min(35, int(rng.triangular(3, 36, 12))))
        headline = rng.random() < 0.03
        shout = rng.random() < 0.005
        tokens = [self.token(shout) for _ in range(n)]
        if headline:
            tokens = [upper_first(t) for t in tokens]
        # Commas and other inner punctuation stick to the word before them.
        for i in range(n - 1):
            roll = rng.random()
            if roll < 0.08:
                tokens[i] += ","
            elif roll < 0.09:
                tokens[i] += rng.choice((";", ":"))
            elif roll < 0.095:
                tokens[i] += rng.choice((" –", " —", " -"))
        if rng.random() < 0.12:
            self.wrap(tokens, rng.choice(QUOTES))
        if rng.random() < 0.04:
            self.wrap(tokens, rng.choice((("(", ")"), ("[", "]"))))
        tokens[0] = upper_first(tokens[0])
        text = " ".join(tokens)
        if not headline:
            roll = rng.random()
            if roll < 0.8:
                text += "."
            elif roll < 0.85:
                text += "?"
            elif roll < 0.88:
                text += "!"
            elif roll < 0.9:
                text += ":"
        return text

    def wrap(self, tokens: list[str], pair: tuple[str, str]) -> None:
        i = self.rng.randrange(len(tokens))
        j = self.rng.randrange(i, min(len(tokens), i + 12))
        tokens[i] = pair[0] + tokens[i]
        tokens[j] = tokens[j] + pair[1]


def article_sentences(text: str) -> list[str]:
    """The sample article split into sentences (one line is one paragraph)."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        parts = re.split(r"(?<=[.!?])\s+(?=[\"“‘(]?[A-Z])", line)
        sentences.extend(p for p in parts if p)
    return sentences


def article_paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def article_pairs(rng: random.Random, count: int) -> list[str]:
    """Whole sentences, paragraphs, random spans and span mixes of the article."""
    text = ARTICLE.read_text(encoding="utf-8")
    sentences = article_sentences(text)
    out: list[str] = []
    for s in sentences:
        out.extend([s] * 24)
    for p in article_paragraphs(text):
        if len(p.split()) <= 70:
            out.extend([p] * 6)
    words = [s.split() for s in sentences]

    def span(max_len: int) -> list[str]:
        toks = rng.choice(words)
        length = rng.randint(min(3, len(toks)), min(max_len, len(toks)))
        start = rng.randint(0, len(toks) - length)
        return toks[start : start + length]

    while len(out) < count:
        if rng.random() < 0.7:
            toks = span(30)
        else:
            toks = span(17) + span(17)
        piece = " ".join(toks)
        if rng.random() < 0.5:
            piece = upper_first(piece)
        out.append(piece)
    return out


@dataclass
class Corpus:
    train: list[tuple[str, str]]
    heldout: list[tuple[str, str]]
    article: list[str] = field(default_factory=list)


def build_corpus(seed: int, pairs: int, article_share: float) -> Corpus:
    rng = random.Random(seed)
    gen = SentenceGenerator(random.Random(seed + 1))
    n_article = int(pairs * article_share)
    sources = article_pairs(rng, n_article)
    generated: list[str] = []
    while len(generated) < pairs - n_article:
        generated.append(gen.sentence())
    sources.extend(generated)
    train_set = set(sources)
    # Held-out sentences come from their own stream and never occur in training.
    held_gen = SentenceGenerator(random.Random(seed + 2))
    held_gen.words, held_gen.weights = gen.words, gen.weights
    heldout: list[str] = []
    seen: set[str] = set()
    while len(heldout) < HELDOUT_SIZE:
        s = held_gen.sentence()
        if s not in train_set and s not in seen:
            seen.add(s)
            heldout.append(s)
    rng.shuffle(sources)
    text = ARTICLE.read_text(encoding="utf-8")
    return Corpus(
        train=[(s, testlang.cipher_text(s)) for s in sources],
        heldout=[(s, testlang.cipher_text(s)) for s in heldout],
        article=article_sentences(text),
    )


def write_tsv(path: Path, rows: Iterable[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for a, b in rows:
            fh.write(f"{a}\t{b}\n")


# --------------------------------------------------------------------------
# Tokenisation helpers
# --------------------------------------------------------------------------


def word_index(pieces: Sequence[str]) -> list[int]:
    """Index of the whitespace-separated word each SentencePiece piece belongs to.

    A piece starting with "▁" opens a new word; a bare "▁" opens the word that
    the next piece continues.
    """
    out: list[int] = []
    idx = -1
    for p in pieces:
        if p.startswith("▁"):
            idx += 1
        out.append(max(idx, 0))
    return out


def train_sentencepiece(corpus: Corpus, work: Path) -> Path:
    import sentencepiece as spm

    text_file = work / "spm_input.txt"
    with text_file.open("w", encoding="utf-8") as fh:
        for src, tgt in corpus.train:
            fh.write(src + "\n" + tgt + "\n")
    prefix = work / "sentencepiece"
    spm.SentencePieceTrainer.train(
        input=str(text_file),
        model_prefix=str(prefix),
        vocab_size=VOCAB_SIZE,
        model_type="unigram",
        character_coverage=1.0,
        # identity: quotes, dashes and ellipses must pass through untouched.
        normalization_rule_name="identity",
        # Single digits let the model copy any number, not only seen ones.
        split_digits=True,
        eos_id=EOS_ID,
        unk_id=UNK_ID,
        bos_id=-1,
        pad_id=-1,
        num_threads=2,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


# --------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------


@dataclass
class Encoded:
    src: list[int]
    tgt: list[int]  # ends with EOS
    src_words: list[int]
    tgt_words: list[int]  # -1 for EOS (not aligned)


def encode_pairs(sp: Any, pairs: Sequence[tuple[str, str]]) -> list[Encoded]:
    out: list[Encoded] = []
    for src, tgt in pairs:
        sp_src = sp.encode(src, out_type=str)
        sp_tgt = sp.encode(tgt, out_type=str)
        if len(sp_src) > MAX_PIECES or len(sp_tgt) + 1 > MAX_PIECES:
            continue
        src_words = word_index(sp_src)
        tgt_words = word_index(sp_tgt)
        if (src_words[-1] if src_words else -1) != (tgt_words[-1] if tgt_words else -1):
            tgt_words = [-1] * len(tgt_words)  # no monotone alignment to teach
        out.append(
            Encoded(
                src=[sp.piece_to_id(p) for p in sp_src],
                tgt=[sp.piece_to_id(p) for p in sp_tgt] + [EOS_ID],
                src_words=src_words,
                tgt_words=tgt_words + [-1],
            )
        )
    return out


def make_batches(data: Sequence[Encoded], max_tokens: int, rng: random.Random) -> list[list[int]]:
    """Length-bucketed batches holding at most max_tokens padded target tokens."""
    order = sorted(range(len(data)), key=lambda i: (len(data[i].tgt), len(data[i].src), rng.random()))
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        n = max(len(data[i].tgt), len(data[i].src))
        if current and max(longest, n) * (len(current) + 1) > max_tokens:
            batches.append(current)
            current, longest = [], 0
        current.append(i)
        longest = max(longest, n)
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def collate(items: Sequence[Encoded]) -> dict[str, Any]:
    import torch

    bsz = len(items)
    s_len = max(len(x.src) for x in items)
    t_len = max(len(x.tgt) for x in items)
    src = torch.full((bsz, s_len), PAD_ID, dtype=torch.long)
    mask = torch.zeros((bsz, s_len), dtype=torch.long)
    dec_in = torch.full((bsz, t_len), PAD_ID, dtype=torch.long)
    labels = torch.full((bsz, t_len), -100, dtype=torch.long)
    sw = torch.full((bsz, s_len), -2, dtype=torch.long)
    tw = torch.full((bsz, t_len), -1, dtype=torch.long)
    for b, x in enumerate(items):
        src[b, : len(x.src)] = torch.tensor(x.src)
        mask[b, : len(x.src)] = 1
        # The decoder starts from PAD (Marian's decoder_start_token_id).
        dec_in[b, : len(x.tgt)] = torch.tensor([PAD_ID] + x.tgt[:-1])
        labels[b, : len(x.tgt)] = torch.tensor(x.tgt)
        sw[b, : len(x.src)] = torch.tensor(x.src_words)
        tw[b, : len(x.tgt)] = torch.tensor(x.tgt_words)
    # Guided alignment target: uniform over the source pieces of the same word.
    guide = (tw.unsqueeze(2) == sw.unsqueeze(1)).float()
    guide = guide / guide.sum(-1, keepdim=True).clamp(min=1.0)
    return {"src": src, "mask": mask, "dec_in": dec_in, "labels": labels, "guide": guide}


def build_model(seed: int) -> Any:
    import torch
    from transformers import MarianConfig, MarianMTModel

    torch.manual_seed(seed)
    config = MarianConfig(
        vocab_size=VOCAB_SIZE + 1,
        decoder_vocab_size=VOCAB_SIZE + 1,
        d_model=256,
        encoder_layers=3,
        decoder_layers=3,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=1024,
        decoder_ffn_dim=1024,
        max_position_embeddings=256,
        pad_token_id=PAD_ID,
        decoder_start_token_id=PAD_ID,
        eos_token_id=EOS_ID,
        forced_eos_token_id=EOS_ID,
        bos_token_id=None,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        activation_function="swish",
        # The cipher is deterministic and the corpus large: little regularisation needed.
        dropout=0.05,
        attention_dropout=0.0,
        activation_dropout=0.0,
        # d_model**-0.5 as in Marian/fairseq: scaled embeddings start at unit
        # variance (HF's 0.02 suits fine-tuning, and trains far slower from scratch).
        init_std=256**-0.5,
    )
    # Eager attention: it is the one that returns attention weights for the guide loss.
    model = MarianMTModel._from_config(config, attn_implementation="eager")
    shared = model.model.shared.weight
    assert model.lm_head.weight.data_ptr() == shared.data_ptr(), "embeddings must be tied"
    with torch.no_grad():
        shared[PAD_ID].zero_()
    return model


def greedy_translate(model: Any, sp: Any, sources: Sequence[str], batch_size: int = 50) -> list[str]:
    """Quick HF-side greedy decoding, used only to watch progress."""
    import torch

    model.eval()
    outputs: list[str] = []
    with torch.no_grad():
        for i in range(0, len(sources), batch_size):
            chunk = sources[i : i + batch_size]
            ids = [sp.encode(s) for s in chunk]
            s_len = max(len(x) for x in ids)
            src = torch.full((len(ids), s_len), PAD_ID, dtype=torch.long)
            mask = torch.zeros_like(src)
            for b, x in enumerate(ids):
                src[b, : len(x)] = torch.tensor(x)
                mask[b, : len(x)] = 1
            gen = model.generate(
                input_ids=src,
                attention_mask=mask,
                num_beams=1,
                do_sample=False,
                max_new_tokens=min(MAX_PIECES, int(1.5 * s_len) + 10),
                decoder_start_token_id=PAD_ID,
                eos_token_id=EOS_ID,
                pad_token_id=PAD_ID,
                suppress_tokens=[PAD_ID],
            )
            for row in gen.tolist():
                pieces = [sp.id_to_piece(t) for t in row if t not in (PAD_ID, EOS_ID)]
                outputs.append(sp.decode_pieces(pieces))
    model.train()
    return outputs


def word_scores(hyps: Sequence[str], refs: Sequence[str]) -> tuple[float, float, int]:
    """Position-wise word accuracy, exact-sentence rate, number of wrong words."""
    correct = total = exact = 0
    for h, r in zip(hyps, refs):
        hw, rw = h.split(), r.split()
        correct += sum(a == b for a, b in zip(hw, rw))
        total += max(len(hw), len(rw))
        exact += h == r
    return correct / max(total, 1), exact / max(len(refs), 1), total - correct


def train_model(
    corpus: Corpus,
    sp: Any,
    minutes: float,
    seed: int,
    align_weight: float,
    max_tokens: int,
    init_from: Path | None = None,
    peak_lr: float = 1e-3,
    max_steps: int = 2400,
) -> tuple[Any, dict[str, Any]]:
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(2)
    rng = random.Random(seed + 3)
    data = encode_pairs(sp, corpus.train)
    log(f"encoded {len(data)} training pairs, {sum(len(x.tgt) for x in data)} target pieces")
    if init_from is not None:
        from transformers import MarianMTModel

        # Continue training a saved model (same seed, so the same corpus and pieces).
        model = MarianMTModel.from_pretrained(init_from, attn_implementation="eager")
        log(f"continuing from {init_from}")
    else:
        model = build_model(seed)
    model.train()
    optim = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98), eps=1e-9)
    warmup = 200 if init_from is None else 50
    budget = minutes * 60.0
    # No look before 40% of the budget: an untrained model only babbles to max length.
    eval_every = max(120.0, budget / 6)
    n_held = 80
    monitor_src = [s for s, _ in corpus.heldout[:n_held]] + corpus.article
    monitor_ref = [t for _, t in corpus.heldout[:n_held]] + [testlang.cipher_text(s) for s in corpus.article]

    start = time.monotonic()
    eval_time = 0.0  # evaluation does not eat the training budget
    next_eval = max(eval_every, 0.4 * budget)
    step = epoch = 0
    history: list[dict[str, Any]] = []
    stop = False
    while not stop:
        epoch += 1
        for batch_ids in make_batches(data, max_tokens, rng):
            elapsed = time.monotonic() - start - eval_time
            if elapsed >= budget or step >= max_steps:
                stop = True
                break
            # Linear warm-up, then cosine decay over the step or the time budget,
            # whichever runs out first (a busy machine makes fewer steps per minute).
            frac = min(max(elapsed / budget, step / max_steps), 1.0)
            lr = peak_lr * min(1.0, (step + 1) / warmup) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
            for group in optim.param_groups:
                group["lr"] = lr
            batch = collate([data[i] for i in batch_ids])
            out = model(
                input_ids=batch["src"],
                attention_mask=batch["mask"],
                decoder_input_ids=batch["dec_in"],
                output_attentions=align_weight > 0,
            )
            logits = out.logits
            loss = F.cross_entropy(
                logits.reshape(-1, logits.size(-1)),
                batch["labels"].reshape(-1),
                ignore_index=-100,
                label_smoothing=0.05,
            )
            al_loss = torch.zeros(())
            if align_weight > 0:
                # Head 0 of the last decoder layer is what CTranslate2 returns
                # as attention (alignment_layer=-1, alignment_heads=1).
                attn = out.cross_attentions[-1][:, 0]
                guide = batch["guide"]
                rows = guide.sum(-1).gt(0).sum().clamp(min=1)
                al_loss = -(guide * torch.log(attn + 1e-9)).sum() / rows
            total = loss + align_weight * al_loss
            optim.zero_grad(set_to_none=True)
            total.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            # CTranslate2 starts decoding from a zero embedding where HF uses the
            # PAD row, so the (tied) PAD row must stay exactly zero.
            with torch.no_grad():
                model.model.shared.weight[PAD_ID].zero_()
            step += 1
            if step % 50 == 0:
                log(
                    f"epoch {epoch} step {step} lr {lr:.2e} loss {loss.item():.3f} "
                    f"align {al_loss.item():.3f} train {elapsed / 60:.1f}/{minutes:g} min"
                )
            if elapsed >= next_eval:
                t0 = time.monotonic()
                hyps = greedy_translate(model, sp, monitor_src)
                h_acc, h_exact, _ = word_scores(hyps[:n_held], monitor_ref[:n_held])
                a_acc, a_exact, a_wrong = word_scores(hyps[n_held:], monitor_ref[n_held:])
                eval_time += time.monotonic() - t0
                history.append(
                    {"step": step, "train_minutes": round(elapsed / 60, 2), "heldout_word_acc": round(h_acc, 4),
                     "heldout_exact": round(h_exact, 4), "article_exact": round(a_exact, 4)}
                )
                log(
                    f"eval step {step}: held-out word acc {h_acc:.4f} exact {h_exact:.3f}; "
                    f"article exact {a_exact:.3f} ({a_wrong} wrong words) [{time.monotonic() - t0:.0f}s]"
                )
                next_eval = elapsed + eval_every
                # Good enough to stop early: nothing left to learn on either set.
                if h_exact == 1.0 and a_exact == 1.0 and frac > 0.5:
                    log("held-out and article sentences all exact: stopping early")
                    stop = True
                    break
    train_seconds = time.monotonic() - start - eval_time
    with torch.no_grad():
        model.model.shared.weight[PAD_ID].zero_()
    model.eval()
    info = {"steps": step, "epochs": epoch, "train_minutes": round(train_seconds / 60, 2), "history": history}
    return model, info


# --------------------------------------------------------------------------
# Conversion and packaging
# --------------------------------------------------------------------------


def save_hf(model: Any, sp_model: Path, sp: Any, hf_dir: Path) -> None:
    """Save the model plus the Marian tokenizer files the CTranslate2 converter loads."""
    if hf_dir.exists():
        shutil.rmtree(hf_dir)
    model.config._attn_implementation = "sdpa"
    model.save_pretrained(hf_dir)
    shutil.copy(sp_model, hf_dir / "source.spm")
    shutil.copy(sp_model, hf_dir / "target.spm")
    # Marian vocab: the SentencePiece pieces in id order, then <pad> last, which
    # the converter drops again (Marian decoders start from a zero embedding).
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    assert len(vocab) == VOCAB_SIZE and "<pad>" not in vocab
    vocab["<pad>"] = PAD_ID
    (hf_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    tok_config = {
        "tokenizer_class": "MarianTokenizer",
        "source_lang": "en",
        "target_lang": "qtc",
        "unk_token": "<unk>",
        "eos_token": "</s>",
        "pad_token": "<pad>",
        "model_max_length": MAX_PIECES,
        "separate_vocabs": False,
    }
    (hf_dir / "tokenizer_config.json").write_text(json.dumps(tok_config, indent=2), encoding="utf-8")


def convert(hf_dir: Path, ct2_dir: Path, sp: Any) -> None:
    import ctranslate2

    if ct2_dir.exists():
        shutil.rmtree(ct2_dir)
    ctranslate2.converters.TransformersConverter(str(hf_dir)).convert(str(ct2_dir), quantization="int8")
    vocab_file = ct2_dir / "shared_vocabulary.json"
    tokens = json.loads(vocab_file.read_text(encoding="utf-8"))
    expected = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    assert tokens == expected, "CTranslate2 vocabulary must equal the SentencePiece pieces"


PACKAGE_README = """# English -> qtc (test cipher)

A test fixture, not a real language. `qtc` ("test cipher", from the ISO 639-2
range qaa-qtz reserved for local use) is a fixed word-level cipher of English:
every English word becomes a pronounceable pseudo-word, case is carried over,
and numbers, punctuation, quotes, brackets and whitespace pass through
unchanged. See tests/model/README.md of the termguard project.

Model: MarianMT architecture (d_model 256, 3+3 layers, 4 heads), CTranslate2
int8, joint SentencePiece unigram model of 3,000 pieces. No target prefix.
"""


def package(ct2_dir: Path, sp_model: Path, work: Path, out_file: Path) -> None:
    root = work / "package" / PACKAGE_NAME
    if root.parent.exists():
        shutil.rmtree(root.parent)
    shutil.copytree(ct2_dir, root / "model")
    shutil.copy(sp_model, root / "sentencepiece.model")
    metadata = {
        "package_version": "1.0",
        "argos_version": "1.0",
        "from_code": "en",
        "from_name": "English",
        "to_code": "qtc",
        "to_name": "Test cipher",
        "type": "translate",
        "description": "Test fixture: English into the invented word cipher qtc (not a real language).",
    }
    (root / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    (root / "README.md").write_text(PACKAGE_README, encoding="utf-8")
    out_file.parent.mkdir(parents=True, exist_ok=True)
    # Fixed timestamps and sorted entries so that equal files give equal bytes.
    with zipfile.ZipFile(out_file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(root.parent.rglob("*")):
            arcname = path.relative_to(root.parent).as_posix()
            if path.is_dir():
                arcname += "/"
            info = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
            if path.is_dir():
                info.external_attr = 0o40755 << 16
                zf.writestr(info, b"")
            else:
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes(), compresslevel=9)


# --------------------------------------------------------------------------
# Verification with CTranslate2
# --------------------------------------------------------------------------


def ct2_translate(
    translator: Any, sp: Any, sources: Sequence[str], beam_size: int
) -> tuple[list[str], list[tuple[list[str], list[str], list[list[float]]]]]:
    tokens = [sp.encode(s, out_type=str) for s in sources]
    results = translator.translate_batch(
        tokens,
        beam_size=beam_size,
        length_penalty=0.2,  # as Argos Translate calls it
        replace_unknowns=True,
        return_attention=True,
        max_batch_size=64,
    )
    hyps: list[str] = []
    detail: list[tuple[list[str], list[str], list[list[float]]]] = []
    for src_tokens, res in zip(tokens, results):
        out_tokens = res.hypotheses[0]
        hyps.append(sp.decode_pieces(out_tokens))
        detail.append((src_tokens, out_tokens, res.attention[0]))
    return hyps, detail


def alignment_agreement(detail: Sequence[tuple[list[str], list[str], list[list[float]]]]) -> tuple[float, int]:
    """Share of output words whose attention argmax (over source words) is the same position."""
    agree = total = 0
    for src_tokens, out_tokens, attention in detail:
        src_w = word_index(src_tokens)
        out_w = word_index(out_tokens)
        n_src = (src_w[-1] + 1) if src_w else 0
        n_out = (out_w[-1] + 1) if out_w else 0
        if n_src == 0 or n_src != n_out:
            continue  # the true alignment is monotone only for equal word counts
        scores = [[0.0] * n_src for _ in range(n_out)]
        for t, row in enumerate(attention[: len(out_tokens)]):
            for s, weight in enumerate(row[: len(src_tokens)]):
                scores[out_w[t]][src_w[s]] += weight
        for j, row in enumerate(scores):
            total += 1
            agree += max(range(n_src), key=row.__getitem__) == j
    return agree / max(total, 1), total


def verify(package_file: Path, corpus: Corpus, work: Path) -> dict[str, Any]:
    import ctranslate2
    import sentencepiece as spm

    target = work / "verify"
    if target.exists():
        shutil.rmtree(target)
    with zipfile.ZipFile(package_file) as zf:
        names = {n.split("/")[0] for n in zf.namelist()}
        assert names == {PACKAGE_NAME}, f"one top folder expected, got {names}"
        zf.extractall(target)
    pkg = target / PACKAGE_NAME
    sp = spm.SentencePieceProcessor(model_file=str(pkg / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(pkg / "model"), device="cpu", inter_threads=1, intra_threads=2)

    held_src = [s for s, _ in corpus.heldout]
    held_ref = [t for _, t in corpus.heldout]
    art_ref = [testlang.cipher_text(s) for s in corpus.article]
    metrics: dict[str, Any] = {}
    for label, beam in (("beam4", 4), ("greedy", 1)):
        t0 = time.monotonic()
        h_hyps, h_detail = ct2_translate(translator, sp, held_src, beam)
        seconds = time.monotonic() - t0
        a_hyps, a_detail = ct2_translate(translator, sp, corpus.article, beam)
        h_acc, h_exact, h_wrong = word_scores(h_hyps, held_ref)
        a_acc, a_exact, a_wrong = word_scores(a_hyps, art_ref)
        agreement, aligned_words = alignment_agreement(h_detail + a_detail)
        metrics[label] = {
            "heldout_word_accuracy": round(h_acc, 4),
            "heldout_exact_sentence_rate": round(h_exact, 4),
            "heldout_wrong_words": h_wrong,
            "article_sentences": len(art_ref),
            "article_sentences_exact": sum(h == r for h, r in zip(a_hyps, art_ref)),
            "article_wrong_words": a_wrong,
            "alignment_agreement": round(agreement, 4),
            "alignment_words": aligned_words,
            "heldout_seconds": round(seconds, 2),
        }
        log(f"[{label}] {json.dumps(metrics[label])}")
        if label == "beam4":
            for src, hyp, ref in zip(corpus.article + held_src, a_hyps + h_hyps, art_ref + held_ref):
                if hyp != ref:
                    log(f"  MISMATCH src: {src}\n             hyp: {hyp}\n             ref: {ref}")
    return metrics


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "model", help="output folder")
    parser.add_argument("--minutes", type=float, default=60.0, help="training time cap in minutes (wall clock)")
    parser.add_argument("--seed", type=int, default=20240319)
    parser.add_argument("--pairs", type=int, default=30000, help="training sentence pairs")
    parser.add_argument("--article-share", type=float, default=0.2, help="share of pairs taken from the article")
    parser.add_argument("--align-weight", type=float, default=0.5, help="guided alignment loss weight (0: off)")
    parser.add_argument("--max-tokens", type=int, default=2500, help="padded tokens per batch")
    parser.add_argument("--work", type=Path, default=Path("/tmp/testmodel-build"), help="scratch folder")
    parser.add_argument("--reuse", action="store_true", help="reuse the trained HF model in --work")
    parser.add_argument("--init-from", type=Path, default=None, help="continue training this saved HF model")
    parser.add_argument("--lr", type=float, default=1e-3, help="peak learning rate")
    parser.add_argument("--steps", type=int, default=2400, help="training steps (the time cap may stop it first)")
    args = parser.parse_args(argv)

    import sentencepiece as spm

    build_start = time.monotonic()
    out: Path = args.out.resolve()
    work: Path = args.work.resolve()
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)

    lex = testlang.lexicon()
    article_words = {w.lower() for w in re.findall(r"[^\W\d_]+", ARTICLE.read_text(encoding="utf-8"))}
    missing = sorted(article_words - set(lex))
    assert not missing, f"article words missing from the vocabulary: {missing}"
    write_tsv(out / "lexicon.tsv", sorted(lex.items()))
    log(f"lexicon: {len(lex)} words ({len(article_words)} from the article)")

    corpus = build_corpus(args.seed, args.pairs, args.article_share)
    write_tsv(out / "heldout.tsv", corpus.heldout)
    write_tsv(work / "train.tsv", corpus.train)
    log(f"corpus: {len(corpus.train)} training pairs, {len(corpus.heldout)} held out, "
        f"{len(corpus.article)} article sentences")

    hf_dir = work / "hf"
    reuse = args.reuse and (hf_dir / "config.json").exists()
    # A reused or continued model keeps the SentencePiece model it was trained with.
    if reuse:
        sp_model = hf_dir / "source.spm"
    elif args.init_from is not None:
        sp_model = work / "sentencepiece.model"
        shutil.copy(args.init_from / "source.spm", sp_model)
    else:
        sp_model = train_sentencepiece(corpus, work)
    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    assert sp.id_to_piece(EOS_ID) == "</s>" and sp.id_to_piece(UNK_ID) == "<unk>"
    log(f"sentencepiece: {sp.get_piece_size()} pieces")

    train_info: dict[str, Any] = {}
    if reuse:
        log(f"reusing {hf_dir}")
        prev = work / "train_info.json"
        train_info = json.loads(prev.read_text()) if prev.exists() else {}
    else:
        model, train_info = train_model(
            corpus, sp, args.minutes, args.seed, args.align_weight, args.max_tokens, args.init_from, args.lr,
            args.steps,
        )
        if args.init_from is not None:
            prev = args.init_from / "train_info.json"
            if prev.exists():
                train_info["previous"] = json.loads(prev.read_text())
        save_hf(model, sp_model, sp, hf_dir)
        (work / "train_info.json").write_text(json.dumps(train_info, indent=2))
        (hf_dir / "train_info.json").write_text(json.dumps(train_info, indent=2))

    ct2_dir = work / "ct2"
    convert(hf_dir, ct2_dir, sp)
    package_file = out / f"{PACKAGE_NAME}.argosmodel"
    package(ct2_dir, sp_model, work, package_file)
    size = package_file.stat().st_size
    log(f"package: {package_file} ({size} bytes)")

    metrics = verify(package_file, corpus, work)
    build_minutes = (time.monotonic() - build_start) / 60
    result = {
        "package": package_file.name,
        "package_bytes": size,
        "seed": args.seed,
        "training_pairs": len(corpus.train),
        "heldout_sentences": len(corpus.heldout),
        "lexicon_words": len(lex),
        "sentencepiece_pieces": sp.get_piece_size(),
        "special_ids": {"</s>": EOS_ID, "<unk>": UNK_ID, "<pad> (HF only, dropped by CTranslate2)": PAD_ID},
        "architecture": "MarianMT d_model 256, 3+3 layers, 4 heads, ffn 1024, tied embeddings, int8",
        "align_weight": args.align_weight,
        "training": {k: v for k, v in train_info.items()},
        "metrics": metrics,
        "build_minutes": round(build_minutes, 1),
        "torch_threads": 2,
    }
    (out / "metrics.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    log(f"done in {build_minutes:.1f} min; metrics in {out / 'metrics.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
