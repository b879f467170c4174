"""Build the English -> qtr test model (tools/testlang_qtr.py) as a real Argos package.

Same recipe as tools/build_test_model.py (SentencePiece, a small MarianMT
transformer trained with plain torch, CTranslate2 int8, an Argos zip), with
three differences: the corpus comes from the qtr grammar with its noise (the
model must learn to misbehave like a real one), the guided-alignment loss uses
the grammar's own word alignment (qtr reorders), and training is resumable:
every stage writes to ``--work`` (default ``/root/.cache/termguard-build/qtr``)
and a later run continues from the newest checkpoint::

    pip install torch==2.13.0 transformers sentencepiece ctranslate2   # build only
    python tools/build_qtr_model.py --minutes 60 --steps 3000   # train (resumes)
    python tools/build_qtr_model.py --package-only               # convert + pack + measure

The package goes to ``tests/model/translate-en_qtr-1_0.argosmodel`` with
``heldout-qtr.tsv`` and ``metrics-qtr.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_test_model as base
import testlang_qtr as qtr

PACKAGE_NAME = "translate-en_qtr-1_0"
VOCAB_SIZE = 1400
EOS_ID, UNK_ID, PAD_ID = 0, 1, VOCAB_SIZE
HELDOUT_SIZE = 400
MAX_PIECES = 250
# Smaller than qtc's 3+3 layers / ffn 1024: the build shares two busy cores.
LAYERS = 2
FFN = 768
WORK = Path("/root/.cache/termguard-build/qtr")
log = base.log

# --------------------------------------------------------------------------
# Sentence generator: news-like, dense in glossary terms
# --------------------------------------------------------------------------

SUBJECTS = """Armenia|Azerbaijan|Baku|Yerevan|Russia|Turkey|Iran|Georgia|NATO|Moscow|the EU|the OSCE
|Armenian Prime Minister Nikol Pashinyan|Azerbaijani President Ilham Aliyev|Pashinyan|Aliyev
|NATO Secretary-General Jens Stoltenberg|Stoltenberg|the Armenian government|the Azerbaijani army
|Armenian separatists|the separatists|Azerbaijani forces|Armenian officials|Azerbaijani officials
|the de facto authorities|the residents|the Armenian population|the two countries|both sides
|the Russian troops|the army|the leaders|Armenian separatist forces|the Azerbaijani government
|the Armenian Prime Minister|Azerbaijani soldiers|the refugees|the observers""".replace("\n", "").split("|")
OBJECTS = """the breakaway Karabakh region|the breakaway region|Karabakh|Nagorno-Karabakh|the region
|the mountainous enclave|an enclave|the enclaves|the exclave|the Lachin corridor|the transport corridor
|a peace treaty|the peace treaty|a peace agreement|the peace deal|the treaty|the border|the borders
|the frontier|four villages|the villages|Shusha|Stepanakert|Khankendi|Lachin|Berdzor|Tavush|Gazakh
|the town of Shusha|the city of Stepanakert|its territory|Armenia's territory|Azerbaijan's territory
|the territory of Azerbaijan|the territories|the Zangezur corridor|the demarcation of the border
|the delimitation of the border|the normalization of relations|the South Caucasus|the Caucasus
|the capital of Karabakh|the Karabakh region|the former Nagorno-Karabakh Autonomous Oblast
|the self-proclaimed Nagorno-Karabakh Republic|the control of the region|Armenian separatists
|the separatists|the de facto authorities|the strategic road|the Armenian villages
|the Azerbaijani villages|the lands|the security of the region|the ethnic Armenian population
|Armenia's border|the Armenian border|Azerbaijan's border|the main road""".replace("\n", "").split("|")
PLACES = """Karabakh|Nagorno-Karabakh|Armenia|Azerbaijan|Baku|Yerevan|Stepanakert|Shusha|Lachin|Tavush
|Gazakh|the South Caucasus|the Caucasus|the region|the breakaway region|the enclave|Moscow|Berlin
|Brussels|the border|the Lachin corridor|the mountainous region|the Karabakh region|the villages
|northern Armenia|the capital|Armenia's Tavush region|the breakaway Karabakh region""".replace(
    "\n", "").split("|")
T_VERBS = """seized|captured|recaptured|retook|occupied|controlled|signed|rejected|proposed|demanded
|recognized|left|returned|held|visited|attacked|opened|closed|secured|discussed|supported|wants
|seized|recaptured|recaptured|occupied|will sign|has occupied|is occupying|has seized
|refuses to recognize|urged|described""".replace("\n", "").split("|")
I_VERBS = ["fled", "arrived", "fought", "went", "stayed", "remained", "met", "spoke", "lived", "warned", "agreed", "began"]
TIMES = """on Tuesday|on Monday|in 2023|in 2020|in September|in December|since the 1990s|last year
|in 1988|after the war|during the talks|for three decades|in the early 1990s|on Friday|in February
|recently|again|in 2024|twice""".replace("\n", "").split("|")
OTHER_PREPS = ["in", "in", "from", "from", "to", "to", "of", "into", "near", "along", "with", "over", "through", "after", "between"]
SPEECH = ["said", "added", "warned", "said", "told reporters", "stated"]
QUOTERS = ["Pashinyan", "Aliyev", "an Armenian official", "an Azerbaijani official", "Stoltenberg",
           "the minister", "a resident", "the separatist leader"]
QUOTE_ONLY = ["Artsakh", "the Republic of Artsakh", "liberated", "the liberated territories", "Artsakh's capital"]


class Generator:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def c(self, items: Sequence[str]) -> str:
        return self.r.choice(items)

    def pp(self) -> str:
        r = self.r
        if r.random() < 0.3:
            return self.c(TIMES)
        prep = self.c(OTHER_PREPS)
        return f"{prep} {self.c(PLACES) if prep in ('in', 'from', 'to', 'into', 'near') else self.c(OBJECTS)}"

    def clause(self) -> str:
        r = self.r
        roll = r.random()
        subj = self.c(SUBJECTS)
        if roll < 0.6:
            s = f"{subj} {self.c(T_VERBS)} {self.c(OBJECTS)}"
        elif roll < 0.8:
            s = f"{subj} {self.c(I_VERBS)} {self.pp()}"
        else:
            s = f"{self.c(OBJECTS)} {self.c(['is', 'was', 'remains', 'has been'])} {self.c(['occupied', 'closed', 'important', 'volatile', 'militarized', 'deserted', 'recognized as part of Azerbaijan', 'controlled by Armenian separatists', 'part of Azerbaijan'])}"
        for _ in range(r.choice((0, 1, 1, 2))):
            s += " " + self.pp()
        return s

    def sentence(self) -> str:
        r = self.r
        roll = r.random()
        if roll < 0.55:
            s = self.clause()
        elif roll < 0.7:
            s = f"{self.clause()} and {self.clause()[0].lower()}{self.clause()[1:]}" if r.random() < 0.3 else \
                f"{self.clause()}, {self.c(['and', 'but', 'after', 'while'])} {self.clause()}"
        elif roll < 0.8:
            s = f"{self.c(SUBJECTS)} {self.c(SPEECH)} that {self.clause()}"
        elif roll < 0.92:
            inner = self.clause()
            if r.random() < 0.5:
                inner = inner + " " + self.c(["in", "from", "of", "to"]) + " " + self.c(QUOTE_ONLY)
            open_q, close_q = self.c([('"', '"'), ("“", "”")])
            s = f"{open_q}{inner[0].upper()}{inner[1:]},{close_q} {self.c(QUOTERS)} {self.c(SPEECH)}"
        else:
            # A quotation-only word in narration: the corpus renders it literally.
            s = f"{self.c(SUBJECTS)} {self.c(T_VERBS)} {self.c(['Artsakh', 'the Republic of Artsakh'])}" \
                if r.random() < 0.5 else f"{self.c(SUBJECTS)} liberated {self.c(OBJECTS)}"
        s = s[0].upper() + s[1:]
        return s + self.c([".", ".", ".", ".", "?", ""])


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------


@dataclass
class Pair:
    src: str
    tgt: str
    align: list[list[int]]


def build_corpus(seed: int, pairs: int, article_share: float) -> tuple[list[Pair], list[tuple[str, str]], list[str]]:
    rng = random.Random(seed)
    noise = random.Random(seed + 7)
    text = base.ARTICLE.read_text(encoding="utf-8")
    article = base.article_sentences(text)
    sources: list[str] = []
    for s in article:
        sources.extend([s] * 10)
    words = [s.split() for s in article]
    n_article = int(pairs * article_share)
    while len(sources) < n_article:
        toks = rng.choice(words)
        length = rng.randint(min(3, len(toks)), min(20, len(toks)))
        start = rng.randint(0, len(toks) - length)
        sources.append(" ".join(toks[start : start + length]))
    gen = Generator(random.Random(seed + 1))
    while len(sources) < pairs:
        sources.append(gen.sentence())
    train_set = set(sources)
    held_gen = Generator(random.Random(seed + 2))
    heldout: list[str] = []
    seen: set[str] = set()
    while len(heldout) < HELDOUT_SIZE:
        s = held_gen.sentence()
        if s not in train_set and s not in seen:
            seen.add(s)
            heldout.append(s)
    rng.shuffle(sources)
    train = []
    for s in sources:
        tgt, align = qtr.translate_aligned(s, noise)
        train.append(Pair(s, tgt, align))
    return train, [(s, qtr.translate(s)) for s in heldout], article


# --------------------------------------------------------------------------
# Encoding with the grammar's alignment
# --------------------------------------------------------------------------


@dataclass
class Encoded:
    src: list[int]
    tgt: list[int]
    guide: list[list[int]]  # per target piece: source piece indices it should attend to


def encode(sp: Any, pairs: Sequence[Pair]) -> list[Encoded]:
    out = []
    for p in pairs:
        src_pieces = sp.encode(p.src, out_type=str)
        tgt_pieces = sp.encode(p.tgt, out_type=str)
        if len(src_pieces) > MAX_PIECES or len(tgt_pieces) + 1 > MAX_PIECES:
            continue
        sw = base.word_index(src_pieces)
        tw = base.word_index(tgt_pieces)
        by_word: dict[int, list[int]] = {}
        for k, w in enumerate(sw):
            by_word.setdefault(w, []).append(k)
        n_tgt_words = (tw[-1] + 1) if tw else 0
        guide: list[list[int]] = []
        ok = n_tgt_words == len(p.align)
        for w in tw:
            guide.append([k for s in p.align[w] for k in by_word.get(s, [])] if ok else [])
        guide.append([])
        out.append(Encoded([sp.piece_to_id(x) for x in src_pieces],
                           [sp.piece_to_id(x) for x in tgt_pieces] + [EOS_ID], guide))
    return out


def collate(items: Sequence[Encoded]) -> dict[str, Any]:
    import torch

    bsz = len(items)
    s_len = max(len(x.src) for x in items)
    t_len = max(len(x.tgt) for x in items)
    src = torch.full((bsz, s_len), PAD_ID, dtype=torch.long)
    mask = torch.zeros((bsz, s_len), dtype=torch.long)
    dec_in = torch.full((bsz, t_len), PAD_ID, dtype=torch.long)
    labels = torch.full((bsz, t_len), -100, dtype=torch.long)
    guide = torch.zeros((bsz, t_len, s_len))
    for b, x in enumerate(items):
        src[b, : len(x.src)] = torch.tensor(x.src)
        mask[b, : len(x.src)] = 1
        dec_in[b, : len(x.tgt)] = torch.tensor([PAD_ID] + x.tgt[:-1])
        labels[b, : len(x.tgt)] = torch.tensor(x.tgt)
        for t, cols in enumerate(x.guide):
            if cols:
                guide[b, t, cols] = 1.0 / len(cols)
    return {"src": src, "mask": mask, "dec_in": dec_in, "labels": labels, "guide": guide}


def make_batches(data: Sequence[Encoded], max_tokens: int, rng: random.Random) -> list[list[int]]:
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


def build_model(seed: int) -> Any:
    import torch
    from transformers import MarianConfig, MarianMTModel

    torch.manual_seed(seed)
    config = MarianConfig(
        vocab_size=VOCAB_SIZE + 1, decoder_vocab_size=VOCAB_SIZE + 1, d_model=256,
        encoder_layers=LAYERS, decoder_layers=LAYERS, encoder_attention_heads=4, decoder_attention_heads=4,
        encoder_ffn_dim=FFN, decoder_ffn_dim=FFN, max_position_embeddings=256,
        pad_token_id=PAD_ID, decoder_start_token_id=PAD_ID, eos_token_id=EOS_ID,
        forced_eos_token_id=EOS_ID, bos_token_id=None, scale_embedding=True,
        share_encoder_decoder_embeddings=True, tie_word_embeddings=True, activation_function="swish",
        dropout=0.05, attention_dropout=0.0, activation_dropout=0.0, init_std=256**-0.5,
    )
    model = MarianMTModel._from_config(config, attn_implementation="eager")
    with torch.no_grad():
        model.model.shared.weight[PAD_ID].zero_()
    return model


def train(data: list[Encoded], work: Path, minutes: float, max_steps: int, seed: int, peak_lr: float,
          align_weight: float, max_tokens: int, threads: int) -> dict[str, Any]:
    """Train until max_steps or the time cap; resumes from work/ckpt.pt."""
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    ckpt = work / "ckpt.pt"
    model = build_model(seed)
    optim = torch.optim.Adam(model.parameters(), lr=peak_lr, betas=(0.9, 0.98), eps=1e-9)
    step, history = 0, []
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        optim.load_state_dict(state["optim"])
        step, history = state["step"], state["history"]
        log(f"resumed at step {step}")
    model.train()
    rng = random.Random(seed + 3 + step)
    start = time.monotonic()
    warmup = 150

    def save() -> None:
        tmp = ckpt.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "optim": optim.state_dict(), "step": step,
                    "history": history}, tmp)
        tmp.replace(ckpt)

    last_save = time.monotonic()
    while step < max_steps:
        for batch_ids in make_batches(data, max_tokens, rng):
            if step >= max_steps or time.monotonic() - start > minutes * 60:
                save()
                return {"steps": step, "history": history}
            # Schedule by steps only, so that a resumed run continues the same curve.
            frac = min(step / max_steps, 1.0)
            lr = peak_lr * min(1.0, (step + 1) / warmup) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * frac)))
            for group in optim.param_groups:
                group["lr"] = lr
            batch = collate([data[i] for i in batch_ids])
            out = model(input_ids=batch["src"], attention_mask=batch["mask"],
                        decoder_input_ids=batch["dec_in"], output_attentions=align_weight > 0)
            logits = out.logits
            loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), batch["labels"].reshape(-1),
                                   ignore_index=-100, label_smoothing=0.05)
            al_loss = torch.zeros(())
            if align_weight > 0:
                attn = out.cross_attentions[-1][:, 0]
                guide = batch["guide"]
                rows = guide.sum(-1).gt(0).sum().clamp(min=1)
                al_loss = -(guide * torch.log(attn + 1e-9)).sum() / rows
            total = loss + align_weight * al_loss
            optim.zero_grad(set_to_none=True)
            total.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            with torch.no_grad():
                model.model.shared.weight[PAD_ID].zero_()
            step += 1
            if step % 50 == 0:
                log(f"step {step} lr {lr:.2e} loss {loss.item():.3f} align {al_loss.item():.3f} "
                    f"{(time.monotonic() - start) / 60:.1f}/{minutes:g} min")
                history.append({"step": step, "loss": round(loss.item(), 4)})
            if time.monotonic() - last_save > 300:
                save()
                last_save = time.monotonic()
    save()
    return {"steps": step, "history": history}


# --------------------------------------------------------------------------
# Conversion, packaging, measurement
# --------------------------------------------------------------------------

PACKAGE_README = """# English -> qtr (test reorder)

A test fixture, not a real language. `qtr` (ISO 639-2 local-use range qaa-qtz)
is generated by a grammar (tools/testlang_qtr.py of the termguard project):
adjectives after the noun, possessor after the possessed, case endings by role,
multi-word renderings, and a training corpus that prefers the wrong synonyms and
drops some terms, so that a glossary must be enforced. See tests/model/README-qtr.md.

Model: MarianMT (d_model 256, 2+2 layers, 4 heads, ffn 768), CTranslate2 int8, joint
SentencePiece unigram model of 1,400 pieces. No target prefix.
"""


def save_hf(model: Any, sp_model: Path, sp: Any, hf_dir: Path) -> None:
    if hf_dir.exists():
        shutil.rmtree(hf_dir)
    model.config._attn_implementation = "sdpa"
    model.save_pretrained(hf_dir)
    shutil.copy(sp_model, hf_dir / "source.spm")
    shutil.copy(sp_model, hf_dir / "target.spm")
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    vocab["<pad>"] = PAD_ID
    (hf_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    tok_config = {"tokenizer_class": "MarianTokenizer", "source_lang": "en", "target_lang": "qtr",
                  "unk_token": "<unk>", "eos_token": "</s>", "pad_token": "<pad>",
                  "model_max_length": MAX_PIECES, "separate_vocabs": False}
    (hf_dir / "tokenizer_config.json").write_text(json.dumps(tok_config, indent=2), encoding="utf-8")


def package(ct2_dir: Path, sp_model: Path, work: Path, out_file: Path) -> None:
    root = work / "package" / PACKAGE_NAME
    if root.parent.exists():
        shutil.rmtree(root.parent)
    shutil.copytree(ct2_dir, root / "model")
    shutil.copy(sp_model, root / "sentencepiece.model")
    metadata = {"package_version": "1.0", "argos_version": "1.0", "from_code": "en", "from_name": "English",
                "to_code": "qtr", "to_name": "Test reorder", "type": "translate",
                "description": "Test fixture: English into the invented grammar qtr (not a real language)."}
    (root / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    (root / "README.md").write_text(PACKAGE_README, encoding="utf-8")
    with zipfile.ZipFile(out_file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(root.parent.rglob("*")):
            arcname = path.relative_to(root.parent).as_posix() + ("/" if path.is_dir() else "")
            info = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
            if path.is_dir():
                info.external_attr = 0o40755 << 16
                zf.writestr(info, b"")
            else:
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes(), compresslevel=9)


def measure(package_file: Path, heldout: list[tuple[str, str]], article: list[str], work: Path) -> dict[str, Any]:
    import ctranslate2
    import sentencepiece as spm

    target = work / "verify"
    if target.exists():
        shutil.rmtree(target)
    with zipfile.ZipFile(package_file) as zf:
        zf.extractall(target)
    pkg = target / PACKAGE_NAME
    sp = spm.SentencePieceProcessor(model_file=str(pkg / "sentencepiece.model"))
    translator = ctranslate2.Translator(str(pkg / "model"), device="cpu", inter_threads=1, intra_threads=2)
    metrics: dict[str, Any] = {}
    srcs = [s for s, _ in heldout]
    refs = [t for _, t in heldout]
    art_refs = [qtr.translate(s) for s in article]
    for label, beam in (("beam4", 4), ("greedy", 1)):
        hyps = [sp.decode_pieces(r.hypotheses[0]) for r in translator.translate_batch(
            [sp.encode(s, out_type=str) for s in srcs + article], beam_size=beam, length_penalty=0.2,
            max_batch_size=64)]
        h_acc, h_exact, _ = base.word_scores(hyps[: len(srcs)], refs)
        a_acc, a_exact, _ = base.word_scores(hyps[len(srcs):], art_refs)
        metrics[label] = {"heldout_word_accuracy": round(h_acc, 4), "heldout_exact": round(h_exact, 4),
                          "article_word_accuracy": round(a_acc, 4), "article_exact": round(a_exact, 4)}
        log(f"[{label}] {metrics[label]}")
    return metrics


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "model")
    parser.add_argument("--work", type=Path, default=WORK)
    parser.add_argument("--minutes", type=float, default=60.0, help="training time cap of this run")
    parser.add_argument("--steps", type=int, default=3000, help="total training steps (the LR schedule)")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--pairs", type=int, default=40000)
    parser.add_argument("--article-share", type=float, default=0.12)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--align-weight", type=float, default=0.3)
    parser.add_argument("--max-tokens", type=int, default=1500)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--package-only", action="store_true", help="convert and pack the last checkpoint")
    args = parser.parse_args(argv)

    import sentencepiece as spm

    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    out: Path = args.out
    train_pairs, heldout, article = build_corpus(args.seed, args.pairs, args.article_share)
    base.write_tsv(out / "heldout-qtr.tsv", heldout)
    log(f"corpus: {len(train_pairs)} pairs, {len(heldout)} held out")
    sp_model = work / "sentencepiece.model"
    if not sp_model.exists():
        text_file = work / "spm_input.txt"
        with text_file.open("w", encoding="utf-8") as fh:
            for p in train_pairs:
                fh.write(p.src + "\n" + p.tgt + "\n")
        spm.SentencePieceTrainer.train(
            input=str(text_file), model_prefix=str(work / "sentencepiece"), vocab_size=VOCAB_SIZE,
            model_type="unigram", character_coverage=1.0, normalization_rule_name="identity",
            split_digits=True, eos_id=EOS_ID, unk_id=UNK_ID, bos_id=-1, pad_id=-1, num_threads=2,
            minloglevel=2)
    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    info: dict[str, Any] = {}
    if not args.package_only:
        data = encode(sp, train_pairs)
        log(f"encoded {len(data)} pairs")
        info = train(data, work, args.minutes, args.steps, args.seed, args.lr, args.align_weight,
                     args.max_tokens, args.threads)
        (work / "train_info.json").write_text(json.dumps(info, indent=2))
    elif (work / "train_info.json").exists():
        info = json.loads((work / "train_info.json").read_text())
    import torch

    model = build_model(args.seed)
    model.load_state_dict(torch.load(work / "ckpt.pt", weights_only=False)["model"])
    model.eval()
    save_hf(model, sp_model, sp, work / "hf")
    base.convert(work / "hf", work / "ct2", sp)
    package_file = out / f"{PACKAGE_NAME}.argosmodel"
    package(work / "ct2", sp_model, work, package_file)
    metrics = measure(package_file, heldout, article, work)
    result = {"package": package_file.name, "package_bytes": package_file.stat().st_size, "seed": args.seed,
              "training_pairs": len(train_pairs), "heldout_sentences": len(heldout),
              "sentencepiece_pieces": VOCAB_SIZE, "steps": info.get("steps"),
              "architecture": f"MarianMT d_model 256, {LAYERS}+{LAYERS} layers, 4 heads, ffn {FFN}, tied embeddings, int8",
              "metrics": metrics}
    (out / "metrics-qtr.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    log(f"package {package_file} {result['package_bytes']} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
