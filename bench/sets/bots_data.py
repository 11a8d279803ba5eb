"""Data for the bots-1500 set (imported by generate.py).

BOT_FAMILIES: hand-written families in the spirit of crawler-user-agents / ua-parser: id, case-sensitive patterns,
and real-world style user-agent strings (placeholders {chrome} {cmajor} {v2} {v3} {n} are filled at random).
The rest of the 1,500 patterns are generated from GEN_BRANDS and GEN_PREFIXES x GEN_CORES (see generate.py).
"""


def F(fid, patterns, uas, priority=0):
    return {"id": fid, "patterns": patterns, "uas": uas, "priority": priority}


CHROME_AND = "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome} Mobile Safari/537.36"
CHROME_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cmajor} Safari/537.36"

BOT_FAMILIES = [
    # --- search engines ---------------------------------------------------------------------------------------
    F("search_engine.google", [
        r"Googlebot/\d+\.\d+", r"Googlebot-(?:Image|News|Video)/\d\.\d", r"\bAdsBot-Google(?:-Mobile)?\b",
        r"Mediapartners-Google", r"\bGoogle-InspectionTool/\d\.\d"], [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        CHROME_AND + " (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/{chrome} Safari/537.36",
        "Googlebot-Image/1.0", "Googlebot-Video/1.0", "Googlebot-News",
        "AdsBot-Google (+http://www.google.com/adsbot.html)",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 14_7_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.1.2 Mobile/15E148 Safari/604.1 (compatible; AdsBot-Google-Mobile; +http://www.google.com/mobile/adsbot.html)",
        "Mediapartners-Google", "Mozilla/5.0 (compatible; Google-InspectionTool/1.0)"], priority=10),
    F("search_engine.google_other", [
        r"\bGoogleOther\b", r"\bGoogle-Extended\b", r"FeedFetcher-Google", r"\bGoogle-Read-Aloud\b", r"\bAPIs-Google\b"], [
        "Mozilla/5.0 (compatible; GoogleOther)", CHROME_WIN + " (compatible; GoogleOther)",
        "FeedFetcher-Google; (+http://www.google.com/feedfetcher.html)",
        "Mozilla/5.0 (Linux; Android 7.0; SM-G930V Build/NRD90M) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/59.0.3071.125 Mobile Safari/537.36 (compatible; Google-Read-Aloud; +https://support.google.com/webmasters/answer/1061943)",
        "APIs-Google (+https://developers.google.com/webmasters/APIs-Google.html)"]),
    F("search_engine.bing", [
        r"\bbingbot/\d+\.\d+", r"\bBingPreview/\d\.\d", r"\bmsnbot(?:-media)?/\d\.\d", r"\badidxbot/\d\.\d"], [
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/{chrome} Safari/537.36",
        "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/534+ (KHTML, like Gecko) BingPreview/1.0b",
        "msnbot-media/1.1 (+http://search.msn.com/msnbot.htm)", "msnbot/2.0b (+http://search.msn.com/msnbot.htm)",
        "Mozilla/5.0 (compatible; adidxbot/2.0; +http://www.bing.com/bingbot.htm)"], priority=10),
    F("search_engine.yandex", [
        r"\bYandexBot/\d\.\d", r"\bYandex(?:Images|Video|Metrika|Favicons|Webmaster|Accessibility|Mobile)Bot/\d",
        r"\bYandex[A-Z][A-Za-z]+/\d"], [
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 15_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.4 Mobile/15E148 Safari/604.1 (compatible; YandexMobileBot/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 (compatible; YandexImages/3.0; +http://yandex.com/bots)",
        "Mozilla/5.0 (compatible; YandexMetrika/2.0; +http://yandex.com/bots)",
        "Mozilla/5.0 (compatible; YandexAccessibilityBot/3.0; +http://yandex.com/bots)"]),
    F("search_engine.baidu", [r"\bBaiduspider(?:-[a-z]+)?[/+]", r"\bBaidu-YunGuanCe-[A-Za-z]+"], [
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Baiduspider-image+(+http://www.baidu.com/search/spider.htm)",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 9_1 like Mac OS X) AppleWebKit/601.1.46 (KHTML, like Gecko) Version/9.0 Mobile/13B143 Safari/601.1 (compatible; Baiduspider-render/2.0; +http://www.baidu.com/search/spider.html)",
        "Baidu-YunGuanCe-Bot(ce.baidu.com)"]),
    F("search_engine.duckduckgo", [r"DuckDuckBot/\d\.\d", r"DuckDuckGo-Favicons-Bot/\d\.\d", r"\bDuckAssistBot/\d\.\d"], [
        "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
        "Mozilla/5.0 (compatible; DuckDuckGo-Favicons-Bot/1.0; +http://duckduckgo.com)",
        "DuckAssistBot/1.2; (+http://duckduckgo.com/duckassistbot.html)"]),
    F("search_engine.yahoo", [r"Yahoo! Slurp", r"\bY!J-[A-Z]{3}/"], [
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        "Y!J-BRW/1.0 (https://www.yahoo-help.jp/app/answers/detail/p/595/a_id/42716)"]),
    F("search_engine.apple", [r"\bApplebot/\d+\.\d+", r"\bApplebot-Extended\b"], [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
        "Mozilla/5.0 (compatible; Applebot/0.3; +http://www.apple.com/go/applebot)"]),
    F("search_engine.petal", [r"Mozilla/5\.0.*\bPetalBot\b", r"\bAspiegelBot\b"], [
        "Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
        "Mozilla/5.0 (compatible;PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
        "Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; AspiegelBot)"]),
    F("search_engine.seznam", [r"SeznamBot/\d\.\d", r"\bSeznam screenshot-generator\b"], [
        "Mozilla/5.0 (compatible; SeznamBot/4.0; +https://o-seznam.cz/napoveda/vyhledavani/en/seznambot-crawler/)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Seznam screenshot-generator 2.1"]),
    F("search_engine.naver", [r"\bYeti/\d\.\d", r"\bNaverBot\b"], [
        "Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)", "Mozilla/4.0 (compatible; NaverBot/1.0; http://help.naver.com/customer_webtxt_02.jsp)"]),
    F("search_engine.sogou", [r"Sogou (?:web|inst|Pic|News|Orion) spider/\d\.\d"], [
        "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
        "Sogou Pic spider/3.0(+http://www.sogou.com/docs/help/webmasters.htm#07)"]),
    F("search_engine.coccoc", [r"\bcoccocbot-(?:web|image)/\d\.\d"], [
        "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
        "Mozilla/5.0 (compatible; coccocbot-image/1.0; +http://help.coccoc.com/searchengine)"]),
    F("search_engine.qwant", [r"\bQwantify/\d\.\d", r"\bQwantbot/\d\.\d"], [
        "Mozilla/5.0 (compatible; Qwantify/2.4w; +https://www.qwant.com/)/2.4w",
        "Mozilla/5.0 (compatible; Qwantbot/1.0; +https://help.qwant.com/bot/)"]),
    F("search_engine.mojeek", [r"\bMojeekBot/\d\.\d"], ["Mozilla/5.0 (compatible; MojeekBot/0.11; +https://www.mojeek.com/bot.html)"]),
    F("search_engine.others", [r"\b360Spider\b", r"\bYisouSpider\b", r"\bExabot/\d\.\d", r"\bNeevabot/\d\.\d", r"\bDaum/\d\.\d"], [
        "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0); 360Spider",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/69.0.3497.81 YisouSpider/5.0 Safari/537.36",
        "Mozilla/5.0 (compatible; Exabot/3.0; +http://www.exabot.com/go/robot)",
        "Mozilla/5.0 (compatible; Neevabot/1.0; +https://neeva.com/neevabot)",
        "Mozilla/5.0 (compatible; Daum/4.1; +http://cs.daum.net/faq/15/4118.html?faqId=28966)"]),

    # --- SEO tools --------------------------------------------------------------------------------------------
    F("seo.ahrefs", [r"\bAhrefsBot/\d\.\d", r"\bAhrefsSiteAudit/\d\.\d"], [
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "Mozilla/5.0 (compatible; AhrefsSiteAudit/6.1; +http://ahrefs.com/robot/site-audit)",
        CHROME_AND + " (compatible; AhrefsSiteAudit/6.1; +http://ahrefs.com/robot/site-audit)"]),
    F("seo.semrush", [r"\bSemrushBot(?:-[A-Za-z]+)?/\d", r"\bSiteAuditBot/\d\.\d", r"\bSplitSignalBot\b"], [
        "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
        "Mozilla/5.0 (compatible; SemrushBot-BA; +http://www.semrush.com/bot.html)",
        "Mozilla/5.0 (compatible; SiteAuditBot/0.97; +http://www.semrush.com/bot.html)",
        "Mozilla/5.0 (compatible; SplitSignalBot/1.0; +http://www.semrush.com/bot.html)"]),
    F("seo.majestic", [r"\bMJ12bot/v\d+\.\d+\.\d+"], ["Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)"]),
    F("seo.moz", [r"\bDotBot/\d\.\d", r"\brogerbot/\d\.\d"], [
        "Mozilla/5.0 (compatible; DotBot/1.2; +https://opensiteexplorer.org/dotbot; help@moz.com)",
        "rogerbot/1.2 (https://moz.com/help/guides/moz-procedures/what-is-rogerbot, rogerbot-crawler+aardwolf-production-crawler-32@moz.com)"]),
    F("seo.screaming_frog", [r"Screaming Frog SEO Spider/\d+(?:\.\d+)*"], ["Screaming Frog SEO Spider/19.4", "Screaming Frog SEO Spider/20.1"]),
    F("seo.sistrix", [r"\bSISTRIX Crawler\b"], ["Mozilla/5.0 (compatible; SISTRIX Crawler; http://crawler.sistrix.net/)"]),
    F("seo.serpstat", [r"\bserpstatbot/\d\.\d"], ["serpstatbot/2.1 (advanced backlink tracking bot; https://serpstatbot.com/; abuse@serpstatbot.com)"]),
    F("seo.blexbot", [r"\bBLEXBot/\d\.\d"], ["Mozilla/5.0 (compatible; BLEXBot/1.0; +http://webmeup-crawler.com/)"]),
    F("seo.dataforseo", [r"\bDataForSeoBot/\d\.\d"], ["Mozilla/5.0 (compatible; DataForSeoBot/1.0; +https://dataforseo.com/dataforseo-bot)"]),
    F("seo.babbar", [r"\bBarkrowler/\d\.\d"], ["Mozilla/5.0 (compatible; Barkrowler/0.9; +https://babbar.tech/crawler)"]),
    F("seo.megaindex", [r"\bMegaIndex\.ru/\d\.\d"], ["Mozilla/5.0 (compatible; MegaIndex.ru/2.0; +http://megaindex.com/crawler)"]),
    F("seo.seokicks", [r"\bSEOkicks\b"], ["Mozilla/5.0 (compatible; SEOkicks; +https://www.seokicks.de/robot.html)"]),
    F("seo.linkdex", [r"\blinkdexbot/\d\.\d"], ["Mozilla/5.0 (compatible; linkdexbot/2.2; +http://www.linkdex.com/bots/)"]),
    F("seo.netcraft", [r"\bNetcraftSurveyAgent/\d\.\d"], ["Mozilla/5.0 (compatible; NetcraftSurveyAgent/1.0; +info@netcraft.com)"]),
    F("seo.siteimprove", [r"\bSiteimprove\b"], [CHROME_WIN + " Siteimprove.com"]),
    F("seo.ryte", [r"\bRyteBot/\d"], ["Mozilla/5.0 (compatible; RyteBot/1.0.0; +https://bot.ryte.com/)"]),
    F("seo.seobility", [r"\bSeobility\b"], ["Mozilla/5.0 (compatible; Seobility; +https://www.seobility.net/sites/bot.html)"]),
    F("seo.oncrawl", [r"\bOncrawl\b"], ["Mozilla/5.0 (compatible; Oncrawl/1.0; +https://www.oncrawl.com/)"]),
    F("seo.contentking", [r"\bContentKing/\d"], ["Mozilla/5.0 (compatible; ContentKing/1.0; +https://whatis.contentkingapp.com)"]),

    # --- social / link previews -------------------------------------------------------------------------------
    F("social.facebook", [
        r"facebookexternalhit/1\.1", r"\bfacebookcatalog/1\.0", r"\bmeta-externalagent/\d\.\d",
        r"\bmeta-externalfetcher/\d\.\d", r"\bFacebookBot/\d\.\d"], [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "facebookcatalog/1.0", "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
        "meta-externalfetcher/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
        "Mozilla/5.0 (compatible; FacebookBot/1.0; +https://developers.facebook.com/docs/sharing/webmasters/facebookbot/)",
        "facebookexternalhit/1.1 Facebot Twitterbot/1.0"]),
    F("social.twitter", [r"\bTwitterbot/\d\.\d"], ["Twitterbot/1.0"]),
    F("social.linkedin", [r"\bLinkedInBot/\d\.\d"], ["LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)"]),
    F("social.slack", [r"\bSlackbot-LinkExpanding \d\.\d", r"\bSlack-ImgProxy\b", r"^Slackbot \d\.\d"], [
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "Slack-ImgProxy (+https://api.slack.com/robots)",
        "Slackbot 1.0 (+https://api.slack.com/robots)"]),
    F("social.discord", [r"\bDiscordbot/\d\.\d"], ["Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)"]),
    F("social.telegram", [r"\bTelegramBot \(like TwitterBot\)"], ["TelegramBot (like TwitterBot)"]),
    F("social.whatsapp", [r"^WhatsApp/\d+(?:\.\d+)*"], ["WhatsApp/2.23.20.0", "WhatsApp/2.2407.3 A", "WhatsApp/2.24.6.77 i"]),
    F("social.pinterest", [r"\bPinterestbot/\d\.\d", r"\bPinterest/0\.2\b"], [
        "Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)",
        "Pinterest/0.2 (+http://www.pinterest.com/bot.html)"]),
    F("social.reddit", [r"\bredditbot/\d\.\d"], ["Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)"]),
    F("social.skype", [r"\bSkypeUriPreview\b"], ["Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com"]),
    F("social.embeds", [r"\bEmbedly/\d\.\d", r"\bIframely/\d\.\d"], [
        "Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)",
        "Iframely/1.3.1 (+https://iframely.com/docs/about) Atlassian"]),
    F("social.vk", [r"\bvkShare\b"], ["Mozilla/5.0 (compatible; vkShare; +http://vk.com/dev/Share)"]),
    F("social.mastodon", [r"\bMastodon/\d+\.\d+\.\d+"], ["http.rb/5.1.1 (Mastodon/4.2.8; +https://mastodon.social/) Bot",
                                                       "http.rb/5.2.0 (Mastodon/4.3.1; +https://fosstodon.org/)"]),
    F("social.bluesky", [r"\bBluesky Cardyb/\d\.\d"], ["Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)"]),
    F("social.snapchat", [r"\bSnap URL Preview Service\b"], [
        "Mozilla/5.0 (compatible; Snap URL Preview Service; bot; snapchat; https://developers.snap.com/robots)"]),

    # --- AI crawlers --------------------------------------------------------------------------------------------
    F("ai.openai", [r"\bGPTBot/\d\.\d", r"\bChatGPT-User/\d\.\d", r"\bOAI-SearchBot/\d\.\d"], [
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; OAI-SearchBot/1.0; +https://openai.com/searchbot"]),
    F("ai.anthropic", [r"\bClaudeBot/\d\.\d", r"\bClaude-Web/\d\.\d", r"\banthropic-ai\b", r"\bClaude-User/\d\.\d",
                       r"\bClaude-SearchBot/\d\.\d"], [
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
        "Claude-Web/1.0 (web crawler; +https://www.anthropic.com/)", "anthropic-ai",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Claude-User/1.0; +Claude-User@anthropic.com)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Claude-SearchBot/1.0; +Claude-SearchBot@anthropic.com)"]),
    F("ai.commoncrawl", [r"\bCCBot/\d\.\d"], ["CCBot/2.0 (https://commoncrawl.org/faq/)"]),
    F("ai.perplexity", [r"\bPerplexityBot/\d\.\d", r"\bPerplexity-User/\d\.\d"], [
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Perplexity-User/1.0; +https://perplexity.ai/perplexity-user)"]),
    F("ai.bytedance", [r"\bBytespider\b", r"\bTikTokSpider\b"], [
        "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cmajor} Mobile Safari/537.36 (compatible; TikTokSpider; ttspider-feedback@tiktok.com)"]),
    F("ai.amazon", [r"\bAmazonbot/\d\.\d"], [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/600.2.5 (KHTML, like Gecko) Version/8.0.2 Safari/600.2.5 (Amazonbot/0.1; +https://developer.amazon.com/support/amazonbot)"]),
    F("ai.cohere", [r"\bcohere-ai\b", r"\bcohere-training-data-crawler\b"], ["cohere-ai", "cohere-training-data-crawler/1.0"]),
    F("ai.diffbot", [r"\bDiffbot/\d\.\d"], ["Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/49.0.2623.110 Safari/537.36 (compatible; Diffbot/0.1; +http://www.diffbot.com)"]),
    F("ai.you", [r"\bYouBot/\d\.\d"], ["Mozilla/5.0 (compatible; YouBot/1.0; +https://about.you.com/youbot/)"]),
    F("ai.ai2", [r"\bAI2Bot\b"], ["Mozilla/5.0 (compatible) AI2Bot (+https://www.allenai.org/crawler)"]),
    F("ai.timpi", [r"\bTimpibot/\d\.\d"], ["Timpibot/0.8 (+http://www.timpi.io)"]),
    F("ai.omgili", [r"\bomgili(?:bot)?/\d\.\d"], ["omgili/0.5 +http://omgili.com", "omgilibot/0.4 +http://omgili.com"]),
    F("ai.imagesift", [r"\bImagesiftBot\b"], ["Mozilla/5.0 (compatible; ImagesiftBot; +imagesift.com)"]),
    F("ai.mistral", [r"\bMistralAI-User/\d\.\d"], ["Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; MistralAI-User/1.0; +https://docs.mistral.ai/robots)"]),

    # --- monitoring -----------------------------------------------------------------------------------------------
    F("monitor.uptimerobot", [r"\bUptimeRobot/\d\.\d"], ["Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"]),
    F("monitor.pingdom", [r"\bPingdom\.com_bot_version_\d+\.\d+", r"\bPingdomPageSpeed/\d\.\d"], [
        "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cmajor} Safari/537.36 PingdomPageSpeed/1.0 (pingbot/2.0; +http://www.pingdom.com/)"]),
    F("monitor.statuscake", [r"\bStatusCake\b"], ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 StatusCake_Pagespeed_Indev"]),
    F("monitor.site24x7", [r"\bSite24x7\b"], ["Site24x7", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cmajor} Safari/537.36 Site24x7"]),
    F("monitor.newrelic", [r"\bNewRelicPinger/\d\.\d"], ["NewRelicPinger/1.0 ({n})"]),
    F("monitor.datadog", [r"\bDatadog/Synthetics\b", r"\bDatadogSynthetics\b"], [
        "Datadog/Synthetics", CHROME_WIN + " DatadogSynthetics"]),
    F("monitor.betterstack", [r"\bBetter Uptime Bot\b", r"\bBetterStack\b"], [
        "Better Uptime Bot Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cmajor} Safari/537.36",
        "Mozilla/5.0 (compatible; BetterStack/1.0; +https://betterstack.com/)"]),
    F("monitor.checkly", [r"\bCheckly/\d\.\d"], ["Checkly/1.0 (https://www.checklyhq.com)"]),
    F("monitor.gtmetrix", [r"\bGTmetrix\b"], ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cmajor} Safari/537.36 GTmetrix"]),
    F("monitor.lighthouse", [r"\bChrome-Lighthouse\b", r"\bGoogle Page Speed Insights\b"], [
        "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{cmajor} Mobile Safari/537.36 Chrome-Lighthouse",
        "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2272.118 Safari/537.36 Google Page Speed Insights"]),
    F("monitor.freshping", [r"\bFreshping\b"], ["Mozilla/5.0 (compatible; Freshping/1.0; +https://www.freshworks.com/website-monitoring/)"]),
    F("monitor.hetrixtools", [r"\bHetrixTools\b"], ["Mozilla/5.0 (compatible; HetrixTools Uptime Monitoring Bot. https://hetrix.tools/)"]),
    F("monitor.nodeping", [r"\bNodePing\b"], ["NodePing"]),
    F("monitor.zabbix", [r"^Zabbix\b"], ["Zabbix"]),
    F("monitor.nagios", [r"\bcheck_http/v\d"], ["check_http/v2.3.3 (nagios-plugins 2.3.3)"]),
    F("monitor.prometheus", [r"\bPrometheus/\d+\.\d+\.\d+", r"\bBlackbox Exporter/\d"], [
        "Prometheus/2.48.1", "Blackbox Exporter/0.24.0"]),

    # --- HTTP libraries and tools ---------------------------------------------------------------------------------
    F("library.python", [r"\bpython-requests/\d+\.\d+", r"^Python-urllib/\d\.\d+", r"\baiohttp/\d+\.\d+",
                         r"\bpython-httpx/\d+\.\d+", r"^python-urllib3/\d"], [
        "python-requests/2.31.0", "python-requests/2.28.2", "Python-urllib/3.11", "Python-urllib/3.9",
        "Python/3.11 aiohttp/3.9.1", "Python/3.12 aiohttp/3.9.5", "python-httpx/0.27.0", "python-urllib3/2.0.7"]),
    F("library.curl", [r"^curl/\d+\.\d+", r"\blibcurl/\d+\.\d+"], [
        "curl/8.4.0", "curl/7.81.0", "curl/7.68.0", "curl/8.5.0", "PycURL/7.45.2 libcurl/8.2.1 OpenSSL/3.0.11 zlib/1.2.13"]),
    F("library.wget", [r"^Wget/\d+\.\d+"], ["Wget/1.21.3", "Wget/1.20.3 (linux-gnu)", "Wget/1.21.4"]),
    F("library.okhttp", [r"\bokhttp/\d"], ["okhttp/4.12.0", "okhttp/3.14.9", "Dalvik/2.1.0 (Linux; U; Android 13; SM-A536B) okhttp/4.9.2"]),
    F("library.go", [r"^Go-http-client/\d\.\d", r"\bGo http package\b"], [
        "Go-http-client/1.1", "Go-http-client/2.0", "Go http package"]),
    F("library.java", [r"\bApache-HttpClient/", r"^Java/\d", r"\bJakarta Commons-HttpClient/\d", r"\bReactorNetty/\d"], [
        "Apache-HttpClient/4.5.14 (Java/17.0.9)", "Apache-HttpClient/5.2.1 (Java/21.0.1)", "Java/17.0.9", "Java/1.8.0_392",
        "Jakarta Commons-HttpClient/3.1", "ReactorNetty/1.1.13"]),
    F("library.node", [r"^node-fetch/\d", r"^axios/\d", r"^undici\b", r"\bgot \(https://github\.com/sindresorhus/got\)"], [
        "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "node-fetch", "axios/1.6.2", "axios/0.27.2", "undici",
        "got (https://github.com/sindresorhus/got)"]),
    F("library.perl", [r"\blibwww-perl/\d"], ["libwww-perl/6.72", "libwww-perl/6.05"]),
    F("library.php", [r"\bGuzzleHttp/\d", r"^WordPress/\d+\.\d+"], [
        "GuzzleHttp/7", "GuzzleHttp/6.5.5 curl/7.64.0 PHP/7.4.33", "WordPress/6.4.2; https://example.org",
        "WordPress/6.5.3; https://blog.example.com"]),
    F("library.ruby", [r"\bFaraday v\d+\.\d+", r"\brest-client/\d", r"^Ruby\b"], [
        "Faraday v2.7.11", "rest-client/2.1.0 (linux-gnu x86_64) ruby/3.2.2p53", "Ruby"]),
    F("library.dotnet", [r"\bRestSharp/\d"], ["RestSharp/110.2.0.0", "RestSharp/106.15.0.0"]),
    F("library.postman", [r"\bPostmanRuntime/\d+\.\d+\.\d+"], ["PostmanRuntime/7.36.0", "PostmanRuntime/7.32.3"]),
    F("library.insomnia", [r"^insomnia/\d+"], ["insomnia/2023.5.8", "insomnia/8.6.1"]),
    F("library.httpie", [r"^HTTPie/\d"], ["HTTPie/3.2.2", "HTTPie/2.6.0"]),
    F("library.rust", [r"\breqwest/\d", r"^hyper/\d"], ["reqwest/0.11.22", "hyper/0.14.27"]),
    F("library.dart", [r"^Dart/\d+\.\d+ \(dart:io\)"], ["Dart/3.2 (dart:io)", "Dart/2.19 (dart:io)"]),
    F("library.scrapy", [r"\bScrapy/\d+\.\d+"], ["Scrapy/2.11.0 (+https://scrapy.org)", "Scrapy/2.8.0 (+https://scrapy.org)"]),
    F("library.colly", [r"\bcolly - https://github\.com/gocolly/colly"], ["colly - https://github.com/gocolly/colly"]),

    # --- headless browsers ----------------------------------------------------------------------------------------
    F("headless.chrome", [r"\bHeadlessChrome/\d+"], [
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/{cmajor} Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/{chrome} Safari/537.36"]),
    F("headless.phantomjs", [r"\bPhantomJS/\d"], [
        "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1"]),
    F("headless.others", [r"\bSlimerJS/\d", r"\bCypress/\d+"], [
        "Mozilla/5.0 (X11; Linux x86_64; rv:38.0) Gecko/20100101 SlimerJS/0.10.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Cypress/13.6.1 Chrome/{cmajor} Electron/27.1.3 Safari/537.36"]),

    # --- feed readers ---------------------------------------------------------------------------------------------
    F("feed.feedly", [r"\bFeedly/\d\.\d", r"\bFeedlyBot/\d\.\d"], [
        "Feedly/1.0 (+http://www.feedly.com/fetcher.html; {n} subscribers; like FeedFetcher-Google)",
        "FeedlyBot/1.0 (http://feedly.com)"]),
    F("feed.inoreader", [r"\bInoreader\.com\b"], ["Mozilla/5.0 (compatible; Inoreader.com; {n} subscribers)"]),
    F("feed.newsblur", [r"\bNewsBlur (?:Feed|Page) Fetcher\b"], [
        "NewsBlur Feed Fetcher - {n} subscribers - https://www.newsblur.com/site/1234/example (Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36)"]),
    F("feed.feedbin", [r"\bFeedbin feed-id:\d+"], ["Feedbin feed-id:{n} - {n} subscribers"]),
    F("feed.freshrss", [r"\bFreshRSS/\d"], ["FreshRSS/1.23.1 (Linux; https://freshrss.org)"]),
    F("feed.ttrss", [r"\bTiny Tiny RSS/"], ["Tiny Tiny RSS/23.12-0578bf80 (https://tt-rss.org/)"]),
    F("feed.miniflux", [r"\bMiniflux/\d"], ["Mozilla/5.0 (compatible; Miniflux/2.0.51; +https://miniflux.app)"]),

    # --- scanners -------------------------------------------------------------------------------------------------
    F("security.zgrab", [r"\bzgrab/\d\.x"], ["Mozilla/5.0 zgrab/0.x"]),
    F("security.masscan", [r"\bmasscan/\d\.\d"], ["masscan/1.3 (https://github.com/robertdavidgraham/masscan)"]),
    F("security.nmap", [r"\bNmap Scripting Engine\b"], ["Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"]),
    F("security.nuclei", [r"\bNuclei - Open-source project\b"], ["Nuclei - Open-source project (github.com/projectdiscovery/nuclei)"]),
    F("security.sqlmap", [r"\bsqlmap/\d\.\d"], ["sqlmap/1.7.12#stable (https://sqlmap.org)"]),
    F("security.nikto", [r"\bNikto/\d\.\d"], ["Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)"]),
    F("security.wpscan", [r"\bWPScan v\d"], ["WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)"]),
    F("security.censys", [r"\bCensysInspect/\d\.\d"], ["Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)"]),
    F("security.expanse", [r"\bExpanse, a Palo Alto Networks company\b"], [
        "Expanse, a Palo Alto Networks company, searches across the global IPv4 space multiple times per day to identify customers' presences on the Internet. If you would like to be excluded from our scans, please send IP addresses/domains to: scaninfo@paloaltonetworks.com"]),
    F("security.internetmeasurement", [r"\bInternetMeasurement/\d\.\d"], [
        "Mozilla/5.0 (compatible; InternetMeasurement/1.0; +https://internet-measurement.com/)"]),
    F("security.leakix", [r"\bl9explore/\d", r"\bl9tcpid/v\d"], [
        "Mozilla/5.0 (l9explore/1.2.2)", "l9tcpid/v1.1.0"]),

    # --- archivers ------------------------------------------------------------------------------------------------
    F("archive.internet_archive", [r"\bia_archiver\b", r"\barchive\.org_bot\b", r"\bheritrix/\d\.\d"], [
        "ia_archiver (+http://www.alexa.com/site/help/webmasters; crawler@alexa.com)",
        "Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot) Zeno/7e2d0d6 warc/v0.8.47",
        "Mozilla/5.0 (compatible; heritrix/3.4.0 +http://archive.org/)"]),

    # --- generic tokens (lowest priority) -------------------------------------------------------------------------
    F("generic.bot_tokens", [
        r"Mozilla/5\.0 \(compatible; [A-Za-z]+Bot/", r"\b[Cc]rawler\b", r"\b[a-z]+spider/\d",
        r"^[A-Za-z-]+bot/\d", r"\+https?://[^ ;)]+/(?:bot|crawler|robot)s?(?:\.html?)?\b"], [
        "Mozilla/5.0 (compatible; QuoraBot/1.0; +http://www.quora.com/bot)"], priority=-10),
]

# Real-sounding standalone brand names for generated vendors: (name, category).
GEN_BRANDS = [(n, c) for c, names in [
    ("crawler", "Acoon Arachnode Blekko Cliqz Crawlson Dexter Findxy Gigablast Haosou Ichiro Jyxo Kraken Lycos "
                "Mappy Nutch Orbiter Pompos Quokka Riddler Scooter Teoma Uzbl Voila Wotbox Xenu Yacy Zyborg "
                "Alexandria Bixo Cuil Dumbo Ezooms Fluffy Grub Heritage Ingrid Jambot Kalooga Larbin Mnogo "
                "Nokogiri Openfind Plukkie Qango Rambler Sosospider Toutatis Umbra Vagabondo Wikiwix Xaldon "
                "Yooz Zumbot"),
    ("seo", "Rankwise Linkpad Backlinko Serpwatch Keywordly Siteliner Rankactive Seoprofiler Linkody "
            "Spyfu Moonsearch Rankingcoach Seomator Woorank Sitechecker Nightwatch Authoritas Accuranker"),
    ("monitor", "Uptrends Hyperping Cronitor Pingometer Montastic Upptime Statusy Pingbreak Healthchecks "
                "Monibot Alertra Wormly Sentinela Pulsetic Onlineornot Updown Kuma Gatus"),
    ("library", "Httpful Unirest Superagent Needle Requestly Httplug Curlie Aria Fetchy Ky Wretch Ofetch "
                "Hackney Finch Tesla Mint Httparty Excon Typhoeus Feign Retrofit Volley Alamofire Dio"),
    ("feed", "Feedspot Bloglines Netvibes Feedbro Newsify Readkit Reeder Feedreader Rssowl Liferea Akregator "
             "Thndr Feeder Superfeedr Feedpress"),
    ("scanner", "Shadowserver Onyphe Binaryedge Stretchoid Criminalip Natlas Quadmetrics Sectigo Detectify "
                "Intrigue Probely Acunetix Netsparker Qualys Rapid7"),
    ("ai", "Velen Kangaroo Iaskspider Sidetrade Webzio Scrapinghub Fireweb Anchorbrowser Novellum Poseidon "
           "Cotoyogi Brightbot Awario Meltwater Panscient Quillbot Zoominfo"),
    ("archive", "Archiveteam Webrecorder Conifer Perma Memento Stillio Pagefreezer Mirrorweb"),
] for n in names.split()]

# Prefix + core combinations ("LinkHound", "DataScout", ...); the core decides the category.
GEN_PREFIXES = ["Web", "Site", "Link", "Data", "Page", "Net", "Search", "Info", "Cloud", "Deep", "Fast", "Open",
                "Smart", "Hyper", "Blue", "Red", "Nova", "Geo", "Media", "News", "Price", "Shop", "Job", "Trend",
                "Brand", "Social", "Market", "Lead", "Domain", "Host", "Text", "Image", "Video", "Quick", "Bright",
                "Echo", "Terra", "Astro", "Pixel", "Vertex"]
GEN_CORES = [(c, cat) for cat, cores in [
    ("crawler", "Crawl Spider Scout Hound Seeker Index Walker Roamer Trawler Harvest Miner Gatherer"),
    ("seo", "Rank Metrics Audit Serp Backlink Visibility"),
    ("monitor", "Watch Pulse Ping Uptime Sentry Vigil"),
    ("library", "Fetch Http Client Request Wire"),
    ("feed", "Feed Reader Digest"),
    ("scanner", "Probe Scan Sonar Radar Recon"),
    ("ai", "Mind Brain Sense"),
] for c in cores.split()]

# Bots that no pattern should know (lowercase, no "bot/", "crawler", "spider" or "+http" tokens).
UNKNOWN_BOTS = [
    "zorblax-agent/0.{n} (ops at zorblax dot dev)", "quillfeather fetcher {v2}", "Mozilla/5.0 (compatible; mirrorcat {v2})",
    "lantern-probe {v3} (internal)", "acme-healthz/{v2}", "inventory-sync {v3} (+mailto:it@acme.example)",
    "Mozilla/5.0 (compatible; snailmail-preview; contact ops@snailmail.example)", "tinyfetch/{v2}",
    "Mozilla/5.0 (X11; Linux x86_64) blorp-renderer/{v2}", "hexapod-agent {v3}", "linkcheck-internal/{v2}",
    "Mozilla/5.0 (compatible; grackle-previewer/{v2}; +mailto:admin@grackle.example)",
]
