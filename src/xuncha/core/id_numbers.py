"""Resident ID numbers (公民身份号码, GB 11643): validation, birth date and gender.

Plain Python with no Django at import time: the cross-checking library (xuncha.crosscheck), which runs inside Spark
workers, shares the check digit from here."""

from __future__ import annotations

import datetime
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def birth_date(number: str) -> datetime.date | None:
    number = (number or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return None
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_number_valid(number: str) -> bool:
    """An 18-digit resident ID number: a real birth date and the right check digit."""
    from xuncha.core.dates import today  # Django's clock, the platform's "today"; imported here to keep this plain

    number = (number or "").strip().upper()
    born = birth_date(number)
    if born is None or born.year < 1900 or born > today():
        return False
    return check_digit(number[:17]) == number[17]


def gender_of(number: str) -> str:
    """"M" or "F": the 17th digit is odd for men, even for women."""
    return "M" if int(number.strip()[16]) % 2 else "F"
