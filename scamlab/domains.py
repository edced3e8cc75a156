"""Host names split by the public-suffix list: "login.paypal.co.uk" is paypal + co.uk, "e.g" is no domain.

The list is the snapshot that ships inside `tldextract`; the network fetch is turned off, so this works offline
and never stalls on a download. Any suffix on the list counts (".bank", ".zip", ".рф"), not a fixed few.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import tldextract

# How many trailing labels may be dropped to find a domain ("x.com.Then" -> "x.com", a sentence run on).
MAX_TRAILING_LABELS_DROPPED = 2


@dataclass(frozen=True)
class HostParts:
    """A host name in three parts: "login" + "paypal" + "co.uk"."""

    subdomain: str
    domain: str
    suffix: str


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    """The one extractor: bundled snapshot only (no URLs to fetch, no cache directory to write)."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def split_host(host: str) -> HostParts | None:
    """`host` split by the public-suffix list ("gov.uk" has an empty domain), or None without a public suffix."""
    parts = _extractor()(host)
    return HostParts(parts.subdomain, parts.domain, parts.suffix) if parts.suffix else None


def is_web_host(host: str) -> bool:
    """True for a name a browser would open: a domain before a public suffix ("paypal.com"), or a public suffix
    of two labels or more that is a site itself ("gov.uk")."""
    parts = split_host(host)
    return parts is not None and (bool(parts.domain) or "." in parts.suffix)


def domain_prefix_length(host: str) -> int:
    """Length of the longest leading part of `host` that `is_web_host` (0 if none).

    Up to `MAX_TRAILING_LABELS_DROPPED` trailing labels may go, so "x.com.Then" gives len("x.com").
    """
    labels = host.split(".")
    for dropped in range(min(MAX_TRAILING_LABELS_DROPPED, len(labels) - 2) + 1):
        candidate = ".".join(labels[: len(labels) - dropped])
        if is_web_host(candidate):
            return len(candidate)
    return 0
