"""Writes tests/corpus/cache/get-or-set.json: get-or-set traffic (a miss sets the key) through a full cache bounded
by entries only, the pattern a response cache sees, with held keys set again and deletes now and then, and ages
read back; expectations from a plain ordered-dict LRU model. Run: python3 tests/corpus/tools/get_or_set.py"""
import json
import random
from collections import OrderedDict
from pathlib import Path

MAX = 40
rng = random.Random(20261204)
model = OrderedDict()  # key -> (value, stored_at); last = most recent
stats = {"hits": 0, "misses": 0, "inserts": 0, "evictions": 0, "invalidations": 0}
steps = []
at = 0


def skewed_key():
    # a few hot keys, many cold ones (universe 3 × MAX)
    return f"/item/{min(rng.randrange(3 * MAX), rng.randrange(3 * MAX))}"


def set_(key, value):
    evicted = 0
    if key in model:
        del model[key]
    elif len(model) == MAX:
        model.popitem(last=False)
        evicted = 1
        stats["evictions"] += 1
    model[key] = (value, at)
    stats["inserts"] += 1
    steps.append({"at": at, "op": "set", "key": key, "value": value, "expect": {"evicted": evicted}})


def get(key):
    if key in model:
        model.move_to_end(key)
        stats["hits"] += 1
        expect = model[key][0]
    else:
        stats["misses"] += 1
        expect = None
    steps.append({"at": at, "op": "get", "key": key, "expect": expect})
    return expect


for i in range(MAX):
    set_(f"/item/{i}", i)
for n in range(3000):
    at += rng.choice([0, 0, 1, 7])
    key = skewed_key()
    if get(key) is None:
        set_(key, n)  # get-or-set: a miss stores the key, evicting the least recently used
    if n % 97 == 0:  # age reads when the entry was stored, without touching recency
        probe = skewed_key()
        steps.append({"at": at, "op": "age", "key": probe, "expect": at - model[probe][1] if probe in model else None})
    if n % 401 == 0:
        steps.append({"at": at, "op": "keys", "expect": list(reversed(model.keys()))})
    if n % 613 == 300:  # a set of a held key (it moves, nothing is evicted), then a delete
        held = next(iter(model))
        set_(held, -n)
        gone = list(model)[len(model) // 2]
        del model[gone]
        stats["invalidations"] += 1
        steps.append({"at": at, "op": "delete", "key": gone, "expect": True})
steps.append({"at": at, "op": "keys", "expect": list(reversed(model.keys()))})
steps.append({"at": at, "op": "stats", "expect": {**stats, "entries": len(model)}})

case = {
    "name": "get-or-set traffic through a full cache bounded by entries only (a miss sets the key): values, order, ages and counts",
    "config": {"maxEntries": MAX},
    "steps": steps,
}
out = Path(__file__).resolve().parent.parent / "cache" / "get-or-set.json"
out.write_text(json.dumps(case, indent=None, separators=(", ", ": ")).replace(', {"at"', ',\n    {"at"').replace('[{"at"', '[\n    {"at"') + "\n")
print(f"{out}: {len(steps)} steps, {stats}")
