"""Tables the message generator (`scamlab.corpus`) draws from: brands, link parts, fillers, obfuscations.

Written for this project; nothing is copied from a public dataset. The brands are the table
`scamlab/data/brands.csv`: their domains are the brands' real public domains (genuine messages link there);
scam hosts are built at random from the parts below and exist only in memory while a classifier is trained.
"""

from __future__ import annotations

from dataclasses import dataclass

from scamlab.data import read_csv_rows


@dataclass(frozen=True)
class Brand:
    """A sender people know: its name, what it does, its real domains and the SMS sender ids it uses."""

    name: str
    kind: str
    domains: tuple[str, ...]
    sender_ids: tuple[str, ...] = ()


def _brand(row: dict[str, str]) -> Brand:
    """A `Brand` from a row of `data/brands.csv` (lists in a cell are separated by ';')."""
    return Brand(row["name"], row["kind"], tuple(row["domains"].split(";")),
                 tuple(row["sender_ids"].split(";")) if row["sender_ids"] else ())


BRANDS: tuple[Brand, ...] = tuple(_brand(row) for row in read_csv_rows("brands.csv"))

# Shorteners a scam uses; some brands use their own, which genuine messages use too.
SHORTENERS = ("bit.ly", "tinyurl.com", "cutt.ly", "is.gd", "t.ly", "rb.gy", "shorturl.at", "s.id", "tiny.cc",
              "ow.ly", "v.gd", "t.co", "qrco.de", "rebrand.ly", "bit.do", "u.to")
BRAND_SHORTENERS = ("amzn.to", "youtu.be", "spoti.fi", "maps.app.goo.gl", "forms.gle", "g.co", "lnkd.in")
NEW_GTLDS = ("top", "xyz", "icu", "shop", "live", "click", "info", "online", "site", "vip", "cc", "buzz", "cfd",
             "sbs", "rest", "bond", "support", "help", "life", "link", "cyou", "store", "app", "me", "co")
OLD_TLDS = ("com", "net", "org", "co.uk", "com.au", "us", "in")
# Words a scam host strings together around (or instead of) the brand.
HOST_WORDS = ("secure", "verify", "account", "login", "update", "support", "help", "service", "portal", "online",
              "auth", "id", "billing", "pay", "payment", "refund", "claim", "redelivery", "parcel", "track",
              "delivery", "customs", "toll", "fine", "unlock", "center", "web", "app", "my", "user", "uk", "us",
              "review", "confirm", "alert", "safety", "reward", "bonus", "gift", "info", "check", "reactivate")
URL_PATH_WORDS = ("login", "verify", "account", "pay", "track", "update", "confirm", "claim", "i", "u", "s", "p",
                  "secure", "auth", "session", "m", "r", "home", "index.php", "signin", "redelivery", "invoice")
# ASCII look-alikes used in typo-squatted hosts.
ASCII_LOOKALIKES = {"l": ("1", "i"), "o": ("0",), "i": ("1", "l"), "m": ("rn", "nn"), "w": ("vv",), "e": ("3",),
                    "a": ("4", "e"), "s": ("5", "z"), "g": ("q",), "b": ("d",)}
# Unicode letters that look Latin (Cyrillic and Greek), for homoglyph obfuscation.
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "k": "κ", "s": "ѕ"}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "$", "t": "7", "l": "1"}
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060")

FIRST_NAMES = ("Sarah", "James", "Priya", "Mohammed", "Chloe", "Liam", "Aisha", "Tom", "Emma", "Jake", "Olivia",
               "Noah", "Fatima", "Daniel", "Mia", "Arjun", "Grace", "Lucas", "Zara", "Ben", "Sofia", "Ethan",
               "Hannah", "Ravi", "Jess", "Kwame", "Lena", "Marco", "Yuki", "Carlos", "Ama", "Dylan", "Nina")
CURRENCIES = ("£", "$", "€", "A$", "₹", "Rs.")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "today", "tomorrow")
TIMES = ("9:00", "9:30am", "10:15", "11am", "12:40", "1:30pm", "2pm", "14:45", "3:20pm", "16:00", "5.30pm", "18:10")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PLACES = ("the clinic", "Riverside Surgery", "Main St Dental", "the library", "Hall B", "the community centre",
          "Oakwood Primary", "the leisure centre", "Platform 4", "the front desk", "Gate 12", "the depot")
ITEMS = ("parcel", "package", "shipment", "delivery", "item", "order", "consignment")
PRODUCTS = ("wireless earbuds", "a phone case", "running shoes", "a kettle", "school shoes", "a book", "printer ink",
            "a hoodie", "phone charger", "coffee pods", "a desk lamp", "vitamins", "a birthday present")
ARTISTS = ("Taylor", "Drake", "Adele", "Ed Sheeran", "Billie", "the Weeknd", "Dua Lipa", "BTS", "Shakira",
           "Eminem", "Rihanna", "Coldplay", "Bad Bunny", "Olivia Rodrigo", "Katy Perry", "LMFAO", "Psy")
SPAM_EMOJI = ("🚨", "⚠️", "📦", "🎁", "💰", "🔥", "✅", "❗", "💳", "🏆", "👉", "📢", "💸", "🔒")
HAM_EMOJI = ("😊", "👍", "😂", "❤️", "🙏", "🎉", "😅", "👀", "🙌", "☺️", "✅", "📦", "🥳")
OPT_OUTS = ("Reply STOP to opt out", "STOP to end", "Txt STOP to unsubscribe", "Text STOP to cancel",
            "Opt out: reply STOP", "To stop msgs reply STOP", "STOP2END", "Unsubscribe: reply N")

# Genuine links a friend, a school or a service shares: real domains, paths with tokens as real sites use.
SHARED_LINK_PATTERNS = (
    "https://www.youtube.com/watch?v={tok11}", "https://youtu.be/{tok11}", "https://www.instagram.com/p/{tok11}/",
    "https://www.tiktok.com/@{handle}/video/{digits19}", "https://open.spotify.com/track/{tok22}",
    "https://maps.app.goo.gl/{tok17}", "https://docs.google.com/document/d/{tok22}/edit",
    "https://www.bbc.co.uk/news/articles/{tok11}", "https://zoom.us/j/{digits10}", "https://forms.gle/{tok17}",
    "https://www.rightmove.co.uk/properties/{digits9}", "https://www.airbnb.com/rooms/{digits9}",
    "https://photos.app.goo.gl/{tok17}", "https://www.eventbrite.co.uk/e/{digits12}", "https://www.reddit.com/r/{handle}/",
    "https://drive.google.com/file/d/{tok22}/view", "https://www.gofundme.com/f/{handle}", "https://x.com/{handle}/status/{digits19}",
)
GENUINE_PATH_PATTERNS = ("/track?id={ref}", "/orders/{digits9}", "/account", "/help", "/myaccount/bills",
                         "/appointments", "/manage", "/receipt/{tok11}", "/login", "", "", "/app")
