"""One-time survey codes: 12 characters, a 5-character public lookup and a 7-character secret.

The alphabet leaves out 0/O, 1/I/L so that a code copied from paper is read right; letters may be typed
in either case and with or without the dashes (ABCD-EFGH-JKMN). The lookup finds the row; the secret is
stored only as HMAC-SHA256 keyed with a key derived from the server's SECRET_KEY, which is not in the
database: someone holding a copy of the database cannot turn the rows back into usable codes. A wrong
code costs the same work whether or not its lookup exists. 31⁷ ≈ 2.7 × 10¹⁰ secrets per lookup, plus the
per-browser and per-lookup limits of the public pages, make guessing pointless.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LOOKUP_LENGTH = 5
SECRET_LENGTH = 7
CODE_LENGTH = LOOKUP_LENGTH + SECRET_LENGTH
_HMAC_SALT = "xuncha.surveys.token"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
                            "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
                            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _random(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def secret_hash(lookup: str, secret: str) -> str:
    return salted_hmac(_HMAC_SALT, f"{lookup}:{secret}", algorithm="sha256").hexdigest()


def codes_new(count: int, taken: Callable[[set[str]], set[str]]) -> list[tuple[str, str, str]]:
    """`count` new codes as (code, lookup, hash), with lookups unique among themselves and not in use:
    `taken(lookups)` answers which of the lookups offered are in use already."""
    lookups: set[str] = set()
    while len(lookups) < count:
        fresh = {_random(LOOKUP_LENGTH) for _ in range(count - len(lookups))} - lookups
        lookups |= fresh - taken(fresh)
    codes = []
    for lookup in lookups:
        secret = _random(SECRET_LENGTH)
        codes.append((lookup + secret, lookup, secret_hash(lookup, secret)))
    return codes


def code_normalise(code: str) -> str:
    """Upper case, full-width folded, without spaces, dashes and dots."""
    text = (code or "").translate(_FULL_WIDTH).upper()
    return re.sub(r"[\s\-‐‑‒–—―_.·/]", "", text)


def code_display(code: str) -> str:
    """ABCD-EFGH-JKMN."""
    text = code_normalise(code)
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def code_split(code: str) -> tuple[str, str] | None:
    """(lookup, secret) of a well-formed code, or None."""
    text = code_normalise(code)
    if len(text) != CODE_LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return text[:LOOKUP_LENGTH], text[LOOKUP_LENGTH:]


def secret_matches(stored_hash: str, lookup: str, secret: str) -> bool:
    return constant_time_compare(stored_hash, secret_hash(lookup, secret))
