"""Open a generated .docx/.xlsx as a user would: LibreOffice renders it to PDF, pdftotext reads the page text.

Also the quick readers: a .docx's paragraphs (python-docx) and its QR codes (zxing).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

CONVERT_TIMEOUT = 120


class OfficeToolMissing(RuntimeError):
    pass


def _tool(*names: str, package: str) -> str:
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    raise OfficeToolMissing(f"{names[0]} is not installed: the document tests need it (apt-get install {package}).")


def pdf_text(content: bytes, suffix: str) -> str:
    """The text of `content` (a .docx or .xlsx) as LibreOffice prints it, laid out by `pdftotext -layout`."""
    soffice = _tool("soffice", "libreoffice", package="libreoffice-writer-nogui libreoffice-calc-nogui")
    pdftotext = _tool("pdftotext", package="poppler-utils")
    suffix = suffix if suffix.startswith(".") else f".{suffix}"
    with tempfile.TemporaryDirectory(prefix="xuncha-office-") as tmp:
        folder = Path(tmp)
        source = folder / f"document{suffix}"
        source.write_bytes(content)
        # A private profile per call: parallel runs would otherwise fight over ~/.config/libreoffice.
        profile = (folder / "profile").as_uri()
        try:
            result = subprocess.run(
                [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
                 "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                capture_output=True, timeout=CONVERT_TIMEOUT, check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"LibreOffice did not convert {source.name} within {CONVERT_TIMEOUT} s") from exc
        pdf = folder / "document.pdf"
        if result.returncode != 0 or not pdf.exists():
            raise RuntimeError(f"LibreOffice could not convert {source.name} (exit {result.returncode}): "
                               f"{result.stderr.decode(errors='replace')[-2000:]}")
        text = subprocess.run([pdftotext, "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                              timeout=CONVERT_TIMEOUT, check=True).stdout
    return text.decode("utf-8")


def compact(text: str) -> str:
    """Text without any whitespace: pdftotext breaks lines and spaces CJK from digits (2026 年 11 月)."""
    return re.sub(r"\s+", "", text)


def docx_paragraphs(content: bytes) -> str:
    """The body paragraphs of a .docx as python-docx reads them, one a line (no rendering: for quick checks)."""
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def docx_qr_codes(content: bytes) -> list[str]:
    """What the QR codes among a .docx's pictures say, read by zxing as a phone's camera would."""
    import zxingcpp
    from PIL import Image

    texts = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in sorted(archive.namelist()):
            if name.startswith("word/media/"):
                texts += [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(archive.read(name))))]
    return texts
