#!/usr/bin/env python3
"""Mines a BANKING77-style keyword intent set from labelled utterances, for benchmarking on real text.

Issue 13's hidden sets are keyword sets of this kind (`../shared/data/banking77/intents-keywords.json`: one
case-insensitive `\\b(?:kw1|kw2|...)\\b` pattern per intent, words joined by `\\s+`, mined from the training
utterances). Given any intent dataset (HWU64, CLINC150, ... wherever the user has it), this writes the same kind of
set from its training split and the query texts from its test split, so `bench/run.sh` can time the matcher on real
utterances (`BENCH_EXTRA_SETS`, see bench/prepare.mjs). Python 3 stdlib only.

Per intent: every word and word pair of its utterances seen at least --min-count times (3) in them, kept when at
least --min-precision (0.75) of its occurrences are in this intent, ranked by precision x sqrt(recall), the first
--keywords (8) kept. On BANKING77's train.csv this gives 90 % of intents-keywords.json's keywords (33 of the 77
intents exactly) and the same spread of keyword counts (68 intents with 8).

  python3 bench/sets/mine_keywords.py --train TRAIN --queries TEST --out DIR/NAME
      writes DIR/NAME.json (the intent set) and DIR/NAME.queries.jsonl ({"text": ...} per line, each text once)

TRAIN and TEST are any mix of:
  - a CSV file with a header: the text in column --text-column (default `text`), the intent in --intent-columns
    (default `category`; several, comma-separated, are joined with `_`), --delimiter (default `,`);
  - a JSON file: a list of [text, intent] pairs, or an object holding such lists under the keys named by --json-keys
    (default `train` for --train, `test` for --queries);
  - a directory: every CSV or JSON file in it, in name order.
Examples: BANKING77 (`--train ../shared/data/banking77/train.csv --queries ../shared/data/banking77/test.csv`);
CLINC150's data_full.json (`--train data_full.json --queries data_full.json --query-keys test,oos_test`); HWU64's
KFold CSVs (`--delimiter ';' --text-column answer_from_anno --intent-columns scenario,intent`).
"""
import argparse
import collections
import csv
import json
import math
import os
import re
import sys

WORD = re.compile(r"[a-z0-9']+")


def words(text):
    return WORD.findall(text.lower())


def grams(text):
    """The words of `text` and its pairs of adjacent words, each once."""
    w = words(text)
    return set(w) | {a + " " + b for a, b in zip(w, w[1:])}


def read_labelled(path, args, json_keys):
    """(text, intent) pairs from a CSV file, a JSON file or a directory of them."""
    if os.path.isdir(path):
        pairs = []
        for name in sorted(os.listdir(path)):
            if name.endswith((".csv", ".json")):
                pairs += read_labelled(os.path.join(path, name), args, json_keys)
        return pairs
    if path.endswith(".json"):
        with open(path, encoding="utf-8") as f:
            try:
                data = json.load(f)
            except ValueError as error:
                sys.exit(f"mine_keywords: {path} is not JSON: {error}")
        lists = [data] if isinstance(data, list) else [data[key] for key in json_keys if key in data]
        if not lists:
            sys.exit(f"mine_keywords: {path} holds none of the keys {json_keys}")
        pairs = []
        for rows in lists:
            for at, row in enumerate(rows):
                if not (isinstance(row, list) and len(row) == 2):
                    sys.exit(f"mine_keywords: {path}: entry {at} is not a [text, intent] pair: {str(row)[:80]}")
                pairs.append((str(row[0]), str(row[1])))
        return pairs
    columns = args.intent_columns.split(",")
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter=args.delimiter)
        missing = [c for c in [args.text_column, *columns] if c not in (reader.fieldnames or [])]
        if missing:
            sys.exit(f"mine_keywords: {path} has no column {missing[0]!r} (columns: {reader.fieldnames})")
        return [(row[args.text_column], "_".join(row[c] for c in columns)) for row in reader if row[args.text_column]]


def mine(train, keywords, min_count, min_precision):
    """One pattern per intent (sorted by name): its most distinctive words and word pairs."""
    in_intent = collections.defaultdict(collections.Counter)
    overall = collections.Counter()
    utterances = collections.Counter()
    for text, intent in train:
        utterances[intent] += 1
        for gram in grams(text):
            in_intent[intent][gram] += 1
            overall[gram] += 1
    intents = []
    for intent in sorted(in_intent):
        scored = []
        for gram, count in in_intent[intent].items():
            precision = count / overall[gram]
            if count >= min_count and precision >= min_precision:
                scored.append((-precision * math.sqrt(count / utterances[intent]), gram))
        chosen = [gram for _, gram in sorted(scored)[:keywords]]
        if chosen:
            alternatives = "|".join(r"\s+".join(re.escape(w) for w in gram.split(" ")) for gram in chosen)
            intents.append({"id": intent, "patterns": [r"\b(?:" + alternatives + r")\b"]})
    return intents


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--out", required=True, help="DIR/NAME: writes NAME.json and NAME.queries.jsonl in DIR")
    parser.add_argument("--keywords", type=int, default=8)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--min-precision", type=float, default=0.75)
    parser.add_argument("--delimiter", default=",")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--intent-columns", default="category")
    parser.add_argument("--json-keys", default="train", help="keys of a JSON object that hold the training pairs")
    parser.add_argument("--query-keys", default="test", help="keys of a JSON object that hold the query pairs")
    args = parser.parse_args()

    train = read_labelled(args.train, args, args.json_keys.split(","))
    intents = mine(train, args.keywords, args.min_count, args.min_precision)
    queries = list(dict.fromkeys(text for text, _ in read_labelled(args.queries, args, args.query_keys.split(","))))
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out + ".json", "w", encoding="utf-8") as f:
        json.dump({"options": {"caseInsensitive": True}, "intents": intents}, f, indent=1, ensure_ascii=False)
    with open(args.out + ".queries.jsonl", "w", encoding="utf-8") as f:
        for text in queries:
            f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    size = sum(len(t.encode()) for t in queries) / max(len(queries), 1)
    print(f"{args.out}: {len(intents)} intents from {len(train)} utterances; {len(queries)} queries, {size:.1f} bytes each")


if __name__ == "__main__":
    try:
        main()
    except (OSError, ValueError, csv.Error) as error:  # a missing file, bad JSON, a malformed CSV: named, no traceback
        sys.exit(f"mine_keywords: {error}")
