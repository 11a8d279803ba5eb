#!/usr/bin/env python3
"""Generate the benchmark intent sets in bench/sets/ (deterministic, stdlib only, no network).

    python3 bench/sets/generate.py                 # writes the four files, checks Python re against Node RegExp
    python3 bench/sets/generate.py --check-wasm    # ... and also against the project's own engine (pkg/node)

Outputs (next to this script):
  support-150.json, support-150.queries.jsonl   customer-support intents, case-insensitive, English with ’ £ € é
  bots-1500.json,   bots-1500.queries.jsonl     bot / crawler / HTTP-library user-agent patterns, case-sensitive

Each queries line is {"text", "expected_ids", "expected_first"}: expected_ids are the flat pattern indexes
(patterns numbered from 0 over all intents in declaration order) of every pattern that matches the text, ascending.
They are computed with Python `re` (re.ASCII, plus re.IGNORECASE for the case-insensitive set; `(?<name>` is
rewritten to `(?P<name>`) and independently with Node (`new RegExp(p, "i")` / `new RegExp(p)`, expected.mjs).
The script stops with an error if the two disagree on any text, and also if Python's Unicode mode (no re.ASCII,
the semantics of the project's default `unicode: true`) gives a different answer anywhere, so the expected ids
hold for the ASCII engines (JavaScript) and for Unicode-aware ones alike.
"""

import collections
import json
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SEED = 20240611
N_QUERIES = 3000


# ---------------------------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------------------------

def die(msg):
    sys.exit(f"generate.py: error: {msg}")


def py_pattern(p):
    """JavaScript / Rust named groups `(?<name>` -> Python `(?P<name>`."""
    return re.sub(r"\(\?<([A-Za-z_][A-Za-z0-9_]*)>", r"(?P<\1>", p)


FORBIDDEN = [r"(?=", r"(?!", r"(?<=", r"(?<!", r"\p{", r"\P{", r"(?P<"]


def check_syntax(p):
    """Keep to the syntax JavaScript RegExp and the Rust regex crate share."""
    for f in FORBIDDEN:
        if f in p:
            die(f"pattern uses {f!r}: {p}")
    if re.search(r"\\[1-9]", p):
        die(f"pattern has a backreference: {p}")
    # Escapes: only \b \s \d \w (and \S \D \W) and escaped punctuation that Rust accepts.
    for m in re.finditer(r"\\(.)", p):
        c = m.group(1)
        if c.isalnum() and c not in "bsdwSDW":
            die(f"pattern has escape \\{c}: {p}")
        if not c.isalnum() and c not in ".()[]{}|?*+^$\\":
            die(f"pattern escapes {c!r} (not portable): {p}")
    names = re.findall(r"\(\?<([A-Za-z_][A-Za-z0-9_]*)>", p)
    if len(names) != len(set(names)):
        die(f"pattern repeats a group name: {p}")


def compute_expected(name, patterns, case_insensitive, texts, wasm):
    """Expected flat pattern indexes per text, computed by Python re and by Node RegExp; they must agree."""
    flags = re.ASCII | (re.IGNORECASE if case_insensitive else 0)
    uflags = re.IGNORECASE if case_insensitive else 0
    compiled = [re.compile(py_pattern(p), flags) for p in patterns]
    ucompiled = [re.compile(py_pattern(p), uflags) for p in patterns]
    py = [[i for i, r in enumerate(compiled) if r.search(t)] for t in texts]
    pyu = [[i for i, r in enumerate(ucompiled) if r.search(t)] for t in texts]

    request = {"patterns": patterns, "flags": "i" if case_insensitive else "", "texts": texts}
    if wasm:
        request["wasm"] = wasm
        request["options"] = {"caseInsensitive": case_insensitive}
    proc = subprocess.run(["node", os.path.join(HERE, "expected.mjs")], input=json.dumps(request).encode(),
                          capture_output=True)
    if proc.returncode != 0:
        die(f"{name}: node expected.mjs failed:\n{proc.stderr.decode()}")
    js = json.loads(proc.stdout)

    bad = [(k, t) for k, t in enumerate(texts) if py[k] != js["regexp"][k]]
    for k, t in bad[:10]:
        print(f"  line {k + 1}: python {py[k]} node {js['regexp'][k]}: {t!r}", file=sys.stderr)
    if bad:
        die(f"{name}: Python re and JavaScript RegExp disagree on {len(bad)} texts")
    bad = [(k, t) for k, t in enumerate(texts) if py[k] != pyu[k]]
    for k, t in bad[:10]:
        print(f"  line {k + 1}: ascii {py[k]} unicode {pyu[k]}: {t!r}", file=sys.stderr)
    if bad:
        die(f"{name}: Python re.ASCII and Unicode mode disagree on {len(bad)} texts")
    if wasm:
        bad = [(k, t) for k, t in enumerate(texts) if py[k] != js["wasm"][k]]
        for k, t in bad[:10]:
            print(f"  line {k + 1}: python {py[k]} wasm {js['wasm'][k]}: {t!r}", file=sys.stderr)
        if bad:
            die(f"{name}: Python re and the project's IntentMatcher (wasm) disagree on {len(bad)} texts")
    return py


def ascii_only(f):
    """Apply f to the ASCII letters of a string only (so no engine's non-ASCII case folding is ever exercised)."""
    return lambda s: "".join(f(c) if c.isascii() else c for c in s)


LOWER = ascii_only(str.lower)
UPPER = ascii_only(str.upper)


def recase(text, rng):
    r = rng.random()
    if r < 0.45:
        return text
    if r < 0.72:
        return LOWER(text)
    if r < 0.90:
        return UPPER(text[:1]) + text[1:]
    if r < 0.95:
        return UPPER(text)
    words = text.split(" ")
    return " ".join(UPPER(w) if rng.random() < 0.3 else w for w in words)


# ---------------------------------------------------------------------------------------------------------------
# Keyword-phrase mini language (support set)
#
#   words separated by spaces      -> \s+ between them (a sample gets one space)
#   (a|b|c)                        -> (?:a|b|c); an empty alternative makes the group optional: (ing|) -> (?:ing)?
#   '                              -> [’'] (a sample gets ' or ’)
#   other characters               -> literal (regex metacharacters escaped)
#
# Every phrase must start and end with an ASCII letter or digit in every expansion, so that the surrounding \b
# behaves the same with ASCII and Unicode word characters.
# ---------------------------------------------------------------------------------------------------------------

def dsl_parse(s):
    pos = 0

    def seq():
        nonlocal pos
        items = []
        while pos < len(s) and s[pos] not in "|)":
            c = s[pos]
            if c == "(":
                pos += 1
                alts = [seq()]
                while pos < len(s) and s[pos] == "|":
                    pos += 1
                    alts.append(seq())
                if pos >= len(s) or s[pos] != ")":
                    die(f"unbalanced group in phrase {s!r}")
                pos += 1
                items.append(("alt", alts))
            elif c == " ":
                while pos < len(s) and s[pos] == " ":
                    pos += 1
                items.append(("ws",))
            elif c == "'":
                pos += 1
                items.append(("apos",))
            else:
                pos += 1
                items.append(("lit", c))
        return ("seq", items)

    node = seq()
    if pos != len(s):
        die(f"unbalanced ')' in phrase {s!r}")
    return node


def dsl_regex(node):
    kind = node[0]
    if kind == "seq":
        return "".join(dsl_regex(n) for n in node[1])
    if kind == "ws":
        return r"\s+"
    if kind == "apos":
        return "[’']"
    if kind == "lit":
        c = node[1]
        return "\\" + c if c in ".^$|?*+()[]{}\\" else c
    alts = [dsl_regex(a) for a in node[1]]
    optional = "" in alts
    alts = [a for a in alts if a]
    return "(?:" + "|".join(alts) + ")" + ("?" if optional else "")


def dsl_sample(node, rng, curly):
    kind = node[0]
    if kind == "seq":
        return "".join(dsl_sample(n, rng, curly) for n in node[1])
    if kind == "ws":
        return " "
    if kind == "apos":
        return "’" if curly else "'"
    if kind == "lit":
        return node[1]
    return dsl_sample(rng.choice(node[1]), rng, curly)


class Phrase:
    def __init__(self, src):
        self.src = src
        self.node = dsl_parse(src)
        self.regex = dsl_regex(self.node)
        probe = random.Random(src)
        for _ in range(40):
            t = dsl_sample(self.node, probe, probe.random() < 0.5)
            if not (t[:1].isascii() and t[:1].isalnum() and t[-1:].isascii() and t[-1:].isalnum()):
                die(f"phrase {src!r} can start or end with a non-ASCII-alphanumeric character: {t!r}")

    def sample(self, rng, curly=False):
        return dsl_sample(self.node, rng, curly)


class Raw:
    """A hand-written pattern plus a function producing a text fragment that it matches."""

    def __init__(self, regex, sampler):
        self.regex = regex
        self.sampler = sampler

    def sample(self, rng, curly=False):
        return self.sampler(rng)


# ---------------------------------------------------------------------------------------------------------------
# Support set: slot values
# ---------------------------------------------------------------------------------------------------------------

NAMES = ["Sarah", "James", "Priya", "Tom", "José", "Zoë", "Renée", "Chloé", "François", "Björn", "Ana", "Mohammed",
         "Li Wei", "Sven", "Aoife", "Łukasz", "Emma", "Oliver", "Noémie", "Jürgen", "Inês", "Kemal", "Fatima", "Dan"]
ASCII_NAMES = ["Sarah", "James", "Priya", "Tom", "Ana", "Mohammed", "Sven", "Aoife", "Emma", "Oliver", "Dan", "Kemal"]
CITIES = ["London", "Paris", "Zürich", "São Paulo", "Málaga", "Lisbon", "Berlin", "Madrid", "Kraków", "Montréal",
          "Reykjavík", "Düsseldorf", "Manchester", "New York", "Rome", "Dublin", "Edinburgh", "Córdoba"]
ASCII_CITIES = ["London", "Paris", "Lisbon", "Berlin", "Madrid", "Manchester", "New York", "Rome", "Dublin",
                "Zurich", "Malaga", "Sao Paulo", "Edinburgh", "Amsterdam"]
PRODUCTS = ["jacket", "blue dress", "headphones", "coffee machine", "phone case", "trainers", "laptop bag",
            "sofa cushion", "kids' shoes", "rain coat", "desk lamp", "yoga mat", "kettle", "smart watch strap",
            "espresso cups", "duvet cover", "running shorts", "crème brûlée set", "café table", "wool scarf"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
RELS = ["sister", "brother", "mum", "dad", "wife", "husband", "partner", "flatmate", "colleague", "grandma", "son",
        "daughter", "friend", "neighbour"]
COLOURS = ["black", "navy", "olive", "red", "cream", "grey", "teal", "mustard", "pink"]


def order_id(rng):
    s = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(2)) + "".join(
        rng.choice("0123456789") for _ in range(6))
    return s if rng.random() < 0.85 else s.lower()


def pnr(rng):
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(5)) + rng.choice("23456789")


def amount(rng, symbol=None):
    sym = symbol or rng.choice(["£", "£", "€", "€", "$"])
    n = rng.choice([rng.randint(1, 99), rng.randint(100, 999), rng.randint(1000, 4999)])
    r = rng.random()
    if r < 0.45:
        num = f"{n}.{rng.randint(0, 99):02d}"
    elif r < 0.55:
        num = f"{n},{rng.randint(0, 99):02d}"
    else:
        num = str(n)
    sp = " " if rng.random() < 0.12 else ""
    return f"{sym}{sp}{num}"


def amount_words(rng):
    n = rng.randint(2, 900)
    return f"{n} {rng.choice(['pounds', 'quid', 'euros', 'euro', 'dollars', 'GBP', 'EUR', 'USD', 'CHF', 'francs'])}"


def date_text(rng):
    return rng.choice([
        f"on {rng.choice(DAYS)}", f"last {rng.choice(DAYS)}", f"on the {rng.randint(1, 28)}th",
        f"{rng.randint(1, 28)}/{rng.randint(1, 12):02d}", f"on {rng.randint(1, 28)} {rng.choice(MONTHS)}",
        "yesterday", "a week ago", f"{rng.randint(2, 20)} days ago"])


def phone(rng):
    digits = "".join(rng.choice("0123456789") for _ in range(9))
    return rng.choice([f"07{digits[:3]} {digits[3:]}", f"+44 7{digits[:3]} {digits[3:]}", f"07{digits}"])


def email(rng):
    return f"{rng.choice(ASCII_NAMES).lower()}.{rng.choice(['smith', 'khan', 'silva', 'mueller', 'obrien'])}" \
           f"{rng.randint(1, 99)}@{rng.choice(['gmail.com', 'outlook.com', 'yahoo.co.uk', 'web.de', 'icloud.com'])}"


def fill(template, rng):
    repl = {
        "ORDER": lambda: order_id(rng),
        "PNR": lambda: pnr(rng),
        "AMT": lambda: amount(rng),
        "AMTW": lambda: amount_words(rng),
        "NAME": lambda: rng.choice(NAMES),
        "ANAME": lambda: rng.choice(ASCII_NAMES),
        "CITY": lambda: rng.choice(CITIES),
        "ACITY": lambda: rng.choice(ASCII_CITIES),
        "PRODUCT": lambda: rng.choice(PRODUCTS),
        "DATE": lambda: date_text(rng),
        "DAY": lambda: rng.choice(DAYS),
        "MONTH": lambda: rng.choice(MONTHS),
        "N": lambda: str(rng.randint(2, 21)),
        "REL": lambda: rng.choice(RELS),
        "COLOUR": lambda: rng.choice(COLOURS),
        "PHONE": lambda: phone(rng),
        "EMAIL": lambda: email(rng),
        "TIME": lambda: rng.choice(["10am", "2pm", "11:30", "9 am", "4:15pm", "noon", "14:00"]),
        "GB": lambda: f"{rng.choice([1, 2, 5, 10, 15, 30, 50, 100])}GB",
    }
    return re.sub(r"\{([A-Z]+)\}", lambda m: repl[m.group(1)](), template)


MONEY = r"(?:£|€|\$)\s?\d+(?:[.,]\d{2})?"

R_ORDER = Raw(r"\b(?:order|ref(?:erence)?)\s*(?:no\.?|number|#)?\s*(?<order>[A-Z]{2}\d{6})\b",
              lambda r: f"{r.choice(['order ', 'order #', 'order no. ', 'order number ', 'reference '])}{order_id(r)}")
R_CHARGED = Raw(r"\b(?:charged|billed|debited|took|taken)\s+(?:me\s+)?(?:an?\s+extra\s+)?(?<amount>" + MONEY + ")",
                lambda r: f"{r.choice(['charged', 'billed', 'debited', 'took', 'charged me', 'billed me an extra'])} "
                          f"{amount(r)}")
R_MONEY_NOUN = Raw(MONEY + r"\s+(?:charge|payment|fee|debit|transaction)\b",
                   lambda r: f"{amount(r)} {r.choice(['charge', 'payment', 'fee', 'debit', 'transaction'])}")
R_MONEY_WORDS = Raw(r"\b(?<amount>\d+(?:[.,]\d{2})?)\s?(?:pounds|quid|euros?|dollars|gbp|eur|usd|chf|francs)\b",
                    lambda r: amount_words(r))
R_TRANSFER = Raw(r"\b(?:send|transfer|pay|wire)\s+(?<amount>" + MONEY + r")\s+to\s+(?<recipient>[A-Za-z]+)",
                 lambda r: f"{r.choice(['send', 'transfer', 'pay', 'wire'])} {amount(r)} to {r.choice(NAMES)}")
R_ROUTE = Raw(r"\bflights?\s+from\s+(?<origin>[A-Za-z]+(?:\s[A-Za-z]+)?)\s+to\s+(?<destination>[A-Za-z]+(?:\s[A-Za-z]+)?)",
              lambda r: f"{r.choice(['flight', 'flights'])} from {r.choice(ASCII_CITIES + CITIES)} to "
                        f"{r.choice(ASCII_CITIES + CITIES)}")
R_PNR = Raw(r"\b(?:booking|reservation|pnr)\s*(?:ref(?:erence)?|code|number|no\.?)?\s*[:#]?\s*(?<pnr>[A-Z0-9]{5}\d)\b",
            lambda r: f"{r.choice(['booking ref ', 'booking reference: ', 'reservation code ', 'PNR ', 'booking #'])}"
                      f"{pnr(r)}")
R_REFUND_AMT = Raw(r"\brefund\s+(?:of\s+)?(?<amount>" + MONEY + ")",
                   lambda r: f"refund {r.choice(['of ', ''])}{amount(r)}")
R_PHONE = Raw(r"(?<phone>(?:\+44\s?|\b0)7\d{3}\s?\d{6})\b", lambda r: phone(r))
R_EMAIL = Raw(r"\b(?<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)", lambda r: email(r))
R_GREETING = Raw(r"^\s*(?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening)|howdy|greetings|bonjour|hola)\b",
                 lambda r: r.choice(["Hi", "Hello", "hey", "Hiya", "Good morning", "good evening", "Bonjour", "Hola"]))
R_CARD_GAP = Raw(r"\bcard\b.*\b(?:lost|stolen|missing|nicked)\b",
                 lambda r: f"card {r.choice(['has been', 'was', 'is', 'got'])} {r.choice(['lost', 'stolen', 'nicked'])}")
R_CANCEL_GAP = Raw(r"\bcancel(?:led|ling)?\b.*\border\b",
                   lambda r: f"cancel {r.choice(['the whole', 'my last', 'that'])} order")
R_CHECKIN_TIME = Raw(r"\b(?:check(?:-|\s+)?in|arrive)\s+(?:at|by|before|after)\s+(?<time>\d{1,2}(?::\d{2})?\s?(?:am|pm)?)",
                     lambda r: f"{r.choice(['check in', 'check-in', 'arrive'])} {r.choice(['at', 'by', 'after'])} "
                               f"{r.choice(['10am', '2pm', '11:30', '9 am', '4:15pm', '23:00'])}")
R_MOVE_DATE = Raw(r"\b(?:change|move)\b.*\bto\s+(?<date>\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)",
                  lambda r: f"{r.choice(['change it', 'move my flight', 'change the booking'])} to "
                            f"{r.randint(1, 28)}{r.choice(['', 'th'])} {r.choice(MONTHS)}")
R_DATA_GB = Raw(r"\b(?<gb>\d+)\s?gb\b", lambda r: f"{r.choice([1, 2, 5, 10, 20, 50, 100])}{r.choice(['GB', ' GB', 'gb'])}")


def I(iid, patterns, utterances, priority=0):
    return {"id": iid, "priority": priority, "patterns": patterns, "utterances": utterances}


# Each intent: id, 1-3 patterns (a list of DSL phrases becomes \b(?:p1|p2|...)\b; a Raw is used as written),
# hand-written utterances for the query generator, and a priority.
SUPPORT = [
    # --- orders -------------------------------------------------------------------------------------------------
    I("orders.order_status", [
        ["(courier|carrier) (website|tracking|page)", "(royal mail|dpd|dhl|ups|evri|hermes|fedex) tracking", "out for delivery", "(dispatched|shipped) (yet|already)"],
        ["where (is|'s) my (order|parcel|package)", "track(ing|) (number|link|code)", "order status",
         "status of my order", "has my (order|parcel) (shipped|been shipped|been dispatched)",
         "when will my (order|parcel|package) (arrive|be delivered|come)", "track my (order|parcel|package)"],
        R_ORDER],
        ["Where is my order {ORDER}? It was supposed to arrive {DATE}.",
         "hi can u tell me when my parcel will arrive, I ordered the {PRODUCT} {N} days ago"]),
    I("orders.cancel_order", [
        ["cancel (my|the|this) order", "cancel order", "(don't|do not) want (the|this|my) order anymore",
         "stop my order", "cancel (the|my) purchase", "ordered (it |)by mistake", "cancel before (it ships|dispatch)"],
        R_CANCEL_GAP],
        ["I ordered the {PRODUCT} by mistake, can you cancel my order before it ships?",
         "Please cancel order {ORDER}, I found it cheaper elsewhere"]),
    I("orders.change_order", [
        ["change my order", "modify (my|the) order", "add (an item|something|items) to my order",
         "remove (an item|something) from my order", "change the (size|colour|color|quantity)",
         "amend (my|the) order"]],
        ["Can I still change the size on my order? I need a medium not a large",
         "I want to add something to my order {ORDER} if it hasn't shipped"]),
    I("orders.change_delivery_address", [
        ["change (my|the) (delivery|shipping) address", "wrong (delivery |)address", "(update|edit) (my|the) address",
         "deliver to a different address", "moved house", "ship to (another|a different) address"]],
        ["I put the wrong address on my order, I moved house last month",
         "Is it possible to deliver to a different address? I'm staying with my {REL} in {CITY}"]),
    I("orders.missing_item", [
        ["missing (item|items|from my order)", "item (is|was) missing", "(didn't|did not) (get|receive) (all|everything)",
         "only (got|received) (one|part|half)", "package was empty", "something (is|was) missing"]],
        ["Only got one of the two {PRODUCT} I ordered, the other item is missing",
         "Parcel came today but something was missing from the box"]),
    I("orders.wrong_item", [
        ["wrong (item|product|size|colour|color)", "(sent|received|got) the wrong", "not what I ordered",
         "different (item|product) than", "isn't what I ordered"]],
        ["You sent the wrong colour, I ordered {COLOUR} and got {COLOUR}",
         "this isn't what I ordered?? I got a {PRODUCT} instead of a {PRODUCT}"]),
    I("orders.damaged_item", [
        ["(box|parcel|package) (was |)(crushed|soaked|wet|ripped|torn open)", "(leaking|leaked|smashed|shattered) (in|on) (the |)(box|arrival|delivery|transit)", "(stain|stains|scratch|scratches|dent|dents|hole) (on|in) (it|the)", "(missing|broken) (parts|pieces|screws)"],
        ["(arrived|came) (damaged|broken|smashed|cracked)", "damaged (item|product|parcel|package|box)",
         "broken on arrival", "(is|was) (broken|cracked|torn|dented)", "screen (is|was) cracked",
         "faulty (item|product|unit)"]],
        ["My {PRODUCT} arrived damaged, the box was crushed", "The kettle came broken, what do I do?"]),
    I("orders.delivery_delay", [
        ["(parcel|order|package) (is |)(stuck|lost) in (transit|customs)", "no (update|updates|movement) (on|in) (tracking|the tracking)", "estimated delivery (date|day) (passed|has passed|was)", "(should|was supposed to) (have |)(arrived|come) (by|on|yesterday|last)"],
        ["(order|parcel|package|delivery) (is|was) (late|delayed)",
         "(hasn't|has not|still hasn't|still has not) arrived", "(still|never) (arrived|received)", "running late",
         "delayed (delivery|shipment|parcel)", "taking (so|too) long"]],
        ["My parcel still hasn't arrived and it's been {N} days", "why is delivery taking so long?? ordered {DATE}"]),
    I("orders.delivery_options", [
        ["next day delivery", "express (delivery|shipping)", "(same|next) day (delivery|shipping)",
         "delivery options", "shipping (options|methods|times)",
         "how long (does|will) (delivery|shipping) take", "click and collect"]],
        ["Do you do next day delivery to {CITY}?", "What delivery options are there for a {PRODUCT}?"]),
    I("orders.shipping_cost", [
        ["shipping (cost|costs|fee|fees|charge)", "delivery (cost|costs|fee|fees|charge)", "free (shipping|delivery)",
         "how much is (shipping|delivery|postage)", "postage (cost|costs|fee)"]],
        ["How much is postage to {CITY}?", "Is there free delivery over {AMT}?"]),
    I("orders.international_shipping", [
        ["(ship|deliver) (to|outside) (the uk|europe|the us|usa|canada|australia|switzerland|brazil|spain)",
         "international (shipping|delivery|orders)", "ship (abroad|overseas|internationally)",
         "customs (fees|charges|duty|duties)", "import (duty|duties|tax)"],
        ["deliver to (z(ü|u|ue)rich|s(ã|a)o paulo|m(á|a)laga|lisbon|dublin)", "shipping to (switzerland|brazil|spain)",
         "(uk|eu) to (switzerland|brazil|norway)", "outside the (eu|uk)"]],
        ["Do you ship to Switzerland? I live in Zürich", "Will I have to pay customs charges if you deliver to São Paulo?"]),
    I("orders.pickup_point", [
        ["parcel (locker|shop|point)", "(pickup|pick up|pick-up) point", "collection point", "locker code",
         "collect from (a|the) (locker|store|shop)"]],
        ["The locker code doesn't work at the parcel locker on the high street",
         "Can I collect from the store in {CITY} instead?"]),
    I("orders.delivery_instructions", [
        ["leave (it|the parcel|the package) (with|at|in|by) (a|my|the) (neighbour|neighbor|door|porch|garage|reception)",
         "safe place", "delivery (instructions|note)", "(ring|knock) the (bell|door)",
         "(don't|do not) leave (it|the parcel)"]],
        ["Can you leave the parcel with my neighbour at number {N}?", "Please add a delivery note: ring the bell twice"]),
    I("orders.missed_delivery", [
        ["missed (the|my) (delivery|parcel|courier)", "(wasn't|was not) (home|in) when", "(card|note) through (the|my) door",
         "redeliver(y|)", "rearrange (the|my|a) delivery", "(courier|driver) (never|didn't) (came|come|knock|ring)"]],
        ["I missed the delivery {DATE}, can you redeliver tomorrow?",
         "Got a card through the door but I wasn't home when they came"]),
    I("orders.proof_of_delivery", [
        ["(says|marked|shows) (as |)delivered but", "(says|marked) delivered", "never (received|got) (it|my parcel|the parcel)",
         "proof of delivery", "delivered to the wrong (address|house|person)", "not (received|delivered) but"]],
        ["Tracking says delivered but I never got it", "I think it was delivered to the wrong house, can I see proof of delivery?"]),
    I("orders.stock_availability", [
        ["(back|in) stock", "out of stock", "sold out", "restock(ed|ing|)", "when will (it|this|the) be available",
         "(notify|tell) me when (available|it's available)", "(is|are) (this|these|it) available"]],
        ["When will the {COLOUR} {PRODUCT} be back in stock?", "Is this available in size 8? It says sold out"]),
    I("orders.product_info", [
        ["(size|sizing) (guide|chart)", "what size (should|do) I", "(is|are) (it|this|these) (waterproof|washable|dishwasher safe|vegan)",
         "product (details|dimensions|specs|specifications)", "made of", "(material|fabric) (is|of)"],
        ["(fit|fits) (true|small|large) to size", "(how|what) (big|wide|tall|heavy) is", "(dimensions|measurements) of",
         "(compatible|works) with (my|the|an) (iphone|android|ipad|laptop)"]],
        ["Is the {PRODUCT} waterproof?", "What are the dimensions of the {PRODUCT}, will it fit a small flat?"]),
    I("orders.price_match", [
        ["price match(ing|)", "cheaper (elsewhere|on|at|somewhere)", "(price|prices) (dropped|went down|reduced)",
         "lower price", "match the price", "price (drop|difference) refund"]],
        ["Do you price match? It's {AMT} cheaper on another site", "The price dropped a day after I bought it"]),
    I("orders.discount_code", [
        ["(discount|promo|voucher|coupon|promotional) code", "code (isn't|is not|doesn't|does not) (work|working|apply|valid)",
         "apply (a|the|my) (code|voucher|coupon)", "invalid (code|voucher|coupon)", "student discount"]],
        ["My discount code isn't working at checkout", "Where do I apply the voucher my {REL} gave me?"]),
    I("orders.gift_card", [
        ["gift (card|cards|voucher|vouchers)", "e-gift card", "gift card balance", "redeem (a|my|the) gift",
         "(café|cafe) (voucher|gift card)"]],
        ["How do I check my gift card balance?", "Can I use the café voucher online or only in store?"]),
    I("orders.gift_wrap", [
        ["gift (wrap|wrapping|wrapped|message|receipt)", "wrap (it|this) as a gift", "send (it|this) as a gift",
         "hide the price"]],
        ["Can you gift wrap the {PRODUCT} and hide the price? It's for my {REL}"]),
    I("orders.loyalty_points", [
        ["loyalty (points|card|scheme|programme|program)", "(reward|rewards) (points|balance)", "my points",
         "points balance", "earn points", "redeem (my |)points"]],
        ["My loyalty points from the last order haven't shown up", "how do I redeem points on the app"]),
    I("orders.wishlist", [
        ["wish( |)list", "save (it|this|items) for later", "saved items", "favourites list", "(share|sharing) my (list|wishlist)"]],
        ["My wishlist disappeared after the update", "Can I share my wish list with my {REL}?"]),
    I("orders.checkout_problem", [
        ["(can't|cannot|unable to) (check out|checkout|complete (my|the) (order|purchase))",
         "checkout (error|problem|issue|page|keeps)", "(basket|cart) (is empty|keeps emptying|won't update|not updating)",
         "stuck (at|on) (the |)checkout", "payment page"]],
        ["I can't checkout, the page just spins", "My basket keeps emptying when I log in"]),
    I("orders.order_confirmation", [
        ["(no|didn't get|did not get|never got|haven't received) (an |the |my |a |)(order |)confirmation",
         "confirmation (email|e-mail)", "order (number|reference)", "resend (the|my) (confirmation|receipt|invoice)"]],
        ["I didn't get an order confirmation, did it go through?", "can you resend the confirmation email to {EMAIL}"]),
    I("orders.invoice_request", [
        ["(vat|tax) invoice", "invoice for my", "(send|need|get) (me |)(an|a|the) (invoice|receipt)",
         "copy of (my|the) (receipt|invoice)", "company invoice", "invoice address"]],
        ["I need a VAT invoice for my order {ORDER} for work", "Can you send me a copy of the receipt?"]),
    I("orders.warranty", [
        ["warranty", "guarantee (claim|period)", "under guarantee", "manufacturer('s|) warranty", "extended warranty",
         "(stopped|has stopped) working after"]],
        ["My {PRODUCT} stopped working after {N} months, is it under warranty?"]),
    I("orders.repair_service", [
        ["repair (service|centre|center|shop)", "(get|have) (it|this) (repaired|fixed)", "send (it|this) (in |)for repair",
         "book a repair", "spare parts"]],
        ["Can I get it repaired? the handle snapped", "Do you sell spare parts for the {PRODUCT}?"]),
    I("orders.preorder", [
        ["pre(-| |)order", "release date", "when (is|does) (it|this) (released|come out|launch)", "reserve (one|a copy)"]],
        ["If I pre-order now will I get it on release date?", "Can I reserve one for pickup in {CITY}?"]),
    I("orders.bulk_order", [
        ["bulk (order|orders|buy|discount|pricing)", "wholesale", "trade account", "(large|big) (quantity|quantities|order)",
         "corporate (order|orders|gifts)"],
        ["(50|100|200|500) (units|pieces|items|of them)", "for (our|my) (team|office|staff|company)",
         "(quote|quotation) for", "(volume|quantity) discount"]],
        ["Do you offer bulk pricing? We need 200 units for our office", "Looking for corporate gifts for my team"]),

    # --- returns & refunds --------------------------------------------------------------------------------------
    I("returns.return_item", [
        ["return (an|the|this|my|a) (item|order|product|parcel|jacket|dress|phone)", "(how|where) (do|can) I return",
         "send (it|this|them) back", "returns (policy|label|form|portal)", "return (label|form|policy)", "start a return"]],
        ["How do I return a jacket that doesn't fit?", "I want to send it back, the {PRODUCT} is too small"]),
    I("returns.refund_status", [
        ["refund (pending|processing|processed)", "(returned|sent back) (it|the item|the parcel) (weeks|days|a week|a month) ago", "(how long|when) (does|do) (a |the |)(refund|refunds) take", "refund (reference|confirmation)"],
        ["where (is|'s) my refund", "refund status", "(still|haven't|have not|not) (got|received|had) (my |a |the |)refund",
         "refund (hasn't|has not|not) (arrived|shown|come|gone) through",
         "when will I (get|receive) my (refund|money back)", "waiting for (my|a) refund"],
        R_REFUND_AMT],
        ["I returned the {PRODUCT} {DATE} and still haven't got my refund", "where's my refund of {AMT}?"]),
    I("returns.refund_request", [
        ["(want|need|like) (a|my) refund", "(full|partial) refund", "money back", "refund (me|my money|the difference)",
         "reimburse(ment|)"]],
        ["I want a full refund, the {PRODUCT} is rubbish", "Can I just get my money back please"]),
    I("returns.exchange_item", [
        ["exchange (it|this|the|for)", "swap (it|this) for", "(different|bigger|smaller) size",
         "(exchange|replacement) (item|order|size)"]],
        ["Can I exchange it for a bigger size?", "I'd like to swap this for the {COLOUR} one"]),
    I("returns.return_label", [
        ["(return|returns|prepaid|printable) (label|slip)", "(print|printer) (a |the |)label", "no printer",
         "qr code for (the |my |)return"]],
        ["I don't have a printer, can I get a QR code for the return?", "the prepaid label link is broken"]),
    I("returns.return_window", [
        ["(how long|how many days) (do I have|have I got) to return", "return (window|period|deadline)",
         "(14|28|30|60) days to return", "past the return (window|date|period)", "too late to return"]],
        ["How long do I have to return something bought in the sale?", "Is it too late to return? It's been 35 days"]),
    I("returns.refund_method", [
        ["refund (to|onto) (my|a|the) (card|account|paypal|original)", "store credit", "refund as (credit|a voucher)",
         "(original|same) payment method"]],
        ["Will the refund go to my card or as store credit?", "My card expired, can you refund to my PayPal?"]),
    I("returns.return_collection", [
        ["(collect|pick up|pickup) (the |my |)return", "courier (collection|pickup|pick up)", "arrange (a |)collection",
         "book a (collection|pickup)"]],
        ["Can you arrange a collection for the {PRODUCT}? It's too heavy to take to the post office"]),
    I("returns.return_fee", [
        ["restocking fee", "return (fee|fees|charge|cost)", "(pay|charged) (for |)return (shipping|postage)",
         "free returns"]],
        ["Are returns free or do I pay for return postage?", "Why was I charged a restocking fee?"]),
    I("returns.return_rejected", [
        ["return (was |)(rejected|refused|declined)", "(refused|rejected|declined) my return",
         "refund (was |)(rejected|refused|denied|declined)", "(won't|will not) (accept|refund) (my|the) return"]],
        ["Why was my return rejected? The tags were still on", "You refused my return for no reason"]),

    # --- payments & billing -------------------------------------------------------------------------------------
    I("billing.payment_declined", [
        ["(card|payment) (was |keeps being |got |)(declined|rejected|refused|failed)",
         "payment (failed|not going through|won't go through|didn't go through|error)", "transaction (failed|declined)",
         "(can't|cannot) (pay|make a payment)"]],
        ["My card keeps being declined but there's money on it", "Payment won't go through on the app"]),
    I("billing.double_charge", [
        ["(same|one) (payment|transaction) (twice|two times)", "(taken|debited|charged) (twice|two times|again)", "(second|extra|duplicate) (charge|payment|debit)", "charged me (twice|again|two times)"],
        ["charged (twice|two times|double|multiple times|three times)", "double (charge|charged|payment)",
         "duplicate (charge|payment|transaction)", "paid twice", "two (charges|payments) for"]],
        ["I've been charged twice for order {ORDER}", "There are two payments for the same thing on my statement"],
        priority=10),
    I("billing.unknown_charge", [
        ["(don't|do not) recogni(s|z)e (this|a|the) (charge|payment|transaction)", "unknown (charge|payment|transaction)",
         "(unauthori(s|z)ed|fraudulent) (charge|payment|transaction)", "(what|who) is this (charge|payment)",
         "(never|didn't) (authori(s|z)e|make) (this|that) (payment|purchase)"],
        R_MONEY_NOUN],
        ["I don't recognise a {AMT} charge from {DATE}", "What is this payment on my card? I never made this purchase"],
        priority=10),
    I("billing.payment_methods", [
        ["payment (methods|options)",
         "pay (with|by|using) (paypal|apple pay|google pay|klarna|bank transfer|cash|cheque|check|crypto|bitcoin)",
         "(do|can) you (accept|take) (paypal|amex|american express|klarna|cash|crypto)", "(accepted|available) payment"]],
        ["Can I pay with PayPal?", "Do you accept Amex or only Visa?"]),
    I("billing.pay_later", [
        ["(klarna|clearpay|afterpay|paypal credit|laybuy)", "pay (in|over) (3|three|4|four|installments|instalments)",
         "(buy now pay later|buy now, pay later)", "(monthly|interest free) (payments|installments|instalments)"]],
        ["Can I pay in 3 instalments?", "Is Klarna available for orders over {AMT}?"]),
    I("billing.update_payment_method", [
        ["(update|change|replace) (my |the |)(card|payment) (details|method|info)", "(new|expired) card",
         "card (has |)expired", "remove (my|a|the) (saved |)card", "add a (new |)card"]],
        ["My card expired, how do I update my payment details?", "Please remove my saved card"]),
    I("billing.billing_address", [
        ["billing address", "(change|update) (my |the |)billing", "address (doesn't|does not) match",
         "postcode (doesn't|does not|won't) (match|verify)"]],
        ["It says my billing address doesn't match but it's correct"]),
    I("billing.currency", [
        ["(which|what) currency", "pay in (euros|pounds|dollars|gbp|eur|usd|sterling|francs)",
         "(currency|exchange) (conversion|rate|fee)", "charged in (euros|dollars|pounds|francs)",
         "foreign (transaction|currency) fee"],
        R_MONEY_WORDS],
        ["Can I pay in euros? I'm in Málaga", "Why was I charged in dollars, I'm in the UK"]),
    I("billing.charge_amount", [R_CHARGED], ["You charged me {AMT} but the price was {AMT}",
                                             "billed {AMT} for a {PRODUCT}??"], priority=5),
    I("billing.vat_tax", [
        ["vat (number|registration|exempt|included)", "sales tax", "tax (exempt|exemption|included|rate)",
         "(include|including|excluding|ex) vat"]],
        ["Are prices including VAT?", "We are tax exempt, can you remove sales tax?"]),
    I("billing.late_payment", [
        ["late (payment|fee|fees)", "missed (a |my |)payment", "payment (reminder|overdue)", "overdue (bill|invoice|payment)",
         "debt collect(or|ors|ion)", "payment plan"]],
        ["I missed a payment, will I get a late fee?", "Got a letter from a debt collector, what is this?"]),

    # --- account ------------------------------------------------------------------------------------------------
    I("account.create_account", [
        ["(create|open|set up|make|register) (an|a new|a) account", "sign( |)up", "registration (page|form|email)",
         "new customer account", "register (for|with)"]],
        ["How do I create an account? The sign up page won't load", "can I register with my work email"]),
    I("account.delete_account", [
        ["(delete|close|remove|deactivate|terminate) (my|the) account", "account (deletion|closure)",
         "erase (my|all my) data", "right to be forgotten", "gdpr (request|deletion)"]],
        ["Please delete my account and erase all my data", "How do I close my account?"]),
    I("account.reset_password", [
        ["(reset|forgot|forgotten|change|recover) (my |the |)password", "password reset",
         "(can't|cannot) remember (my|the) password", "reset link", "new password"]],
        ["I forgot my password and the reset link never arrives", "how do I change my password"]),
    I("account.login_problem", [
        ["(password|login) (isn't|is not|doesn't|does not) work", '(keeps|keep) (logging|signing) me out', '(error|message) when (I |)(log|sign) in', "(can't|cannot) (get|getting) (into|in to) my account"],
        ["(can't|cannot|unable to) (log in|login|sign in|log on|access my account)",
         "(login|log in|sign in) (problem|issue|error|failed|not working)", "locked out",
         "account (is |was |has been |)(locked|blocked|suspended|frozen)", "incorrect password"]],
        ["I can't log in, it says incorrect password", "My account has been locked, why?"]),
    I("account.two_factor", [
        ["(two|2)(-| )factor", "2fa", "verification code", "(sms|security|one time|one-time|otp) code",
         "authenticator app", "(didn't|did not|never) (get|receive) the code"]],
        ["I never get the verification code by SMS", "Lost my phone and can't do 2FA"]),
    I("account.change_email", [
        ["(change|update) (my |the |)(email|e-mail)( address|)", "new email address", "(wrong|old) email",
         "email (address |)(is |)wrong"],
        R_EMAIL],
        ["Please change my email to {EMAIL}", "My old email doesn't work anymore"]),
    I("account.change_name", [
        ["(change|update|correct) (my |the |)name", "name (is |)(misspelt|misspelled|spelled wrong|wrong)",
         "(married|maiden) name", "legal name"]],
        ["I got married, how do I update my name?", "My name is misspelt on the account, it's {NAME}"]),
    I("account.update_phone", [
        ["(change|update) (my |the |)(phone|mobile|telephone) number", "new (phone|mobile) number",
         "(phone|mobile) number (is |)(wrong|changed|outdated)", "(lost|changed) my (phone|mobile) number"],
        R_PHONE],
        ["I have a new mobile number: {PHONE}", "Can you update my phone number please"]),
    I("account.account_hacked", [
        ["(hacked|compromised)", "someone (else |)(logged|got) into my account",
         "(suspicious|unusual|strange) (activity|login|log in|sign in)",
         "(didn't|did not) (change|make) (that|this|these) (change|changes)", "phishing",
         "scam (email|text|call|message)"]],
        ["I think my account was hacked, there's an order I didn't make", "Got a phishing email pretending to be you"],
        priority=20),
    I("account.privacy_data", [
        ["(my|personal) data", "privacy (policy|settings|notice)", "(subject access|data access) request", "(sar|dsar)",
         "(download|export) my data", "what data do you (have|hold|store)"]],
        ["I'd like to make a subject access request", "What data do you hold about me?"]),
    I("account.marketing_emails", [
        ["unsubscribe", "(stop|too many) (marketing|promotional|spam) (emails|e-mails|texts|messages)",
         "(stop|stop sending) (me |)(emails|texts|newsletters)", "opt(-| |)out", "newsletter"]],
        ["Stop sending me emails, I've unsubscribed three times", "How do I opt out of the newsletter?"]),
    I("account.notifications", [
        ["(turn|switch) off (notifications|alerts|push)", "notification (settings|preferences)",
         "(too many|stop) (notifications|alerts|push notifications)", "push notifications"]],
        ["How do I turn off notifications on the app?"]),
    I("account.language_settings", [
        ["change (the |)language", "language (settings|option)", "(speak|speaks|speaking) (english|french|german|spanish|portuguese)",
         "(site|app|website) in (english|french|german|spanish|portuguese|italian)"]],
        ["The app is in German, how do I change the language?", "Is there someone who speaks Portuguese?"]),

    # --- banking ------------------------------------------------------------------------------------------------
    I("banking.card_lost", [
        ['(left|dropped) my (card|wallet|purse) (in|on|at)', '(pickpocket|pickpocketed|mugged|robbed)', '(someone|somebody) (took|has) my (card|wallet|purse)', "(can't|cannot) find my (card|wallet|purse)"],
        ["(lost|misplaced|can't find) my (card|debit card|credit card|wallet)",
         "(card|wallet) (was |has been |got |)(lost|stolen|nicked)", "stolen (card|wallet|purse)",
         "(freeze|block|cancel) my card", "report (a |my |)(lost|stolen) card"],
        R_CARD_GAP],
        ["I lost my card in {CITY}, please freeze it", "My wallet was stolen on the train with my debit card in it"],
        priority=20),
    I("banking.card_arrival", [
        ["(new |my |replacement |)card (hasn't|has not|still hasn't|not) (arrived|come)",
         "when will (my|the) (new |)card (arrive|come)", "card (delivery|arrival)",
         "(haven't|have not|never) (received|got) my card", "track my card"]],
        ["My new card still hasn't arrived, ordered {DATE}", "When will the card come? I'm travelling to {CITY} soon"]),
    I("banking.activate_card", [
        ["activat(e|ing|ion) (my |the |a |)(card|new card)", "card activation", "activate (it|my account)",
         "(how|where) (do|can) I activate"]],
        ["How do I activate my new card?", "Card activation fails in the app"]),
    I("banking.card_pin", [
        ["(forgot|forgotten|change|reset|unblock|unlock) (my |the |)pin", "pin (number|code|blocked|locked)", "wrong pin",
         "view (my |)pin"]],
        ["I forgot my PIN, where can I view it?", "Entered the wrong PIN three times and now it's blocked"]),
    I("banking.contactless", [
        ["contactless", "tap to pay", "tap (my |the |)card", "contactless (limit|payment|not working)"]],
        ["Contactless isn't working in shops", "What's the contactless limit in {CITY}?"]),
    I("banking.atm", [
        ["(atm|cash machine|cashpoint)", "withdraw(al|) (cash|money)", "cash withdrawal",
         "(atm|machine) (kept|swallowed|ate|retained) (my |the |)card",
         "(didn't|did not) (dispense|give me) (the |any |my |)(cash|money)"]],
        ["The cash machine kept my card", "ATM didn't give me the money but my account was debited {AMT}"]),
    I("banking.transfer_money", [
        ["(international|foreign|swift|sepa) (transfer|payment)", "(send|sending|transfer) money (abroad|overseas|internationally)", "(faster|instant) payment", "(pay|paying) (someone|a friend) (back|using their)"],
        ["(transfer|send|move) (money|funds|cash)", "bank transfer", "(make|do) a transfer",
         "transfer (to|between) (my |)(account|accounts|savings|someone)",
         "(send|pay) (money |)(to|abroad) (a friend|someone|family)"],
        R_TRANSFER],
        ["How do I send money to a friend abroad?", "Send {AMT} to {NAME} please"]),
    I("banking.transfer_pending", [
        ["transfer (is |)(pending|stuck|delayed|not arrived|hasn't arrived)", "(pending|stuck) (transfer|payment|transaction)",
         "money (hasn't|has not|not) (arrived|shown up|come through|gone through)",
         "(how long|when) (does|will) (a|the|my) transfer"]],
        ["My transfer is pending since {DATE}", "The money hasn't arrived in my {REL}'s account"]),
    I("banking.transfer_failed", [
        ["transfer (failed|declined|was declined|rejected|bounced)", "(failed|rejected|returned|bounced) (transfer|payment)",
         "(payment|transfer) (was |)(returned|reversed|sent back)", "(why|how come) (did|was) my transfer"]],
        ["Why did my transfer fail?", "The payment was returned to my account"]),
    I("banking.wrong_recipient", [
        ["(wrong|incorrect) (account|recipient|person|payee|iban|sort code)", "sent (money |it |)to the wrong",
         "(recall|reverse|cancel) (a|the|my) (transfer|payment)", "paid the wrong"]],
        ["I sent money to the wrong account, can you reverse the payment?"]),
    I("banking.account_details", [
        ["(iban|swift|bic|sort code|routing number)", "account (number|details)", "bank details",
         "(find|where are) my account details"]],
        ["Where do I find my IBAN and BIC?", "What's the sort code for my account?"]),
    I("banking.exchange_rate", [
        ["exchange rate", "(currency|fx) (exchange|rate|fee)", "(convert|exchange) (pounds|euros|dollars|currency|money)",
         "(pounds|euros|dollars|francs) (to|into) (euros|pounds|dollars|francs)"]],
        ["What exchange rate do you use for pounds to euros?", "I'm going to Zürich, can I convert money to francs?"]),
    I("banking.top_up", [
        ["top(-| |)up (my |the |)(account|wallet|card|balance)", "add (money|funds|cash) to (my|the) (account|wallet|card)",
         "top(-| |)up (failed|declined|pending|limit)", "load (money|funds)"]],
        ["My top up failed but the money left my bank", "How do I add money to my account with Apple Pay?"]),
    I("banking.direct_debit", [
        ["direct debit", "standing order", "(cancel|set up|stop) (a|the|my) (direct debit|standing order|recurring payment)",
         "recurring (payment|payments)", "mandate"]],
        ["How do I cancel a direct debit?", "Set up a standing order of {AMT} a month"]),
    I("banking.overdraft", [
        ["overdraft", "overdrawn", "(negative|minus) balance", "arranged (overdraft|borrowing)",
         "(go|gone|went) (into the red|overdrawn)"]],
        ["Can I get an overdraft?", "Why is my balance negative? I went overdrawn by {AMT}"]),
    I("banking.balance", [
        ["(my|account|current|available) balance", "(how much|what) (money |)(do I have|is in my account|is left)",
         "check (my |)balance", "balance (enquiry|inquiry)"]],
        ["What's my current balance?", "How much money do I have left this month"]),
    I("banking.statement", [
        ["(bank|account|monthly) statement", "statements", "transaction history", "proof of (address|funds|income)"]],
        ["I need a bank statement as proof of address", "Where can I download my transaction history?"]),
    I("banking.loan", [
        ["(personal|car) loan", "borrow money", "loan (application|repayment|rate|interest|calculator)",
         "(apply|applying) for (a|an) (loan|credit card)", "interest rate"]],
        ["Can I apply for a personal loan of {AMT}?", "What's the interest rate on a car loan?"]),
    I("banking.mortgage", [
        ["mortgage", "remortgag(e|ing)", "(first time|first-time) buyer", "(fixed|variable|tracker) rate",
         "agreement in principle"]],
        ["We're first time buyers looking for a mortgage", "My fixed rate ends in {MONTH}, can I remortgage?"]),
    I("banking.savings", [
        ["savings (account|pot|goal|rate|interest)", "(isa|cash isa|stocks and shares isa)", "save (money|up)",
         "interest (on|rate on) (my |)savings", "(open|start) a (savings|isa)"]],
        ["What interest do I get on my savings?", "Can I open a cash ISA in the app?"]),
    I("banking.credit_limit", [
        ["credit (limit|score|rating|check)", "(increase|raise|lower|decrease) (my |the |)(limit|credit limit)",
         "spending limit", "(limit|limits) on my card"]],
        ["Can you increase my credit limit?", "Will this affect my credit score?"]),
    I("banking.open_account", [
        ["(open|opening) (an|a|a new|a joint|a business) (bank |current |joint |business |)account", "joint account",
         "business account", "account for my (child|son|daughter|kid|kids)", "(age|minimum age) (limit|requirement)"]],
        ["Can I open a joint account with my partner?", "Is there an account for my daughter, she's 12"]),
    I("banking.cheque_deposit", [
        ["(cheque|check) (deposit|clearing|cleared|bounced)", "(deposit|pay in|cash) (a|my) (cheque|check)",
         "paying in (a |)(cheque|check)", "mobile cheque (deposit|imaging)"]],
        ["How do I pay in a cheque from my grandma?", "When will the cheque clearing finish?"]),
    I("banking.mobile_wallet", [
        ["(apple|google|samsung) (pay|wallet)", "(add|adding) (my |the |a |)card to (my |)(phone|wallet|watch)",
         "(apple|smart) watch", "(pay|paying) with my phone"]],
        ["I can't add my card to Apple Pay", "Does it work with Google Wallet?"]),
    I("banking.virtual_card", [
        ["(virtual|disposable|single use|one-time) card", "card (number|details) for online", "online shopping card", "(freeze|delete) (the|my) virtual card"]],
        ["Can I get a virtual card for online shopping?"]),
    I("banking.fraud_report", [
        ["fraud(ulent|)", "(scam|scammed|scammer)", "(report|reporting) (a |)(scam|fraud)",
         "someone (took|stole|used) my (card|money|details)", "identity theft"]],
        ["I think I've been scammed, someone used my card details", "I want to report fraud on my account"],
        priority=20),

    # --- travel -------------------------------------------------------------------------------------------------
    I("travel.book_flight", [
        ["(flights|flight) (to|for) (next|this) (week|month|weekend)", "(cheapest|best) (day|time) to fly", "(direct|non-stop|nonstop) (flight|flights)", "(return|round-trip|round trip) (fare|fares|ticket|tickets)"],
        ["(book|booking|find|get) (a |me a |)(flight|plane ticket|plane tickets|flights)",
         "fly (from|to) (london|paris|z(ü|u|ue)rich|m(á|a)laga|s(ã|a)o paulo|new york|berlin|madrid|lisbon|rome)",
         "(one way|one-way|return) (flight|ticket)", "cheap (flights|flight)"],
        R_ROUTE],
        ["I want to book a flight to Málaga in {MONTH}", "Flights from {ACITY} to {ACITY} on {DAY}?"]),
    I("travel.cancel_flight", [
        ["cancel (my|the|a) (flight|booking|trip|reservation)", "(flight|booking|reservation) cancellation",
         "(can't|cannot|won't be able to) (make|take) (my|the) (flight|trip)", "refund (for|on) (my|the) (flight|ticket)"]],
        ["I need to cancel my flight to {CITY}, my {REL} is ill", "Can't make the trip anymore, how do I cancel?"]),
    I("travel.change_flight", [
        ["(change|move|rebook|reschedule) (my|the) (flight|booking|dates|travel dates)",
         "(earlier|later|different) flight",
         "change (the |my |)(date|dates|time) of (my|the) (flight|booking)", "(change|name change) fee"],
        R_MOVE_DATE],
        ["Can I move my flight to the {N}th of {MONTH}?", "Is there an earlier flight to {CITY}?"]),
    I("travel.flight_delay", [
        ["(flight|plane) (was |)(diverted|overbooked|rescheduled)", "(denied|refused) boarding", "(stuck|stranded) at the airport", "(hours|hour) (late|delay|delayed)"],
        ["flight (is |was |has been |)(delayed|cancelled|canceled|late)", "(delayed|cancelled|canceled) flight",
         "(delay|flight) compensation", "eu261", "missed (my |the |)connection"]],
        ["My flight was delayed 5 hours, can I claim compensation?", "Missed my connection in {CITY} because of the delay"]),
    I("travel.baggage_allowance", [
        ["(baggage|luggage) (allowance|limit|policy|fee|fees)", "(hand|cabin|carry-on|carry on|checked) (baggage|luggage|bag)",
         "how many (bags|kg|kilos)", "(extra|additional) (bag|baggage|luggage)", "weight limit"]],
        ["What's the cabin bag weight limit?", "Can I add an extra bag to booking {PNR}?"]),
    I("travel.lost_luggage", [
        ["(lost|missing|delayed|damaged) (luggage|baggage|bag|suitcase)",
         "(luggage|baggage|bag|suitcase) (didn't|did not|never) (arrive|come|turn up)",
         "(bag|suitcase) (is |was |)(lost|missing|damaged)", "baggage (claim|reclaim)"]],
        ["My suitcase didn't arrive in {CITY}", "Lost luggage on the flight from {CITY}, who do I contact?"]),
    I("travel.check_in", [
        ["(online |mobile |web |)check(-| |)in", "boarding pass(es|)", "(seat|seats) (selection|allocation)",
         "(choose|select|pick) (my |a |)seat"]],
        ["When does online check-in open?", "I can't download my boarding pass"]),
    I("travel.seat_upgrade", [
        ["upgrade (to|my) (business|first|premium|seat|cabin)", "(business|first|premium economy) class",
         "(extra|more) legroom", "exit row"]],
        ["How much to upgrade to business class?", "I'm 6'5, can I get an exit row seat with more legroom?"]),
    I("travel.hotel_booking", [
        ["(book|booking|reserve|find) (a |)(hotel|room|hostel|apartment|b&b)", "hotel (room|reservation|booking)",
         "(double|single|twin|family) room",
         "(nights|night) in (london|paris|z(ü|u|ue)rich|m(á|a)laga|lisbon|s(ã|a)o paulo|rome|berlin)"]],
        ["I need a double room for 3 nights in Zürich", "Can you book a hotel near the station in {CITY}?"]),
    I("travel.hotel_times", [
        ["(check(-| |)in|check(-| |)out) time", "(early|late) (check(-| |)in|check(-| |)out)",
         "what time (can we|can I|do I) (check|arrive)", "(leave|store) (our|my) (bags|luggage)"],
        R_CHECKIN_TIME],
        ["What time is check-out? Can we have late check-out?", "We will arrive at {TIME}, is that ok?"]),
    I("travel.cancel_hotel", [
        ["cancel (my|the|a) (hotel|room|reservation|stay)", "(free |)cancellation (policy|fee)",
         "non(-| |)refundable (rate|booking|room)", "refund (for|on) (my|the) (hotel|room|stay)"]],
        ["What's the cancellation policy for my hotel?", "I booked a non-refundable room by mistake"]),
    I("travel.car_rental", [
        ["(car|van) (hire|rental)", "(hire|rent|rental) (a |)car", "(pick up|pickup|drop off|collect|return) the (car|rental)",
         "(excess|damage) (insurance|waiver)", "driving (licence|license)"]],
        ["Where do I pick up the car at Málaga airport?", "Do I need excess insurance for the car hire?"]),
    I("travel.train_tickets", [
        ["train (ticket|tickets|times|journey|station)", "railcard", "(season|rail|interrail|eurail) (ticket|pass)",
         "(book|buy) (a |)(train|rail) (ticket|journey)"]],
        ["Can I add my railcard to the train ticket?", "Train times from {ACITY} to {ACITY}?"]),
    I("travel.travel_insurance", [
        ["travel insurance", "(trip|travel) cover", "insurance (claim|policy|cover)",
         "medical (cover|insurance|expenses) abroad"]],
        ["Does my travel insurance cover skiing?", "How do I make an insurance claim for my trip to {CITY}?"]),
    I("travel.visa_passport", [
        ["visa (requirements|application|on arrival)", "(need|require) a visa",
         "passport (validity|expired|expiry|renewal|number)", "(esta|etias)", "entry requirements"]],
        ["Do I need a visa for Brazil? Flying to São Paulo", "My passport expired, can I still travel?"]),
    I("travel.airport_transfer", [
        ["airport (transfer|shuttle|pickup|pick up|taxi|parking)", "(taxi|shuttle|transfer) (from|to) the airport",
         "meet (and|&) greet", "(get|getting) (to|from) the airport"]],
        ["Is there an airport shuttle to the hotel?", "Book me a taxi from the airport in {CITY}"]),
    I("travel.holiday_package", [
        ["(package|all inclusive|all-inclusive) (holiday|trip|deal)", "(holiday|vacation) (package|deal|deals|booking)",
         "city break", "(last minute|last-minute) (deal|deals|holiday)"]],
        ["Any last minute deals for a city break in {CITY}?", "Looking for an all inclusive holiday in {MONTH}"]),
    I("travel.frequent_flyer", [
        ["(air|frequent flyer|frequent flier) miles", "(avios|miles) (balance|missing|not credited)",
         "(missing|claim) (miles|points) for", "(frequent flyer|frequent flier) (number|programme|program|status)"]],
        ["My air miles from the {CITY} flight are missing", "How do I add my frequent flyer number?"]),
    I("travel.special_assistance", [
        ["(special|wheelchair|mobility) assistance", "(travelling|traveling|flying) with (a baby|an infant|kids|children|a pet|my dog)",
         "(reduced mobility|disabled passenger)", "assistance dog"]],
        ["My {REL} needs wheelchair assistance at the airport", "Travelling with an infant, is there a bassinet?"]),
    I("travel.manage_booking", [
        ["(my|the) (itinerary|booking confirmation|e-ticket)", "(find|retrieve|view|see) my (booking|reservation|trip)",
         "manage (my |)booking", "booking (reference|ref|number)"],
        R_PNR],
        ["I can't find my booking, the reference is {PNR}", "Where do I manage my booking?"]),

    # --- telecom ------------------------------------------------------------------------------------------------
    I("telecom.no_signal", [
        ['(phone|mobile) (says|shows) (no service|sos only|emergency calls only)', '(mast|tower) (down|outage|issue)', "(can't|cannot) (make|receive) calls", '(network|service) (outage|status) in my area'],
        ["no (signal|service|reception|coverage|network)", "(bad|poor|weak|patchy) (signal|reception|coverage)",
         "(signal|network|coverage) (problem|issue|outage|down)", "(calls|texts) (keep |)(dropping|failing)",
         "dropped calls"]],
        ["I've had no signal at home since {DAY}", "Calls keep dropping in {CITY} city centre"]),
    I("telecom.internet_down", [
        ["(internet|broadband|wifi|wi-fi|fibre|fiber) (is |)(down|not working|keeps dropping|stopped working|outage)",
         "no (internet|broadband|wifi|wi-fi)", "(router|modem) (not working|lights|keeps|reset|restart)", "(connection|line) (keeps dropping|drops)"],
        ["(slow|terrible) (internet|broadband|wifi|speed|speeds)", "speed test", "(mbps|megabits)",
         "(buffering|lagging) (all the time|constantly)"]],
        ["Broadband is down again, the router lights are flashing orange", "Internet is so slow, speed test says 3 Mbps"]),
    I("telecom.data_usage", [
        ["(data|mobile data) (usage|allowance|limit|cap|used)", "run out of data", "(out of|no) data",
         "(how much|remaining) data", "data (add-on|addon|bundle|boost)"],
        R_DATA_GB],
        ["How much data do I have left this month?", "I've run out of data, can I buy a {GB} bundle?"]),
    I("telecom.roaming", [
        ["roaming", "(use|using) my phone abroad", "(eu|international|worldwide) roaming", "roam like at home",
         "abroad (charges|fees|data)"]],
        ["Will roaming work in {CITY}?", "How much does it cost to use my phone abroad?"]),
    I("telecom.mobile_credit", [
        ["(top up|top-up|topup|recharge) (my |)(phone|mobile|sim|credit)", "pay as you go", "payg",
         "(mobile|phone) credit"]],
        ["How do I top up my phone from abroad?", "My pay as you go credit disappeared"]),
    I("telecom.sim_card", [
        ["(new|replacement|lost|broken|damaged) sim", "sim (card|swap|not working|not recognised|not recognized|blocked|locked)",
         "esim", "puk (code|number)"]],
        ["I need a replacement SIM, mine is damaged", "Phone says SIM not recognised, it needs a PUK code"]),
    I("telecom.unlock_phone", [
        ["unlock (my|the|a) (phone|handset|device)", "(network|sim) unlock", "unlock code",
         "(phone|handset) (is |)locked to"]],
        ["Can you unlock my phone? I want to use a local SIM in {CITY}"]),
    I("telecom.port_number", [
        ["(port|keep|transfer) my (number|phone number)", "(pac|stac) code", "number (port|porting|transfer)",
         "switch(ing|) (provider|network|networks)"]],
        ["I want to keep my number when switching networks, can I get a PAC code?"]),
    I("telecom.upgrade_phone", [
        ["(phone|handset|contract) upgrade", "upgrade my (phone|contract|handset)",
         "(eligible|due) for (an|a) upgrade", "new (iphone|galaxy|pixel|phone)"]],
        ["Am I eligible for an upgrade yet?", "I want the new iPhone on contract"]),
    I("telecom.contract_end", [
        ["(end|ending|cancel|terminate) (my|the) contract", "contract (end|ends|ending|end date|expires|expiry)",
         "early termination", "(exit|cancellation|termination) fee", "out of contract", "(notice period|minimum term)"]],
        ["When does my contract end?", "How much is the early termination fee?"]),
    I("telecom.bill_query", [
        ['(extra|additional|unexpected) charges on my (bill|account)', '(charged|billed) for (calls|texts|data|roaming)', 'bill (breakdown|explanation)', "(didn't|did not) (make|use) (these|those) (calls|texts)"],
        ["(phone|mobile|monthly|broadband) bill", "bill (is |was |)(too high|higher than|wrong|incorrect|more than usual)",
         "(high|expensive|unexpected) bill", "(itemised|itemized) bill", "why (is|was) my bill"]],
        ["Why is my bill {AMT} this month?", "My phone bill is higher than usual, can I see an itemised bill?"]),
    I("telecom.installation", [
        ["(engineer|technician) (visit|appointment|coming|didn't|did not|never)", "(installation|install) (date|appointment)",
         "(set up|setup|install) (my |the |)(router|broadband|fibre|fiber)", "(activation|go live|go-live) date"]],
        ["The engineer never turned up for the installation appointment", "How do I set up the router?"]),
    I("telecom.tv_package", [
        ["tv (package|channels|box|bundle|subscription)", "sports (channels|package)", "(set-top|set top|tv) box",
         "(add|remove) (a |)(channel|channels)"]],
        ["Can I add sports channels to my TV package?", "The TV box keeps restarting"]),
    I("telecom.voicemail", [
        ["voicemail", "voice mail", "(answer|answering) (phone|machine)", "call (forwarding|divert|diversion|waiting|barring)",
         "(divert|forward) (my |)calls"]],
        ["How do I turn off voicemail?", "Set up call forwarding to {PHONE}"]),
    I("telecom.spam_calls", [
        ["(spam|nuisance|scam|robo) (calls|texts|messages)", "block (a |this |)(number|caller)",
         "(unknown|withheld|private) (number|caller)", "keep (getting|receiving) (calls|texts)"]],
        ["I keep getting nuisance calls from a withheld number", "How do I block a number?"]),

    # --- subscriptions ------------------------------------------------------------------------------------------
    I("subscription.cancel", [
        ['(cancelled|canceled) (but|and) (still|was) (charged|billed|being charged)', "(don't|do not) want (to renew|the subscription|this subscription)", 'how (do|can) I (cancel|unsubscribe|stop paying)', '(stop|stop the) (payments|monthly payment|billing)'],
        ["cancel (my |the |)(subscription|membership|plan|trial|account)",
         "(stop|end) (my |the |)(subscription|membership|renewal|auto renewal|auto-renewal)", "unsubscribe from",
         "(turn|switch) off (auto|automatic)(-| |)renew(al|)"]],
        ["How do I cancel my subscription?", "Please end my membership at the end of the month"]),
    I("subscription.renewal", [
        ["(auto|automatic)(-| |)renew(al|ed|s|)", "renewal (date|price|notice|reminder)",
         "(renewed|charged) without (asking|warning|notice|permission)",
         "(when|what date) (does|will) my (subscription|membership|plan) renew"]],
        ["It auto-renewed without warning and charged me {AMT}", "When does my subscription renew?"]),
    I("subscription.change_plan", [
        ["(upgrade|downgrade|change|switch) (my |the |)(plan|subscription|tier|membership|package)",
         "(premium|pro|family|basic|standard) (plan|tier|membership)", "(compare|which) plans", "(cheaper|better|bigger) plan"]],
        ["I want to downgrade to the basic plan", "What's the difference, can you compare plans?"]),
    I("subscription.free_trial", [
        ["free trial", "trial (period|ends|ended|expired|expires)", "(charged|billed) after (the |my |)(free |)trial",
         "(cancel|end) (my |the |)trial"]],
        ["I was charged after the free trial, I thought I cancelled", "When does my trial end?"]),
    I("subscription.pricing", [
        ["(how much|what) (does it|does this|is it|do you) (cost|charge)", "(price|prices|pricing) (list|plans|page|increase|rise)",
         "(monthly|annual|yearly) (fee|price|cost|plan|subscription)", "price (going up|increase|hike)"]],
        ["How much does it cost per month?", "Why is there a price increase again?"]),
    I("subscription.streaming_issue", [
        ["(video|stream|streaming|show|film|movie) (keeps |)(buffering|freezing|stopping|lagging|won't play|not playing)",
         "buffering", "(playback|streaming) (error|issue|problem)", "error code",
         "(poor|bad|low) (quality|picture|resolution)"]],
        ["The film keeps buffering on my TV", "Getting error code 1005 when I press play"]),
    I("subscription.device_limit", [
        ["(device|devices|screen|screens) limit", "too many (devices|screens)", "(how many|number of) (devices|screens|users)",
         "(share|sharing) (my |)(account|password|subscription)", "add a (device|profile|user)"]],
        ["It says too many devices, but I only use two", "Can I share my account with my {REL}?"]),
    I("subscription.family_plan", [
        ["family (plan|sharing|account|membership|group)", "(add|remove) (a |)(family member|member|child|kid)",
         "parental controls", "(kids|children's|child) (profile|account)"]],
        ["How do I add a family member to the family plan?", "Are there parental controls for the kids profile?"]),
    I("subscription.content_availability", [
        ["(add|request) (a |this |the |)(show|film|movie|series|title|song|album)",
         "(show|film|movie|series) (is |was |)(missing|removed|gone|unavailable)", "not available in my (country|region)",
         "(region|geo)(-| |)(locked|blocked|restricted)"]],
        ["Why was the series removed?", "This film is not available in my country, I'm in {CITY}"]),
    I("subscription.pause", [
        ["pause (my |the |)(subscription|membership|plan|account)", "(take a|have a) break",
         "(freeze|hold|suspend) (my |the |)(membership|subscription)",
         "put (my |the |)(membership|subscription|account) on hold"]],
        ["Can I pause my membership while I'm travelling?", "I'd like to freeze my subscription for {N} weeks"]),

    # --- support / general --------------------------------------------------------------------------------------
    I("support.human_agent", [
        ["(phone|contact) number (for|of) (you|customer service|support)", "(call|ring) me (back|please)", "(callback|call back) (request|please)", "(how|where) (can|do) I (contact|reach|call) (you|someone|support)"],
        ["(speak|talk|chat) (to|with) (a |an |)(human|person|agent|advisor|adviser|manager|someone|representative|real person)",
         "(human|live) (agent|chat|person|support)", "customer (service|services|support)",
         "(phone|call) (you|customer service|support)", "(operator|representative)"]],
        ["Can I speak to a real person please", "I want to talk to a manager, this is ridiculous"], priority=5),
    I("support.complaint", [
        ["(this is|that's|that is) (ridiculous|unacceptable|disgraceful|a joke)", '(fed up|sick of|sick and tired)', "(never|won't|will never) (use|order|shop|buy) (from |with |)(you|this company) again", '(waste|wasted) of (time|money)'],
        ["(make|file|raise|lodge|submit) a complaint", "complain(t|ing|)",
         "(terrible|awful|worst|poor|appalling|shocking) (service|experience|customer service)",
         "(not|very) (happy|satisfied|pleased) with", "(ombudsman|escalate)"]],
        ["I want to make a complaint about the driver", "Worst customer service ever, I'll escalate this"],
        priority=3),
    I("support.opening_hours", [
        ["opening (hours|times)", "(what time|when) (do|does) (you|the store|the shop|the branch|the office) (open|close)",
         "(are you|is the store|is the shop|is the branch) open",
         "(bank holiday|christmas|easter|sunday|weekend) (hours|opening)", "business hours"]],
        ["What time does the store in {CITY} close on {DAY}?", "Are you open on bank holidays?"]),
    I("support.store_locator", [
        ["(store|shop|branch|office) (near|locator|location|address)", "(nearest|closest|local) (store|shop|branch|office)",
         "(where|how) (is|do I find) (your|the) (store|shop|branch|office)",
         "(branch|store|shop) in (london|paris|z(ü|u|ue)rich|s(ã|a)o paulo|m(á|a)laga|madrid|lisbon|manchester)"]],
        ["Is there a shop in Málaga?", "Where is the nearest branch to {ACITY}?"]),
    I("support.feedback", [
        ["(give|leave|send|share) (some |)(feedback|a review|a suggestion)", "(suggestion|feature request|idea) for",
         "(rate|review) (the|your) (app|service|product)", "(love|like) (the|your) (app|service|new design)"]],
        ["Just wanted to leave some feedback, love the new design", "Feature request for the app: dark mode"]),
    I("support.thanks", [
        ["thank(s| you| u)", "(cheers|much appreciated|appreciate it|appreciate your help)",
         "(that|this) (helped|worked|fixed it)", "(perfect|brilliant|great|awesome), thanks"]],
        ["Thanks, that worked!", "cheers, much appreciated"], priority=-1),
    I("support.greeting", [R_GREETING], ["Hi", "Hello, anyone there?"], priority=-1),
    I("support.goodbye", [
        ["(bye|goodbye|good bye|see you|see ya|take care)", "have a (good|nice|great) (day|weekend|evening)",
         "(that's all|that is all)", "nothing else"]],
        ["That's all, have a nice day", "ok bye"], priority=-1),
    I("support.bot_check", [
        ["are you a (bot|robot|human|real person)", "(am I|is this) (talking|chatting|speaking) (to|with) a (bot|robot|machine|human|person)",
         "(real|actual) (person|human)", "(chatbot|chat bot)"]],
        ["Am I talking to a bot?", "Are you a real person or a chatbot"]),
    I("support.accessibility", [
        ["(screen reader|large print|braille|sign language|hearing loop|text relay)",
         "(accessible|accessibility) (format|formats|options|features|support)", "(visually|hearing) impaired",
         "(dyslexia|dyslexic)"]],
        ["Is the app compatible with a screen reader? I'm visually impaired", "Can I get my letters in large print?"]),
    I("support.app_problem", [
        ['(app|website) (error|bug) (message|code)', '(blank|white) (screen|page)', '(keeps|keep) (crashing|kicking me out)', "(button|link) (doesn't|does not|isn't|won't) (work|load|respond)"],
        ["(app|website|site|page) (keeps |)(crashing|crashes|crashed|freezing|freezes|not loading|won't load|won't open|not working|is down)",
         "(can't|cannot) (open|load|update|install) the app", "(error|bug|glitch) (in|on) the (app|website|site)",
         "(update|updated) the app and"]],
        ["The app keeps crashing since the update", "Website won't load on my phone"]),
    I("support.security_question", [
        ["(is it|is this) (safe|secure) to", "(security|secure) (question|questions|settings)", "(data|card) (security|safety)",
         "(encrypt|encrypted|encryption)", "(3d secure|3-d secure|3ds|verified by visa|securecode)"]],
        ["Is it safe to save my card on the site?", "3D Secure keeps failing at checkout"]),
    I("support.business_inquiry", [
        ["(partnership|affiliate|sponsorship|press|media|investor) (inquiry|enquiry|program|programme|opportunity|team|relations)",
         "(become a|becoming a) (partner|supplier|seller|vendor|reseller|affiliate)",
         "(sell|selling) (on|through) your (platform|site|marketplace)",
         "(job|jobs|career|careers|vacancy|vacancies|internship)"]],
        ["Hi, press enquiry: who handles media relations?", "Are there any vacancies at your {CITY} office?"]),
    I("support.non_english", [
        ["(por favor|gracias|obrigad(o|a)|merci|danke|bitte|grazie|buenos d(í|i)as)",
         "(hablas|habla usted|parlez-vous|sprechen sie|fala) (ingl(é|e)s|english|fran(ç|c)ais|deutsch|portugu(ê|e)s)",
         "(no hablo|je ne parle|ich spreche nicht)", "(ayuda|aide|hilfe|ajuda) (por favor|s'il vous pla(î|i)t|bitte)"]],
        ["Hola, ¿hablas español? Necesito ayuda por favor", "Bonjour, je ne parle pas anglais, merci"]),
    I("support.newbie", [
        ["(naïve|naive|silly|stupid|dumb|basic) question", "(new|first time) (customer|user) here",
         "(how does|how do) (this|it|you) work", "(sorry|excuse me) if this is (obvious|a dumb question)"]],
        ["Sorry, probably a naïve question, but how does this work?", "New customer here, where do I start?"]),
]


NEAR_MISSES = [
    "The thing I bought from you is not here yet and I am getting worried",
    "I would like my money returned for the {PRODUCT}",
    "How can I get into my profile? It keeps asking me things",
    "The courier left my box in the rain and it's soaked",
    "Bought a {PRODUCT} {DATE} and it is nowhere to be seen",
    "Why did my plastic get refused at the till?",
    "The app shows a spinning wheel forever when I open my basket",
    "Is there a way to see what I spent in {MONTH}?",
    "I paid for something on {DAY} and the amount is wrong on my statement",
    "Someone is using my details to buy stuff online",
    "My bag went to another city after I landed in {CITY}",
    "I'd like to go to {CITY} in {MONTH}, what can you offer?",
    "The phone shows one bar and then nothing at all",
    "My kids keep watching cartoons on my profile and it messes up the suggestions",
    "Do you have the {PRODUCT} in {COLOUR}?",
    "The {PRODUCT} I received is a bit different from the photo on the website",
    "I moved to {CITY} and want everything to go to the new flat",
    "My {REL} gave me a present card for my birthday, how does it work?",
    "I've been waiting for the courier all day",
    "What happens to my things if I stop using your service?",
    "Your driver was rude to my {REL} this morning",
    "I can't remember which email I used to join",
    "The screen on my new tablet has a line across it",
    "I'd like to speak to somebody about my bill from {MONTH}",
    "I need the paperwork for my accountant",
    "Do I get anything back if the train is more than an hour behind schedule?",
    "I got married in {MONTH} and my surname is different now",
    "Please get rid of my profile and everything about me",
    "The money I moved to my {REL} on {DAY} is not showing for them",
    "The price on the shelf was lower than at the till",
    "Can my {REL} collect it for me?",
    "The hotel in {CITY} says they have no record of us",
    "I was promised a call back and nobody called",
    "My partner and I want to share one plan for the house",
    "Which plan is best for someone who watches a lot of football?",
    "The shoes are too tight, can I get a 9 instead?",
    "Is my information kept somewhere in {CITY}?",
    "Does the {PRODUCT} need assembling?",
    "I keep getting texts saying I owe money for a parcel",
    "What's the deal with the extra line on my invoice from {MONTH}?",
    "I paid {AMT} for next-day and it came a week later",
    "There's {AMT} missing from what I expected back",
    "Why do I see {AMT} pending on my account from {DAY}?",
    "My {REL} sent me {AMT} and I can't see it",
    "The {PRODUCT} was {AMT} on the app but {AMT} in the shop",
]

NEUTRAL = [
    "What colour is the {PRODUCT} in the second photo?",
    "I saw your advert on the bus in {CITY}, nice one",
    "Does the {PRODUCT} come with batteries?",
    "My {REL} recommended you to me",
    "Is it going to rain in {CITY} on {DAY}?",
    "I'm not sure what to get my {REL} for their birthday, any ideas?",
    "Do you sell {PRODUCT}s in {COLOUR}?",
    "The {PRODUCT} looks lovely, well done to the design team",
    "Who designed the logo? It's really nice",
    "We were in {CITY} last {MONTH} and saw one of your vans",
    "My {REL} {NAME} says hello",
    "I'm writing a school project about online shopping",
    "Is the {PRODUCT} suitable for a small flat?",
    "What's the difference between the two {PRODUCT}s on the front page?",
    "Can the {PRODUCT} go in the washing machine at 40 degrees?",
    "The café next to your {CITY} shop does great coffee",
    "Is the {COLOUR} one darker in real life?",
    "My {REL} is visiting from {CITY} next week",
    "How heavy is the {PRODUCT} roughly",
    "I love the music in your latest advert, what song is it?",
    "It's {NAME} again from earlier",
    "Just browsing, the new collection is great",
    "Does anyone actually read these messages?",
    "The photos on the website are very nice",
    "We are planning a trip to {CITY} in {MONTH}",
    "Is the {PRODUCT} made in Europe?",
    "What's your favourite item in the shop?",
    "lol ok",
    "I'm so excited about my trip to {CITY}!",
    "My {REL} works near your office in {CITY}",
    "Is {CITY} nice in {MONTH}?",
    "I'll think about it and come back later",
    "hmm let me check with my {REL} first",
    "The {PRODUCT} matches my sofa perfectly",
    "Sorry, wrong chat",
    "What is the meaning of life?",
    "Could you recommend a good {PRODUCT} for a beginner?",
    "I'm doing a survey about chat assistants, is that ok?",
    "Nice weather in {CITY} today",
    "How is your day going?",
    "I heard about you from a podcast",
    "Can you tell me a joke?",
    "Is the {PRODUCT} heavy to carry up stairs?",
    "My {REL} {NAME} bought the same {PRODUCT} last year",
    "I naïvely assumed the {COLOUR} would be brighter",
    "The {PRODUCT} smells a bit like plastic when new, is that normal?",
    "Is the {PRODUCT} really only {AMT}? Seems cheap",
    "{AMT} for a {PRODUCT} is a bit steep to be honest",
    "I spent {AMT} in your {CITY} shop last {MONTH}, lovely staff",
    "Would {AMT} be enough for a nice {PRODUCT}?",
]

PREFIXES = ["Hi, ", "Hello, ", "hey ", "Hi there. ", "Good morning, ", "Quick question: ", "Um, ",
            "So ", "Ok so ", "Hello team, ", "{NAME} here. ", "Excuse me, ", "Bonjour, ", "Hiya! ", "Urgent: "]
SUFFIXES = [" Thanks", " thanks!", " Cheers.", " Please help.", " asap please", " :(",
            " — sent from my iPhone", " I’m really frustrated.", " I’ve been waiting ages.", "??", "!!", " x",
            " (order {ORDER})", " Many thanks, {NAME}", " It’s the second time this happens.",
            " My number is {PHONE}.", " ref {PNR}", " It cost {AMT}.", " ({AMT})"]
CARRIERS = ["{P}", "{P}?", "{P} please", "{P} pls", "hi, {P}?", "Hello - {P}.", "{P}!!", "I’m asking about {P}",
            "Question: {P}?", "{P}, order {ORDER}", "{P} (ref {ORDER})", "Hi there, {P}? I’ve been waiting since {DAY}.",
            "{NAME} here. {P}", "{P} — it’s urgent", "Can you help? {P}", "{P}... any update?", "ok so {P}",
            "{P} on my account", "re: {P}", "{P}, can’t find it anywhere", "{P} (I’m in {CITY})", "{P} (it was {AMT})",
            "{P} — about {AMT}"]


def build_support_set():
    intents, plan = [], []
    for spec in SUPPORT:
        pats, samplers = [], []
        for p in spec["patterns"]:
            if isinstance(p, Raw):
                pats.append(p.regex)
                samplers.append([p])
            else:
                if not 4 <= len(p) <= 12:
                    die(f"{spec['id']}: a pattern must have 4-12 phrases, has {len(p)}: {p}")
                phrases = [Phrase(s) for s in p]
                pats.append(r"\b(?:" + "|".join(ph.regex for ph in phrases) + r")\b")
                samplers.append(phrases)
        if not 1 <= len(pats) <= 3:
            die(f"{spec['id']}: 1-3 patterns, has {len(pats)}")
        for p in pats:
            check_syntax(p)
        intent = {"id": spec["id"]}
        if spec["priority"]:
            intent["priority"] = spec["priority"]
        else:
            intent["priority"] = 0
        intent["patterns"] = pats
        intents.append(intent)
        plan.append((spec, samplers))
    ids = [i["id"] for i in intents]
    if len(ids) != len(set(ids)):
        die("support: duplicate intent ids")
    if len(intents) != 150:
        die(f"support: expected 150 intents, have {len(intents)}")
    return {"options": {"caseInsensitive": True}, "intents": intents}, plan


def curlify(text, rng):
    return text.replace("'", "’") if rng.random() < 0.35 else text


def support_queries(plan, rng):
    texts, seen = [], set()

    mix = {}

    def add(t, kind):
        t = re.sub(r"\s+", " ", t).strip()
        if not 20 <= len(t) <= 200 or t in seen:
            return False
        seen.add(t)
        texts.append(t)
        mix[kind] = mix.get(kind, 0) + 1
        return True

    def phrase_of(samplers):
        pool = rng.choice(samplers)
        return rng.choice(pool).sample(rng, curly=rng.random() < 0.35)

    def pad(t):
        pre = fill(rng.choice(PREFIXES), rng) if rng.random() < 0.3 else ""
        suf = fill(rng.choice(SUFFIXES), rng) if rng.random() < 0.3 else ""
        return pre + t + suf

    kinds = ["phrase"] * 17 + ["two"] * 5 + ["utterance"] * 14 + ["long"] * 6 + ["near"] * 22 + ["neutral"] * 36
    while len(texts) < N_QUERIES:
        kind = rng.choice(kinds)
        if kind == "phrase":
            spec, samplers = rng.choice(plan)
            t = fill(rng.choice(CARRIERS).replace("{P}", phrase_of(samplers)), rng)
            t = recase(t, rng)
        elif kind == "two":
            (_, s1), (_, s2) = rng.sample(plan, 2)
            a, b = phrase_of(s1), phrase_of(s2)
            t = fill(rng.choice(["{A}. Also {B}?", "{A} and {B}", "{A}, {B}", "Two things: {A}; {B}.",
                                 "{A}. Oh and {B} too"]).replace("{A}", a).replace("{B}", b), rng)
            t = recase(pad(t), rng)
        elif kind == "utterance":
            spec, _ = rng.choice(plan)
            t = recase(curlify(pad(fill(rng.choice(spec["utterances"]), rng)), rng), rng)
        elif kind == "long":
            spec, _ = rng.choice(plan)
            parts = [fill(rng.choice(spec["utterances"]), rng), fill(rng.choice(NEUTRAL + NEAR_MISSES), rng),
                     fill(rng.choice(NEAR_MISSES), rng)]
            rng.shuffle(parts)
            t = ". ".join(p.rstrip(".!?") for p in parts) + rng.choice([".", "!", "?", " :(", ""])
            t = recase(curlify(pad(t), rng), rng)
        elif kind == "near":
            t = recase(curlify(pad(fill(rng.choice(NEAR_MISSES), rng)), rng), rng)
        else:
            t = fill(rng.choice(NEUTRAL), rng)
            if rng.random() < 0.35:
                t = t + " " + fill(rng.choice(NEUTRAL), rng)
            t = recase(curlify(t, rng), rng)
        add(t, kind)
    return texts, dict(sorted(mix.items()))


# ---------------------------------------------------------------------------------------------------------------
# Bots set
# ---------------------------------------------------------------------------------------------------------------

sys.dont_write_bytecode = True  # no __pycache__ next to the data
from bots_data import BOT_FAMILIES, GEN_PREFIXES, GEN_CORES, GEN_BRANDS, UNKNOWN_BOTS  # noqa: E402


def esc(s):
    return "".join("\\" + c if c in ".^$|?*+()[]{}\\" else c for c in s)


def v2(rng):
    return f"{rng.randint(0, 9)}.{rng.randint(0, 20)}"


def v3(rng):
    return f"{rng.randint(0, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 40)}"


def chrome_full(rng):
    return f"{rng.randint(109, 131)}.0.{rng.randint(5400, 6800)}.{rng.randint(0, 220)}"


def chrome_major(rng):
    return f"{rng.randint(109, 131)}.0.0.0"


OS_TOKENS = ["Windows NT 10.0; Win64; x64", "X11; Linux x86_64", "Macintosh; Intel Mac OS X 10_15_7",
             "Linux; Android 13; Pixel 7", "compatible"]
LANGS = [("Python", "3.11"), ("Python", "3.12"), ("Java", "17.0.9"), ("Go", "1.22"), ("Ruby", "3.2.2"),
         ("Node.js", "20.11.0"), ("PHP", "8.2.12"), (".NET", "8.0")]
TLDS = ["com", "io", "net", "dev", "org", "co", "ai", "app", "de", "fr"]

# Generated-name templates: (regex, user-agent sample). {N} CamelName, {l} lowercase name, {d} domain.
GEN_TEMPLATES = {
    "A": (r"{N}Bot/\d+\.\d+", lambda n, l, d, r: f"Mozilla/5.0 (compatible; {n}Bot/{v2(r)}; +https://{d}/bot)"),
    "B": (r"\b{l}bot\b", lambda n, l, d, r: f"{l}bot/{v2(r)} (+http://www.{d}/{l}bot.html)"),
    "C": (r"\b{l}-crawler/\d", lambda n, l, d, r: f"{l}-crawler/{v3(r)} (+https://{d}/crawler; crawler@{d})"),
    "D": (r"{N}Spider/\d", lambda n, l, d, r: f"Mozilla/5.0 (compatible; {n}Spider/{v2(r)}; +http://{d}/spider.html)"),
    "E": (r"^{N}/\d+(?:\.\d+)*", lambda n, l, d, r: f"{n}/{v3(r)}" + (f" ({r.choice(OS_TOKENS)})" if r.random() < .5 else "")),
    "F": (r"Mozilla/5\.0 \(compatible; {N}(?:Bot)?/\d",
          lambda n, l, d, r: f"Mozilla/5.0 (compatible; {n}{r.choice(['', 'Bot'])}/{v2(r)}; +https://{d})"),
    "G": (r"Mozilla/5\.0.*\b{N}Bot\b",
          lambda n, l, d, r: f"Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
                             f"Safari/537.36 (compatible; {n}Bot; +https://{d}/bot)"),
    "H": (r"(?:{N}|{l})(?:bot|Bot|-bot)/", lambda n, l, d, r: f"{r.choice([n, l])}{r.choice(['bot', 'Bot', '-bot'])}/{v2(r)}"),
    "I": (r"\+https?://(?:www\.)?{de}/", lambda n, l, d, r: f"Mozilla/5.0 (compatible; {n}/{v2(r)}; +https://www.{d}/about)"),
    "J": (r"{N} (?:Monitor|Uptime|Checker)/\d",
          lambda n, l, d, r: f"{n} {r.choice(['Monitor', 'Uptime', 'Checker'])}/{v2(r)} (https://{d}; check id {r.randint(1000, 99999)})"),
    "K": (r"\b{l}-monitor\b", lambda n, l, d, r: f"{l}-monitor/{v2(r)} (+https://{d}/monitoring)"),
    "L": (r"{N}Client/\d+\.\d+", lambda n, l, d, r: "{}Client/{} ({}/{})".format(n, v2(r), *r.choice(LANGS))),
    "M": (r"\b{l}-http/\d", lambda n, l, d, r: f"{l}-http/{v3(r)}"),
    "N": (r"^{N}-(?:Fetcher|Agent)\b", lambda n, l, d, r: f"{n}-{r.choice(['Fetcher', 'Agent'])}/{v2(r)} (+https://{d})"),
    "O": (r"{N}(?:Feed|RSS)(?:Reader|Fetcher)?/\d",
          lambda n, l, d, r: f"{n}{r.choice(['Feed', 'RSS'])}{r.choice(['', 'Reader', 'Fetcher'])}/{v2(r)} "
                             f"(+https://{d}; {r.randint(1, 900)} subscribers)"),
    "P": (r"\b{N}(?:Scan|Scanner)\b",
          lambda n, l, d, r: f"Mozilla/5.0 (compatible; {n}{r.choice(['Scan', 'Scanner'])}/{v2(r)}; research scan; +https://{d})"),
}
CATEGORY_TEMPLATES = {
    "crawler": "ABCDFGHI", "seo": "ABFGHI", "monitor": "JKEIA", "library": "ELMN", "feed": "OBEI",
    "scanner": "PENKI", "ai": "AFGIH", "archive": "ABCE",
}


def build_bots_set(rng):
    intents, samples = [], []  # samples: (kind, [user-agent templates or builders]) per intent
    generic = [f for f in BOT_FAMILIES if f["id"].startswith("generic.")]  # declared last, like real lists
    for fam in [f for f in BOT_FAMILIES if not f["id"].startswith("generic.")]:
        intents.append({"id": fam["id"], "priority": fam.get("priority", 0), "patterns": list(fam["patterns"])})
        samples.append(("real", fam["uas"]))
    n_real = sum(len(i["patterns"]) for i in intents) + sum(len(f["patterns"]) for f in generic)

    # Generated vendors: brand names plus prefix+core combinations, deterministic order.
    combos = [(p, c) for p in GEN_PREFIXES for c in GEN_CORES]
    rng.shuffle(combos)
    names = [(b, cat) for b, cat in GEN_BRANDS] + [(p + c, cat) for p, (c, cat) in combos]
    used, total = set(), n_real
    weights = [(1, 20), (2, 30), (3, 25), (4, 15), (5, 10)]
    for name, cat in names:
        if total >= 1500:
            break
        low = name.lower()
        if low in used:
            continue
        used.add(low)
        k = rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]
        k = min(k, 1500 - total, len(CATEGORY_TEMPLATES[cat]))
        tkeys = rng.sample(CATEGORY_TEMPLATES[cat], k)
        dom = f"{low}.{rng.choice(TLDS)}"
        pats, uas = [], []
        for t in tkeys:
            rx, ua = GEN_TEMPLATES[t]
            pats.append(rx.replace("{N}", esc(name)).replace("{l}", esc(low)).replace("{de}", esc(dom)))
            uas.append((lambda ua=ua, n=name, l=low, d=dom: lambda r: ua(n, l, d, r))())
        intents.append({"id": f"{cat}.{low}", "priority": 0, "patterns": pats})
        samples.append(("gen", uas))
        total += k
    for fam in generic:
        intents.append({"id": fam["id"], "priority": fam.get("priority", 0), "patterns": list(fam["patterns"])})
        samples.append(("real", fam["uas"]))
    if total != 1500:
        die(f"bots: {total} patterns, expected 1500 (add names to bots_data.py)")
    for it in intents:
        if not 1 <= len(it["patterns"]) <= 5:
            die(f"bots: {it['id']} has {len(it['patterns'])} patterns")
        for p in it["patterns"]:
            check_syntax(p)
    ids = [i["id"] for i in intents]
    if len(ids) != len(set(ids)):
        die("bots: duplicate intent ids " + str([x for x in ids if ids.count(x) > 1][:5]))
    return {"options": {"caseInsensitive": False}, "intents": intents}, samples


ANDROID_DEVICES = ["Pixel 7", "Pixel 8 Pro", "SM-S911B", "SM-A546B", "SM-G991B", "M2101K6G", "CPH2451", "K",
                   "moto g power (2022)", "2201116SG", "SM-X200", "Pixel 6a", "RMX3630", "V2207"]
IOS_VERSIONS = ["15_8", "16_6_1", "16_7_2", "17_0_3", "17_1_2", "17_2_1", "17_3", "17_4_1", "17_5_1", "18_0", "18_1_1"]
MAC_VERSIONS = ["10_15_7", "10_15_7", "10_15_7", "13_6_1", "14_2_1", "14_4"]
WIN_TOKENS = ["Windows NT 10.0; Win64; x64", "Windows NT 10.0; Win64; x64", "Windows NT 10.0; WOW64",
              "Windows NT 6.1; Win64; x64"]
LINUX_TOKENS = ["X11; Linux x86_64", "X11; Ubuntu; Linux x86_64", "X11; Fedora; Linux x86_64", "X11; CrOS x86_64 15633.69.0"]


def browser_ua(rng):
    c = chrome_full(rng)
    cm = c.split(".")[0]
    ios = rng.choice(IOS_VERSIONS)
    iosdot = ios.replace("_", ".")
    ff = rng.randint(115, 132)
    kind = rng.choices(
        ["chrome_win", "chrome_mac", "chrome_linux", "chrome_android", "chrome_ios", "firefox_win", "firefox_mac",
         "firefox_linux", "firefox_android", "safari_mac", "safari_iphone", "safari_ipad", "edge_win", "edge_mac",
         "samsung", "opera", "firefox_ios", "instagram", "yandex_browser"],
        [22, 8, 3, 18, 3, 6, 2, 2, 2, 5, 14, 2, 7, 1, 2, 1, 1, 1, 0.5])[0]
    if kind == "chrome_win":
        return f"Mozilla/5.0 ({rng.choice(WIN_TOKENS)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cm}.0.0.0 Safari/537.36"
    if kind == "chrome_mac":
        return f"Mozilla/5.0 (Macintosh; Intel Mac OS X {rng.choice(MAC_VERSIONS)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cm}.0.0.0 Safari/537.36"
    if kind == "chrome_linux":
        return f"Mozilla/5.0 ({rng.choice(LINUX_TOKENS)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cm}.0.0.0 Safari/537.36"
    if kind == "chrome_android":
        dev = rng.choice(ANDROID_DEVICES)
        return f"Mozilla/5.0 (Linux; Android {rng.choice([10, 11, 12, 13, 14, 15])}; {dev}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cm}.0.0.0 Mobile Safari/537.36"
    if kind == "chrome_ios":
        return f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/{c} Mobile/15E148 Safari/604.1"
    if kind == "firefox_win":
        return f"Mozilla/5.0 ({rng.choice(WIN_TOKENS)}; rv:{ff}.0) Gecko/20100101 Firefox/{ff}.0"
    if kind == "firefox_mac":
        return f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:{ff}.0) Gecko/20100101 Firefox/{ff}.0"
    if kind == "firefox_linux":
        return f"Mozilla/5.0 ({rng.choice(LINUX_TOKENS[:3])}; rv:{ff}.0) Gecko/20100101 Firefox/{ff}.0"
    if kind == "firefox_android":
        return f"Mozilla/5.0 (Android {rng.choice([12, 13, 14])}; Mobile; rv:{ff}.0) Gecko/{ff}.0 Firefox/{ff}.0"
    if kind == "safari_mac":
        sv = rng.choice(["16.6", "17.1", "17.2.1", "17.3.1", "17.4.1", "17.5", "18.0", "18.1"])
        return f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{sv} Safari/605.1.15"
    if kind == "safari_iphone":
        return f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{iosdot.rsplit('.', 1)[0] if iosdot.count('.') > 1 else iosdot} Mobile/15E148 Safari/604.1"
    if kind == "safari_ipad":
        return f"Mozilla/5.0 (iPad; CPU OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{iosdot.split('.')[0]}.0 Mobile/15E148 Safari/604.1"
    if kind == "edge_win":
        return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cm}.0.0.0 Safari/537.36 Edg/{cm}.0.{rng.randint(2000, 2900)}.{rng.randint(10, 120)}"
    if kind == "edge_mac":
        return f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cm}.0.0.0 Safari/537.36 Edg/{cm}.0.{rng.randint(2000, 2900)}.{rng.randint(10, 120)}"
    if kind == "samsung":
        return f"Mozilla/5.0 (Linux; Android {rng.choice([13, 14])}; {rng.choice(['SM-S918B', 'SM-A536B', 'SM-G998B'])}) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/{rng.randint(20, 26)}.0 Chrome/{cm}.0.0.0 Mobile Safari/537.36"
    if kind == "opera":
        return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cm}.0.0.0 Safari/537.36 OPR/{rng.randint(100, 115)}.0.0.0"
    if kind == "firefox_ios":
        return f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/{ff}.0 Mobile/15E148 Safari/605.1.15"
    if kind == "instagram":
        return f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram {rng.randint(300, 350)}.0.0.{rng.randint(10, 40)}.{rng.randint(100, 120)} (iPhone14,5; iOS {ios}; en_GB; en-GB; scale=3.00; 1170x2532; {rng.randint(500000000, 599999999)})"
    return f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cm}.0.0.0 YaBrowser/24.{rng.randint(1, 12)}.0.0 Safari/537.36"


def fill_ua(template, rng):
    return (template.replace("{chrome}", chrome_full(rng)).replace("{cmajor}", chrome_major(rng))
            .replace("{v2}", v2(rng)).replace("{v3}", v3(rng)).replace("{n}", str(rng.randint(1, 999))))


def bots_queries(samples, rng):
    texts = []
    real = [s for kind, s in samples if kind == "real"]
    gen = [s for kind, s in samples if kind == "gen"]
    seen, mix = {}, {}
    while len(texts) < N_QUERIES:
        r = rng.random()
        for _ in range(50):  # the same string at most 3 times (logs repeat user agents, but not endlessly)
            if r < 0.60:
                t = browser_ua(rng)
            elif r < 0.79:
                t = fill_ua(rng.choice(rng.choice(real)), rng)
            elif r < 0.98:
                t = rng.choice(rng.choice(gen))(rng)
            else:
                t = fill_ua(rng.choice(UNKNOWN_BOTS), rng)
            if seen.get(t, 0) < 3:
                break
        seen[t] = seen.get(t, 0) + 1
        texts.append(t)
        kind = "browser" if r < 0.60 else "known_bot" if r < 0.79 else "generated_bot" if r < 0.98 else "unknown_bot"
        mix[kind] = mix.get(kind, 0) + 1
    return texts, dict(sorted(mix.items()))


# ---------------------------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------------------------

def write_set(path, data):
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n  "options": ' + json.dumps(data["options"]) + ',\n  "intents": [\n')
        for k, it in enumerate(data["intents"]):
            f.write("    " + json.dumps(it, ensure_ascii=False) + (",\n" if k + 1 < len(data["intents"]) else "\n"))
        f.write("  ]\n}\n")


def write_queries(path, texts, expected):
    with open(path, "w", encoding="utf-8") as f:
        for t, ids in zip(texts, expected):
            f.write(json.dumps({"text": t, "expected_ids": ids, "expected_first": ids[0] if ids else None},
                               ensure_ascii=False) + "\n")


def stats(name, data, texts, expected, mix):
    pats = [p for it in data["intents"] for p in it["patterns"]]
    hit = sum(1 for e in expected if e)
    multi = sum(1 for e in expected if len(e) > 1)
    intent_of = [k for k, it in enumerate(data["intents"]) for _ in it["patterns"]]
    multi_intent = sum(1 for e in expected if len({intent_of[i] for i in e}) > 1)
    used = len({i for e in expected for i in e})
    avg = sum(len(e) for e in expected) / len(expected)
    return {
        "set": name, "intents": len(data["intents"]), "patterns": len(pats), "queries": len(texts),
        "matching": hit, "matching_pct": round(100 * hit / len(texts), 1),
        "several_patterns": multi, "several_intents": multi_intent,
        "avg_matches": round(avg, 2), "patterns_hit_by_some_query": used,
        "non_ascii_queries": sum(1 for t in texts if not t.isascii()),
        "text_len_min_avg_max": [min(map(len, texts)), round(sum(map(len, texts)) / len(texts)), max(map(len, texts))],
        "patterns_per_intent": dict(sorted(collections.Counter(len(it["patterns"]) for it in data["intents"]).items())),
        "query_mix": mix,
    }


def main():
    wasm = None
    if "--check-wasm" in sys.argv:
        wasm = os.path.join(REPO, "pkg", "node", "intent_edge.js")
        if not os.path.exists(wasm):
            die(f"--check-wasm: {wasm} not found (build the Node package first)")
    report = []

    data, plan = build_support_set()
    texts, mix = support_queries(plan, random.Random(SEED))
    pats = [p for it in data["intents"] for p in it["patterns"]]
    expected = compute_expected("support-150", pats, True, texts, wasm)
    write_set(os.path.join(HERE, "support-150.json"), data)
    write_queries(os.path.join(HERE, "support-150.queries.jsonl"), texts, expected)
    report.append(stats("support-150", data, texts, expected, mix))

    rng = random.Random(SEED + 1)
    data, samples = build_bots_set(rng)
    texts, mix = bots_queries(samples, rng)
    pats = [p for it in data["intents"] for p in it["patterns"]]
    expected = compute_expected("bots-1500", pats, False, texts, wasm)
    write_set(os.path.join(HERE, "bots-1500.json"), data)
    write_queries(os.path.join(HERE, "bots-1500.queries.jsonl"), texts, expected)
    report.append(stats("bots-1500", data, texts, expected, mix))

    for r in report:
        print(json.dumps(r, ensure_ascii=False))
    print("engines agreeing on every line: Python re (ASCII), Python re (Unicode), Node RegExp"
          + (", IntentMatcher (wasm)" if wasm else ""))


if __name__ == "__main__":
    main()
