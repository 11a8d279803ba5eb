#!/usr/bin/env python3
"""Generate the two benchmark sets shaped like the ones issue 13 was measured on (deterministic, stdlib only).

    python3 bench/sets/generate_more.py                # writes the four files, checks Python re against Node RegExp
    python3 bench/sets/generate_more.py --check-wasm   # ... and also against the project's own engine (pkg/node)

Outputs (next to this script):
  assistant-64.json,  assistant-64.queries.jsonl    64 intents of keyword phrases, case-insensitive, short texts
  crawlers-1500.json, crawlers-1500.queries.jsonl   1,500 crawler user-agent patterns in the style of the
                                                    crawler-user-agents list (mostly literal tokens), case-sensitive,
                                                    one intent per pattern, long user-agent texts

The expected ids are computed and cross-checked exactly as for support-150 and bots-1500 (generate.py, whose
helpers this script reuses): Python `re` in ASCII and Unicode mode and Node `RegExp` must agree on every line.
"""

import os
import random
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the data
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generate as g  # noqa: E402
from bots_data import BOT_FAMILIES, GEN_BRANDS, GEN_CORES, GEN_PREFIXES  # noqa: E402

SEED = 20261203
N_QUERIES = 3000

# ---------------------------------------------------------------------------------------------------------------
# assistant-64: a voice / chat assistant, one `\b(?:phrase|…)\b` pattern per intent (like BANKING77's keywords)
# ---------------------------------------------------------------------------------------------------------------

ROOMS = ["kitchen", "bedroom", "living room", "hallway", "office", "garage", "bathroom", "garden"]
ARTISTS = ["Adele", "Coldplay", "Miles Davis", "Taylor Swift", "Daft Punk", "Bach", "Nina Simone", "Queen"]
CITIES = ["London", "Paris", "Berlin", "Madrid", "Lisbon", "Dublin", "Rome", "Oslo", "Boston", "Denver"]
NAMES = ["Sarah", "James", "Priya", "Tom", "Ana", "Emma", "Oliver", "Dan", "Kemal", "Mia"]

ASSISTANT = [
    ("weather.current", ["weather (today|now|outside|like)", "(is it|will it be) (hot|cold|warm|sunny) (today|outside)", "what('s| is) the weather", "how (hot|cold|warm) is it", "temperature outside"]),
    ("weather.forecast", ["weather (tomorrow|this weekend|next week)", "forecast for (tomorrow|the weekend|the week)", "weather forecast", "(will|is) it (going to |)(rain|snow) (tomorrow|later|tonight)", "do i need an umbrella"]),
    ("timer.set", ["set (a|the) timer", "timer for (one|two|five|ten|\\d+)", "start (a|the) timer", "count down (from|for)", "countdown"]),
    ("timer.cancel", ["cancel (the|my) timer", "stop (the|my) timer", "(delete|remove) (the|my) timer", "turn off (the|my) timer"]),
    ("alarm.set", ["set (an|the|my) alarm", "wake me up", "alarm for (tomorrow|\\d+)", "(create|add) (an|a new) alarm", "get me up at"]),
    ("alarm.cancel", ["cancel (my|the) alarm", "turn off (my|the) alarm", "(delete|remove) (my|the|all) alarms?", "no alarm tomorrow", "disable (my|the) alarm"]),
    ("alarm.snooze", ["snooze", "five more minutes", "remind me again in", "snooze (the|my) alarm"]),
    ("music.play", ["play (some|the|my) (music|songs|playlist)", "play something by", "put on (some|the) (music|radio)", "play (the |)(album|song) ", "shuffle my (music|songs|playlist)"]),
    ("music.pause", ["pause (the|my|this) (music|song)", "stop (the|my|this) (music|song)", "pause playback", "be quiet", "stop playing"]),
    ("music.skip", ["(skip|next) (song|track)", "skip this", "play the next (one|song|track)", "previous (song|track)", "go back a (song|track)"]),
    ("music.volume", ["(turn|volume) (it |)(up|down)", "(louder|quieter) please", "set (the |)volume to", "(lower|raise) the volume", "mute (the |)(speaker|music|volume)"]),
    ("music.what_playing", ["what('s| is) (this|playing) song", "what song is (this|playing)", "who sings this", "name of this (song|track)", "what('s| is) playing"]),
    ("lights.on", ["turn on the lights?", "lights? on", "switch on the lights?", "turn the lights? on", "(make it|get some) light"]),
    ("lights.off", ["turn off the lights?", "lights? off", "switch off the lights?", "turn the lights? off", "(kill|cut) the lights?"]),
    ("lights.dim", ["dim the lights?", "(brighten|dim) (it|the room)", "lights? to (\\d+) percent", "(lower|raise) the (brightness|lights?)", "lights? (brighter|darker)"]),
    ("lights.color", ["(make|change|set) the lights? (to |)(red|blue|green|warm|cool|white|purple)", "lights? (red|blue|green|purple) please", "change the (light|lights|bulb) colou?r"]),
    ("thermostat.set", ["set the (heating|thermostat|temperature) to", "(turn|put) the heating (up|down|on|off)", "(warmer|cooler) in here", "(raise|lower) the temperature", "thermostat (to|at)"]),
    ("thermostat.query", ["what('s| is) the (heating|thermostat) (set to|at)", "is the heating on", "current (indoor |)temperature", "how warm is it (in here|inside)"]),
    ("lock.door", ["lock the (front |back |)door", "(is|are) the doors? locked", "lock (up|everything)", "unlock the (front |back |)door"]),
    ("camera.show", ["show (me |)the (front door|garden|driveway|baby) camera", "who('s| is) at the door", "camera feed", "doorbell camera"]),
    ("vacuum.start", ["start (the |)(vacuum|hoover|robot vacuum)", "(vacuum|hoover) the (floor|house|kitchen|living room)", "clean the (floor|house)", "send the robot vacuum home"]),
    ("reminder.create", ["remind me to", "set a reminder", "(create|add) a reminder", "don't let me forget", "reminder (for|to) (call|buy|pay|take)"]),
    ("reminder.list", ["(what are|show|list) my reminders", "any reminders (today|for today|tomorrow)", "what did i ask you to remind me", "my reminders"]),
    ("calendar.query", ["what('s| is) on my calendar", "(am i|are we) (free|busy) (today|tomorrow|on)", "my (next|first) (meeting|appointment)", "what('s| is) my schedule", "do i have (any |)meetings"]),
    ("calendar.create", ["(schedule|book|add|create) (a|an) (meeting|appointment|event)", "put (it|a meeting) (in|on) my calendar", "add to my calendar", "set up a (call|meeting) with"]),
    ("calendar.cancel", ["cancel (my|the) (meeting|appointment|event)", "(remove|delete) (it|the event) from my calendar", "clear my (calendar|afternoon|morning)", "reschedule (my|the) (meeting|appointment)"]),
    ("call.make", ["call (my|the) (mum|dad|office|wife|husband|doctor)", "(phone|ring|dial) ", "make a (phone |)call", "video call", "call back (the last|my last)"]),
    ("message.send", ["send a (text|message)", "text (my|the) ", "message (my|the) ", "(tell|let) \\w+ know (that|i)", "reply to (the|my) (last |)message"]),
    ("message.read", ["read (my|the|new) (messages|texts)", "any new (messages|texts)", "(did|has) anyone (texted|messaged)", "read it (out|to me)", "what did \\w+ (say|send)"]),
    ("email.read", ["(read|check) my (email|emails|inbox|mail)", "any new emails?", "unread emails?", "(did|has) \\w+ (emailed|replied)"]),
    ("email.send", ["send an email", "email (my|the) (boss|team|landlord|teacher)", "(write|draft|compose) an email", "reply to (the|that) email"]),
    ("navigation.directions", ["directions to", "how do i get to", "(navigate|take me|drive) to", "route to", "fastest way to"]),
    ("navigation.traffic", ["traffic (on|to|near|like)", "(is|how is) the traffic", "(road|roads) (closed|works)", "any (delays|jams|accidents) on", "commute (time|today)"]),
    ("navigation.eta", ["how long (will it take|to get) to", "when will (i|we) (arrive|get there)", "(eta|arrival time) (to|for|at)", "how far (is|to) "]),
    ("places.nearby", ["(nearest|closest) (petrol station|gas station|pharmacy|cafe|atm|supermarket)", "(restaurants?|cafes?|bars?|pharmacies) near (me|here|by)", "where can i (get|find|buy) ", "open (now|late) near"]),
    ("places.hours", ["(opening|closing) (hours|times)", "what time does \\w+ (open|close)", "is \\w+ open (now|today|tomorrow)", "when does the \\w+ (open|close)"]),
    ("food.order", ["order (a |some |)(pizza|takeaway|food|sushi|curry|burger)", "(get|want) (a |some |)(pizza|takeaway|sushi|curry) delivered", "food delivery", "order from (my usual|the usual)"]),
    ("food.recipe", ["(recipe|recipes) for", "how (do|to) (i |)(make|cook|bake)", "what can i (cook|make) with", "(dinner|lunch|breakfast) ideas", "how long (do i|to) (boil|bake|roast)"]),
    ("shopping.add", ["add (\\w+ |)to (my|the) (shopping|grocery) list", "put (\\w+ |)on (my|the) (shopping|grocery) list", "we need (more |)(milk|eggs|bread|coffee|butter)", "(we('re| are)|i('m| am)) out of (milk|eggs|bread|coffee)"]),
    ("shopping.read", ["(what('s| is) on|read|show) (my|the) (shopping|grocery) list", "(shopping|grocery) list please", "what do (i|we) need (to buy|from the shop)"]),
    ("news.headlines", ["(news|headlines) (today|this morning|now)", "what('s| is) (in|on) the news", "(latest|top) (news|headlines|stories)", "read (me |)the news", "(sports|business|tech) news"]),
    ("sports.score", ["(what('s| was) the|final) score", "who won (the|last night)", "(did|how did) (we|they|\\w+) (win|lose|play|do)", "(match|game) (result|score)", "league table"]),
    ("stocks.price", ["stock price (of|for)", "(how('s| is)|how are) (the|my) (stocks|shares|market)", "share price", "(price|value) of (bitcoin|ethereum|gold)", "(dow|ftse|nasdaq|s&p) (today|now)"]),
    ("math.calculate", ["what('s| is) (\\d+) (plus|minus|times|divided by)", "(calculate|work out) ", "(\\d+) percent of", "square root of", "how much is (\\d+)"]),
    ("convert.units", ["(convert|how many) (cups|grams|ounces|pounds|kilos|miles|kilometres|kilometers|feet|inches|litres|liters)", "in (celsius|fahrenheit)", "(miles|kilometres|kilometers) (in|to) (a|one|\\d+)", "how (many|much) \\w+ in (a|an|one) "]),
    ("convert.currency", ["(dollars|euros|pounds|yen) (in|to) (dollars|euros|pounds|yen)", "exchange rate", "how much is (\\d+) (dollars|euros|pounds|yen)", "convert (\\d+ |)(dollars|euros|pounds|yen)"]),
    ("translate", ["(how do you say|what('s| is)) \\w+( \\w+)? in (french|spanish|german|italian|japanese|portuguese)", "translate (this|that|it) (to|into)", "(in|into) (french|spanish|german|italian|japanese|portuguese) please", "what does \\w+ mean in"]),
    ("define.word", ["(define|definition of) ", "what does the word", "meaning of (the word |)", "spell (the word |)", "(synonym|antonym) (of|for)"]),
    ("facts.question", ["(who|what) (is|was|are|were) the (first|tallest|biggest|oldest|longest)", "how (tall|old|big|far|deep) is", "who (invented|discovered|wrote|painted) ", "when (was|did) \\w+ (born|die|invented)", "population of"]),
    ("time.now", ["what time is it", "(current|the) time (in|now)", "what('s| is) the time", "tell me the time", "time in (tokyo|new york|london|sydney)"]),
    ("date.today", ["what('s| is) the date", "what day is (it|today)", "(today('s| is)) date", "what('s| is) today", "which day is"]),
    ("joke", ["tell (me |us |)a joke", "make me laugh", "something funny", "(another|one more) joke", "know any jokes"]),
    ("greeting", ["(good )?(morning|afternoon|evening) (assistant|there)", "hello there", "hey (assistant|there|buddy)", "hi there", "how are you( doing|)"]),
    ("thanks", ["thank(s| you)( so much| very much|)", "cheers mate", "much appreciated", "that('s| is) (great|perfect|helpful)", "nice one"]),
    ("goodbye", ["(goodbye|good bye|bye bye)", "see you (later|soon|tomorrow)", "(goodnight|good night|night night)", "talk (to you |)later", "that('s| is) all for now"]),
    ("help", ["what can you do", "(help me|i need help)", "how do (i|you) use (this|you)", "(list|show) (me |)(your |)(commands|skills|features)", "what are you able to"]),
    ("device.battery", ["(battery|charge) (level|status|left)", "how much (battery|charge)", "(phone|laptop|watch) (battery|charge)", "is my (phone|laptop|watch) charged"]),
    ("device.wifi", ["(wifi|wi-fi|internet) (is |)(down|slow|not working)", "(restart|reboot) the (router|wifi|wi-fi)", "wifi password", "(connect|disconnect) (to |from |)(the |)(wifi|wi-fi)"]),
    ("device.bluetooth", ["(turn|switch) (on|off) bluetooth", "bluetooth (on|off)", "(pair|connect) (my |the |)(headphones|speaker|earbuds)", "(disconnect|unpair) (my |the |)(headphones|speaker|earbuds)"]),
    ("device.do_not_disturb", ["do not disturb", "(turn|switch) (on|off) (notifications|silent mode)", "(silence|mute) (my |)(phone|notifications)", "no notifications (until|for)"]),
    ("fitness.log", ["(log|track|record) (my |a |)(run|walk|workout|swim|ride)", "how many steps", "(calories|steps) (today|this week)", "start (a |my |)(workout|run)"]),
    ("health.medication", ["(take|took) my (pills|medication|medicine|tablets)", "remind me to take (my |)(pills|medication|medicine|tablets)", "(medication|pill) reminder", "did i take my (pills|medication)"]),
    ("taxi.book", ["(book|get|call|order) (me |us |)(a |an |)(taxi|cab|uber|ride)", "(taxi|cab|ride) to (the |)(airport|station|office|home)", "how much is a (taxi|cab|ride) to"]),
    ("flight.status", ["(flight|plane) (status|delayed|on time)", "is (my|the) flight (delayed|on time|cancelled|canceled)", "(arrivals|departures) board", "when does (my|the) flight (land|leave|depart)"]),
]
CARRIERS = ["{P}", "{P} please", "{P}?", "can you {P}", "hey {P}", "ok {P}", "please {P}", "{P} now", "could you {P}",
            "{P} thanks", "quick one, {P}", "um {P}", "{P} for me", "I want to {P}", "{P}!"]
NEAR_MISSES = [
    "is the oven preheated", "what a lovely day", "the lights in the film were great", "I timed the run myself",
    "my music teacher called", "turning the corner now", "lock screen photo", "play date on friday with {NAME}",
    "the news was boring", "no need to remind anyone", "my alarm clock is broken", "stock up on candles",
    "sounds good", "never mind", "forget it", "hmm", "wrong button", "who is {NAME}", "that was fun",
    "the weatherman was wrong", "books about {CITY}", "scores of people", "just checking", "ok", "yes", "no thanks",
]
NEUTRAL = [
    "I'm at home", "{NAME} is coming over", "we had pasta for dinner", "the cat is asleep", "going to {CITY} soon",
    "my {ROOM} is a mess", "listening to {ARTIST}", "it was a long day", "nothing much", "maybe later",
    "the kids are in bed", "work was busy today", "just got back", "traffic was fine", "lol", "haha nice",
]


def fill(t, rng):
    return (t.replace("{NAME}", rng.choice(NAMES)).replace("{CITY}", rng.choice(CITIES))
            .replace("{ROOM}", rng.choice(ROOMS)).replace("{ARTIST}", rng.choice(ARTISTS)))


class AssistantPhrase:
    """A phrase written directly as a small regex (spaces become `\\s+`), with a sampler for its texts."""

    def __init__(self, src):
        self.src = src
        self.regex = src.replace(" ", r"\s+").replace("(", "(?:")

    def sample(self, rng):
        s = self.src

        def seq(pos):
            parts = []
            while pos < len(s) and s[pos] not in "|)":
                if s[pos] == "(":
                    alts, pos = [], pos + 1
                    while True:
                        text, pos = seq(pos)
                        alts.append(text)
                        if s[pos] == "|":
                            pos += 1
                            continue
                        pos += 1  # ")"
                        break
                    choice = rng.choice(alts)
                    if pos < len(s) and s[pos] == "?":  # optional group
                        pos += 1
                        choice = choice if rng.random() < 0.5 else ""
                    parts.append(choice)
                elif s.startswith(r"\d+", pos):
                    parts.append(str(rng.randint(2, 45)))
                    pos += 3
                elif s.startswith(r"\w+", pos):
                    parts.append(rng.choice(["sam", "lisa", "tesco", "this", "bonjour", "pete"]))
                    pos += 3
                elif s[pos] == "?":  # optional last letter: keep it or drop it
                    if parts and parts[-1] and rng.random() < 0.5:
                        parts[-1] = parts[-1][:-1]
                    pos += 1
                else:
                    parts.append(s[pos])
                    pos += 1
            return "".join(parts), pos
        text, _ = seq(0)
        return " ".join(text.split())


def build_assistant_set():
    intents, plan = [], []
    for iid, phrases in ASSISTANT:
        ps = [AssistantPhrase(p) for p in phrases]
        pattern = r"\b(?:" + "|".join(p.regex for p in ps) + r")\b"
        g.check_syntax(pattern)
        intents.append({"id": iid, "patterns": [pattern]})
        plan.append(ps)
    if len(intents) != 64:
        g.die(f"assistant: expected 64 intents, have {len(intents)}")
    return {"options": {"caseInsensitive": True}, "intents": intents}, plan


def assistant_queries(plan, rng):
    texts, seen, mix = [], set(), {}
    kinds = ["phrase"] * 55 + ["two"] * 5 + ["near"] * 20 + ["neutral"] * 20
    while len(texts) < N_QUERIES:
        kind = rng.choice(kinds)
        if kind == "phrase":
            t = fill(rng.choice(CARRIERS), rng).replace("{P}", rng.choice(rng.choice(plan)).sample(rng))
            if rng.random() < 0.4:
                t += rng.choice([" in the " + rng.choice(ROOMS), " for " + rng.choice(NAMES), " in " + rng.choice(CITIES),
                                 " tomorrow", " tonight", " at 7", ""])
        elif kind == "two":
            a, b = rng.sample(plan, 2)
            t = f"{rng.choice(a).sample(rng)} and {rng.choice(b).sample(rng)}"
        elif kind == "near":
            t = fill(rng.choice(NEAR_MISSES), rng)
        else:
            t = fill(rng.choice(NEUTRAL), rng)
        t = g.recase(" ".join(t.split()), rng)
        if not 2 <= len(t) <= 80 or t in seen and rng.random() < 0.9:
            continue
        seen.add(t)
        texts.append(t)
        mix[kind] = mix.get(kind, 0) + 1
    return texts, dict(sorted(mix.items()))


# ---------------------------------------------------------------------------------------------------------------
# crawlers-1500: one pattern per intent, as in the crawler-user-agents list: mostly a literal token of the bot's
# user agent (`Googlebot\/`, `bingbot`, `[wW]get`, `^curl`, `python-requests`), some with a version or an anchor
# ---------------------------------------------------------------------------------------------------------------

# Tokens as the list writes them; `/` escaped (`\/`) as in the JSON file that list ships.
KNOWN = [
    r"Googlebot\/", r"Googlebot-Mobile", r"Googlebot-Image", r"Googlebot-News", r"Googlebot-Video", r"AdsBot-Google([^-]|$)",
    r"AdsBot-Google-Mobile", r"Feedfetcher-Google", r"Mediapartners-Google", r"APIs-Google", r"Google-InspectionTool",
    r"GoogleOther", r"Google-Extended", r"bingbot", r"BingPreview", r"msnbot", r"adidxbot", r"Slurp", r"DuckDuckBot",
    r"Baiduspider", r"YandexBot", r"YandexImages", r"YandexMobileBot", r"Sogou", r"Exabot", r"facebot",
    r"facebookexternalhit", r"meta-externalagent", r"ia_archiver", r"archive\.org_bot", r"AhrefsBot", r"SemrushBot",
    r"MJ12bot", r"DotBot", r"rogerbot", r"BLEXBot", r"SeznamBot", r"PetalBot", r"Applebot", r"Twitterbot",
    r"LinkedInBot", r"Slackbot", r"Slack-ImgProxy", r"Discordbot", r"TelegramBot", r"WhatsApp", r"Pinterestbot",
    r"redditbot", r"Embedly", r"Quora Link Preview", r"SkypeUriPreview", r"GPTBot", r"ChatGPT-User", r"OAI-SearchBot",
    r"ClaudeBot", r"Claude-Web", r"anthropic-ai", r"PerplexityBot", r"Amazonbot", r"Bytespider", r"CCBot",
    r"cohere-ai", r"Diffbot", r"YouBot", r"[wW]get", r"^curl", r"python-requests", r"python-urllib",
    r"Python-urllib", r"aiohttp", r"httpx", r"Go-http-client", r"^Apache-HttpClient", r"okhttp", r"Java\/",
    r"libwww-perl", r"PHP\/", r"Ruby", r"axios\/", r"node-fetch", r"undici", r"Scrapy", r"HeadlessChrome",
    r"PhantomJS", r"Puppeteer", r"Playwright", r"UptimeRobot", r"Pingdom", r"StatusCake", r"Site24x7",
    r"NewRelicPinger", r"Datadog", r"Zabbix", r"Nagios", r"check_http", r"Feedly", r"Feedbin", r"NewsBlur",
    r"Inoreader", r"Tiny Tiny RSS", r"Nutch", r"heritrix", r"Screaming Frog SEO Spider", r"SiteAuditBot",
    r"Sitebulb", r"serpstatbot", r"DataForSeoBot", r"Barkrowler", r"zoominfobot", r"CensysInspect", r"Expanse",
    r"masscan", r"zgrab", r"Nmap Scripting Engine", r"nuclei", r"Nikto", r"sqlmap", r"WPScan",
]
# Shapes of the generated vendors' tokens: {N} CamelName, {l} lowercase name.
SHAPES = [
    (r"{N}Bot", "Mozilla/5.0 (compatible; {N}Bot/{v}; +https://{d}/bot)"),
    (r"{l}bot", "{l}bot/{v} (+http://www.{d}/{l}bot.html)"),
    (r"{N}Spider", "Mozilla/5.0 (compatible; {N}Spider/{v}; +http://{d}/spider.html)"),
    (r"{l}-crawler", "{l}-crawler/{v} (+https://{d}/crawler; crawler@{d})"),
    (r"{N}Crawler", "Mozilla/5.0 (compatible; {N}Crawler/{v}; +https://{d})"),
    (r"^{N}\/", "{N}/{v} (+https://{d})"),
    (r"{N}-(Fetcher|Agent)", "{N}-Fetcher/{v} (+https://{d})"),
    (r"{N}Monitor", "{N}Monitor/{v} (https://{d}; check id 12345)"),
    (r"{l}-http\/\d", "{l}-http/{v}"),
    (r"{N}(Bot|bot)\/\d", "Mozilla/5.0 (compatible; {N}bot/{v}; +https://{d}/about)"),
    (r"{N}Preview", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 {N}Preview/{v}"),
    (r"[{c}{c_}]{rest}bot", "{l}bot/{v} (+https://{d}/bot)"),
]


def crawler_names(rng):
    combos = [(p, c) for p in GEN_PREFIXES for c, _ in GEN_CORES]
    rng.shuffle(combos)
    names = [b for b, _ in GEN_BRANDS] + [p + c for p, c in combos]
    out, seen = [], set()
    for n in names:
        if n.lower() not in seen and n.isalnum():
            seen.add(n.lower())
            out.append(n)
    return out


def build_crawlers_set(rng):
    patterns, samplers = [], []
    for p in KNOWN:
        patterns.append(p)
        samplers.append(None)  # user agents for these come from bots_data's families or the browser generator
    for n in crawler_names(rng):
        if len(patterns) >= 1500:
            break
        shape, ua = rng.choice(SHAPES)
        low = n.lower()
        esc_n = g.esc(n)
        p = (shape.replace("{N}", esc_n).replace("{l}", g.esc(low)).replace("{c}", n[0]).replace("{c_}", n[0].lower())
             .replace("{rest}", g.esc(low[1:])))
        patterns.append(p)
        dom = f"{low}.{rng.choice(g.TLDS)}"
        samplers.append((ua, n, low, dom))
    if len(patterns) != 1500:
        g.die(f"crawlers: {len(patterns)} patterns, expected 1500 (add names to bots_data.py)")
    for p in patterns:
        g.check_syntax(p.replace("\\/", "/"))  # the list escapes `/`, which every engine here accepts
    intents = [{"id": f"crawler.{k:04d}", "patterns": [p]} for k, p in enumerate(patterns)]
    return {"options": {"caseInsensitive": False}, "intents": intents}, samplers


def crawlers_queries(samplers, rng):
    known_uas = [ua for fam in BOT_FAMILIES for ua in fam["uas"]]
    gen = [s for s in samplers if s]
    texts, mix = [], {}
    while len(texts) < N_QUERIES:
        r = rng.random()
        if r < 0.62:
            t, kind = g.browser_ua(rng), "browser"
        elif r < 0.80:
            t, kind = g.fill_ua(rng.choice(known_uas), rng), "known_bot"
        else:
            ua, n, low, dom = rng.choice(gen)
            t = ua.replace("{N}", n).replace("{l}", low).replace("{d}", dom).replace("{v}", g.v2(rng))
            kind = "generated_bot"
        texts.append(t)
        mix[kind] = mix.get(kind, 0) + 1
    return texts, dict(sorted(mix.items()))


def main():
    wasm = None
    if "--check-wasm" in sys.argv:
        wasm = os.path.join(g.REPO, "pkg", "node", "intent_edge.js")
        if not os.path.exists(wasm):
            g.die(f"--check-wasm: {wasm} not found (build the Node package first)")
    import json
    report = []
    for name, build, queries, ci in [
        ("assistant-64", lambda rng: build_assistant_set(), assistant_queries, True),
        ("crawlers-1500", build_crawlers_set, crawlers_queries, False),
    ]:
        rng = random.Random(f"{SEED}-{name}")
        data, plan = build(rng)
        texts, mix = queries(plan, rng)
        pats = [p for it in data["intents"] for p in it["patterns"]]
        expected = g.compute_expected(name, pats, ci, texts, wasm)
        g.write_set(os.path.join(HERE, f"{name}.json"), data)
        g.write_queries(os.path.join(HERE, f"{name}.queries.jsonl"), texts, expected)
        report.append(g.stats(name, data, texts, expected, mix))
    for r in report:
        print(json.dumps(r, ensure_ascii=False))
    print("engines agreeing on every line: Python re (ASCII), Python re (Unicode), Node RegExp"
          + (", IntentMatcher (wasm)" if wasm else ""))


if __name__ == "__main__":
    main()
