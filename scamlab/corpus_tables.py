"""Tables the message generator (`scamlab.corpus`) draws from: brands, link parts, fillers, obfuscations.

Written for this project; nothing is copied from a public dataset. Brand domains are the brands' real
public domains (genuine messages link there); scam hosts are built at random from the parts below and
exist only in memory while a classifier is trained.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Brand:
    """A sender people know: its name, what it does, its real domains and the SMS sender ids it uses."""

    name: str
    kind: str
    domains: tuple[str, ...]
    sender_ids: tuple[str, ...] = ()


BRANDS: tuple[Brand, ...] = (
    Brand("Barclays", "bank", ("barclays.co.uk",), ("Barclays",)),
    Brand("HSBC", "bank", ("hsbc.co.uk", "hsbc.com"), ("HSBC", "HSBC UK")),
    Brand("Lloyds", "bank", ("lloydsbank.com",), ("Lloyds",)),
    Brand("NatWest", "bank", ("natwest.com",), ("NatWest",)),
    Brand("Monzo", "bank", ("monzo.com",), ("Monzo",)),
    Brand("Chase", "bank", ("chase.com",), ("Chase", "ChaseAlert")),
    Brand("Wells Fargo", "bank", ("wellsfargo.com",), ("WellsFargo",)),
    Brand("Bank of America", "bank", ("bankofamerica.com",), ("BofA",)),
    Brand("Commonwealth Bank", "bank", ("commbank.com.au",), ("CommBank",)),
    Brand("ANZ", "bank", ("anz.com.au",), ("ANZ",)),
    Brand("SBI", "bank", ("onlinesbi.sbi", "sbi.co.in"), ("SBIINB", "SBI")),
    Brand("HDFC Bank", "bank", ("hdfcbank.com",), ("HDFCBK",)),
    Brand("Santander", "bank", ("santander.co.uk",), ("Santander",)),
    Brand("Capital One", "bank", ("capitalone.com",), ("CapOne",)),
    Brand("PayPal", "payment", ("paypal.com",), ("PayPal",)),
    Brand("Venmo", "payment", ("venmo.com",), ("Venmo",)),
    Brand("Cash App", "payment", ("cash.app",), ("CashApp",)),
    Brand("Revolut", "payment", ("revolut.com",), ("Revolut",)),
    Brand("Royal Mail", "parcel", ("royalmail.com",), ("RoyalMail",)),
    Brand("Evri", "parcel", ("evri.com",), ("Evri",)),
    Brand("DPD", "parcel", ("dpd.co.uk",), ("DPD", "DPDLocal")),
    Brand("DHL", "parcel", ("dhl.com",), ("DHL",)),
    Brand("FedEx", "parcel", ("fedex.com",), ("FedEx",)),
    Brand("UPS", "parcel", ("ups.com",), ("UPS",)),
    Brand("USPS", "parcel", ("usps.com",), ("USPS",)),
    Brand("Australia Post", "parcel", ("auspost.com.au",), ("AusPost",)),
    Brand("Canada Post", "parcel", ("canadapost-postescanada.ca",), ("CanadaPost",)),
    Brand("India Post", "parcel", ("indiapost.gov.in",), ("IndiaPost",)),
    Brand("Amazon", "retail", ("amazon.co.uk", "amazon.com", "amazon.in"), ("Amazon",)),
    Brand("eBay", "retail", ("ebay.co.uk", "ebay.com"), ("eBay",)),
    Brand("Walmart", "retail", ("walmart.com",), ("Walmart",)),
    Brand("Tesco", "retail", ("tesco.com",), ("Tesco",)),
    Brand("Argos", "retail", ("argos.co.uk",), ("Argos",)),
    Brand("Costco", "retail", ("costco.com",), ("Costco",)),
    Brand("Netflix", "streaming", ("netflix.com",), ("Netflix",)),
    Brand("Disney+", "streaming", ("disneyplus.com",), ("DisneyPlus",)),
    Brand("Spotify", "streaming", ("spotify.com",), ("Spotify",)),
    Brand("Prime Video", "streaming", ("primevideo.com",), ("PrimeVideo",)),
    Brand("Apple", "tech", ("apple.com", "icloud.com"), ("Apple",)),
    Brand("Microsoft", "tech", ("microsoft.com", "live.com"), ("Microsoft",)),
    Brand("Google", "tech", ("google.com", "accounts.google.com"), ("Google",)),
    Brand("Norton", "tech", ("norton.com",), ("Norton",)),
    Brand("McAfee", "tech", ("mcafee.com",), ("McAfee",)),
    Brand("Instagram", "social", ("instagram.com",), ("Instagram",)),
    Brand("Facebook", "social", ("facebook.com",), ("Facebook",)),
    Brand("WhatsApp", "social", ("whatsapp.com",), ("WhatsApp",)),
    Brand("TikTok", "social", ("tiktok.com",), ("TikTok",)),
    Brand("Vodafone", "telecom", ("vodafone.co.uk",), ("Vodafone",)),
    Brand("EE", "telecom", ("ee.co.uk",), ("EE",)),
    Brand("Verizon", "telecom", ("verizon.com",), ("Verizon", "VZWAlert")),
    Brand("AT&T", "telecom", ("att.com",), ("ATT",)),
    Brand("T-Mobile", "telecom", ("t-mobile.com",), ("T-Mobile",)),
    Brand("Telstra", "telecom", ("telstra.com.au",), ("Telstra",)),
    Brand("Jio", "telecom", ("jio.com",), ("JIO",)),
    Brand("British Gas", "utility", ("britishgas.co.uk",), ("BritishGas",)),
    Brand("Octopus Energy", "utility", ("octopus.energy",), ("Octopus",)),
    Brand("Thames Water", "utility", ("thameswater.co.uk",), ("ThamesWater",)),
    Brand("HMRC", "gov", ("gov.uk",), ("HMRC",)),
    Brand("DVLA", "gov", ("gov.uk",), ("DVLA",)),
    Brand("IRS", "gov", ("irs.gov",), ("IRS",)),
    Brand("ATO", "gov", ("ato.gov.au",), ("ATO",)),
    Brand("myGov", "gov", ("my.gov.au",), ("myGov",)),
    Brand("NHS", "gov", ("nhs.uk",), ("NHS", "NHSApp")),
    Brand("Medicare", "gov", ("medicare.gov",), ("Medicare",)),
    Brand("E-ZPass", "toll", ("e-zpassny.com",), ("EZPass",)),
    Brand("SunPass", "toll", ("sunpass.com",), ("SunPass",)),
    Brand("FasTrak", "toll", ("bayareafastrak.org",), ("FasTrak",)),
    Brand("Linkt", "toll", ("linkt.com.au",), ("Linkt",)),
    Brand("Dart Charge", "toll", ("gov.uk",), ("DartCharge",)),
    Brand("Coinbase", "crypto", ("coinbase.com",), ("Coinbase",)),
    Brand("Binance", "crypto", ("binance.com",), ("Binance",)),
    Brand("Uber", "ride", ("uber.com",), ("Uber",)),
    Brand("Deliveroo", "ride", ("deliveroo.co.uk",), ("Deliveroo",)),
    Brand("DoorDash", "ride", ("doordash.com",), ("DoorDash",)),
    Brand("Booking.com", "travel", ("booking.com",), ("Booking",)),
    Brand("Airbnb", "travel", ("airbnb.com",), ("Airbnb",)),
    Brand("Ryanair", "travel", ("ryanair.com",), ("Ryanair",)),
    Brand("Boots", "health", ("boots.com",), ("Boots",)),
    Brand("CVS", "health", ("cvs.com",), ("CVS",)),
)

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
