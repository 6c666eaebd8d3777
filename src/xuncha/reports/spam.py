"""Telling adverts and junk from reports, without a CAPTCHA (which old people and screen readers struggle with).

`spam_check` scores the text by rules; `form_signals` scores how the form was filled (a hidden honeypot field
that people never see, and a minimum time between opening the form and sending it, from a signed timestamp).
A report at or above SPAM_THRESHOLD is stored with status SPAM, never dropped, so staff can rescue it.
"""

from __future__ import annotations

import re
import secrets
import time

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

SPAM_THRESHOLD = 0.6
STAMP_SALT = "report-form-stamp"
STAMP_MAX_AGE = 2 * 24 * 3600

# Phrases of gambling, loan and "service platform" adverts. Strong ones alone make a text suspicious.
_STRONG = (
    "合法营业牌照", "在线客服", "app下载", "百家乐", "真人娱乐", "娱乐城", "注册送",
    "首充", "返水", "日赚", "刷单", "棋牌游戏", "老虎机", "刻章", "代开发票",
    "办理各类证件", "日结", "即送", "正规平台", "欢迎体验", "时时彩", "六合彩",
    "彩票平台", "博彩平台", "代理加盟", "招募代理", "无抵押贷款",
)
# Words that are ordinary in a real report on their own but add up in an advert.
_WEAK = (
    "注册", "登录", "登陆", "开户", "下载", "客服", "博彩", "彩票", "代理",
    "加微信", "加v", "微信号", "加qq", "qq号", "正规经营", "公平公正",
    "24小时", "优惠", "信誉", "兼职", "充值", "提现", "官网", "秒到账", "包赢",
    "稳赚",
)
_URL = re.compile(r"(https?://|www\.|\b[a-z0-9-]+\.(com|cn|net|top|xyz|vip|cc|io|me|app)\b)", re.IGNORECASE)
_CONTACT = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{5,11})(?!\d)")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def spam_check(text: str) -> tuple[float, str]:
    """(score 0–1, reason) for a report's text. Reasons are for staff deciding whether to rescue it."""
    text = text or ""
    lowered = re.sub(r"\s+", "", text.lower())
    score = 0.0
    reasons: list[str] = []

    strong = [w for w in _STRONG if w in lowered]
    weak = [w for w in _WEAK if w in lowered and not any(w in s for s in strong)]
    ad_score = 0.4 * len(strong) + 0.15 * len(weak)
    if ad_score:
        score += ad_score
        reasons.append(_("advertising words: %(words)s") % {"words": "、".join((strong + weak)[:6])})

    urls = _URL.findall(text)
    if urls:
        score += 0.3 if len(urls) == 1 else 0.5
        reasons.append(_("web addresses"))
    if (strong or len(weak) >= 3) and _CONTACT.search(lowered):
        score += 0.3
        reasons.append(_("a phone or QQ number together with advertising words"))

    if len(lowered) >= 20:
        distinct = len(set(lowered)) / len(lowered)
        if distinct < 0.15 or _repeats(lowered):
            score += 0.6
            reasons.append(_("very repetitive text"))
    if lowered and not _CHINESE.search(lowered):
        score += 0.7
        reasons.append(_("no Chinese text"))
    return min(round(score, 2), 1.0), "；".join(reasons)[:200]


def _repeats(text: str) -> bool:
    """The same phrase (4–20 characters) making up more than half of the text."""
    for size in (4, 6, 8, 12, 20):
        if len(text) < size * 3:
            break
        counts: dict[str, int] = {}
        for i in range(0, len(text) - size + 1):
            piece = text[i:i + size]
            counts[piece] = counts.get(piece, 0) + 1
        piece, count = max(counts.items(), key=lambda item: item[1])
        if count >= 3 and count * size > len(text) / 2 and len(set(piece)) > 1:
            return True
    return False


def form_stamp() -> str:
    """A signed timestamp for a hidden form field: when the form was shown (with a nonce, so that each form
    shown is distinct and a resent form can be recognised)."""
    return signing.dumps({"t": int(time.time()), "n": secrets.token_hex(8)}, salt=STAMP_SALT)


def min_fill_seconds() -> float:
    return float(getattr(settings, "REPORT_MIN_FILL_SECONDS", 3))


def form_signals(*, honeypot: str, stamp: str) -> tuple[float, str]:
    """(score, reason) from how the form was filled in."""
    if (honeypot or "").strip():
        return 1.0, _("a hidden field that people do not see was filled in")
    try:
        shown = signing.loads(stamp or "", salt=STAMP_SALT, max_age=STAMP_MAX_AGE)
    except signing.SignatureExpired:
        return 0.0, ""  # a form left open for days is not a sign of a robot
    except signing.BadSignature:
        return 0.6, _("sent without the page's form (missing or forged time stamp)")
    try:
        shown_at = float(shown["t"])
    except (KeyError, TypeError, ValueError):
        return 0.6, _("sent without the page's form (missing or forged time stamp)")
    if time.time() - shown_at < min_fill_seconds():
        return 0.6, _("sent too fast after the form was opened")
    return 0.0, ""


def combine(*signals: tuple[float, str]) -> tuple[float, str]:
    score = min(round(sum(s for s, _r in signals), 2), 1.0)
    reason = "；".join(r for _s, r in signals if r)[:200]
    return score, reason


def is_spam(score: float) -> bool:
    return score >= SPAM_THRESHOLD
