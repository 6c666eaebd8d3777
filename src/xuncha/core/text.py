"""Text compared as people mean it: typed names and headers match whatever their width and spacing."""

from __future__ import annotations

import re
import unicodedata
from typing import Any


def comparable(text: Any) -> str:
    """Full-width forms folded (NFKC), all white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
