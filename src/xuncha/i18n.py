"""Compile .po files to .mo with polib, so set-up needs no GNU gettext on the machine."""

from __future__ import annotations

from pathlib import Path

import polib

PACKAGE_DIR = Path(__file__).resolve().parent


def compile_messages() -> list[Path]:
    written = []
    # Each app may keep its own catalogue (src/xuncha/<app>/locale); Django merges them all.
    for po_path in sorted(PACKAGE_DIR.glob("**/locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written
