"""Evidence files that can be trusted: typed by content, stripped of image metadata, stored content-addressed.

`check_upload` decides what a file is from its bytes alone (never its name or the browser's content type),
refuses anything that is not a PDF, JPEG, PNG, .docx or .xlsx, and re-encodes images so that EXIF (GPS),
XMP, IPTC, comments and PNG text chunks are gone. `evidence_save` writes the stored bytes once under
MEDIA_ROOT/evidence/<sha[:2]>/<sha> and records the EvidenceFile row with its audit event.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from xuncha.core.audit import audit_record
from xuncha.core.errors import ValidationFailed
from xuncha.rectification.models import EvidenceFile, ProgressNote, Task

Kind = EvidenceFile.Kind

CONTENT_TYPES: dict[str, str] = {
    Kind.PDF: "application/pdf",
    Kind.JPEG: "image/jpeg",
    Kind.PNG: "image/png",
    Kind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS: dict[str, tuple[str, ...]] = {  # the first one is used when the name has to be corrected
    Kind.PDF: (".pdf",),
    Kind.JPEG: (".jpg", ".jpeg", ".jpe"),
    Kind.PNG: (".png",),
    Kind.DOCX: (".docx",),
    Kind.XLSX: (".xlsx",),
}
# A name ending in one of these claims a file type, so a wrong one is replaced rather than kept in front.
_TYPE_EXTENSIONS = {ext for exts in EXTENSIONS.values() for ext in exts} | {
    ".doc", ".xls", ".ppt", ".pptx", ".docm", ".xlsm", ".dotx", ".xltx", ".wps", ".et", ".ofd", ".txt", ".rtf",
    ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".heif", ".svg", ".html", ".htm", ".xml", ".zip", ".rar",
    ".7z", ".gz", ".exe", ".dll", ".bat", ".cmd", ".js", ".msi", ".scr", ".com",
}

MAX_NAME_CHARS = 200
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 92
# Office files: the declared unpacked size bounds what zipfile will ever inflate (it stops at the declared
# size and then fails the CRC), so checking the sum of declared sizes first stops a zip bomb cheaply.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
PDF_EOF_WINDOW = 1024  # readers accept %%EOF within the last 1 KB (trailing newlines, padding from scanners)

_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_STORAGE_RE = re.compile(r"^evidence/([0-9a-f]{2})/([0-9a-f]{64})$")


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    data: bytes
    sha256: str
    size: int
    content_type: str
    metadata_stripped: bool
    original_name: str


# --- Messages -----------------------------------------------------------------------------------------

def _accepted() -> str:
    return _("Accepted are PDF, JPEG and PNG files, Word documents (.docx) and Excel workbooks (.xlsx).")


def _refuse_found(found: str) -> ValidationFailed:
    return ValidationFailed(
        _("The file was not accepted: its content is %(found)s.") % {"found": found} + " " + _accepted(),
        field="file",
    )


def _limit_mb(limit: int) -> str:
    mb = limit / (1024 * 1024)
    if mb == int(mb):
        return str(int(mb))
    text = f"{mb:.1f}"
    return text if text != "0.0" else f"{mb:.3g}"


def _too_large(limit: int) -> ValidationFailed:
    return ValidationFailed(_("The file is larger than the limit of %(mb)s MB.") % {"mb": _limit_mb(limit)},
                            field="file")


def _describe(data: bytes) -> str:
    """What an unaccepted file looks like, for the refusal message."""
    head = data[:1024]
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"MZ"):
        return _("a Windows program")
    if head.startswith(b"\x7fELF") or head[:4] in (b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xca\xfe\xba\xbe"):
        return _("a program")
    if head.startswith(b"GIF8"):
        return _("a GIF image")
    if head.startswith(b"BM"):
        return _("a BMP image")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _("a TIFF image")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _("a WebP image")
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc", b"avif"):
        return _("a HEIC/HEIF photo (set the phone camera to 'Most Compatible' or export the photo as JPEG)")
    if head[4:8] == b"ftyp":
        return _("a video or audio file")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _("an old-format Word (.doc) or Excel (.xls) file, or a file protected with a password "
                 "(save it again as .docx or .xlsx without a password)")
    if head.startswith((b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")):
        return _("a compressed archive")
    if head.startswith(b"PK"):
        return _("a zip archive that is not a Word document or Excel workbook")
    if head.startswith(b"{\\rtf"):
        return _("an RTF document (save it as .docx or PDF)")
    if text_head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")) or b"<script" in text_head:
        return _("a web page (HTML)")
    if text_head.startswith(b"<svg") or (text_head.startswith(b"<?xml") and b"<svg" in text_head):
        return _("an SVG image")
    if text_head.startswith(b"<?xml"):
        return _("an XML file")
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return _("plain text")
    return _("an unrecognised file type")


# --- Names --------------------------------------------------------------------------------------------

def sanitise_name(name: str) -> str:
    """Basename only, without control or direction-override characters, at most MAX_NAME_CHARS."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    # Cf covers U+202E (right-to-left override), used to make "gpj.exe" read as "exe.jpg".
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    name = name.strip().strip(".").strip()
    return _fit(name or "evidence", "")


def _fit(stem_or_name: str, suffix: str) -> str:
    if not suffix:
        path = PurePosixPath(stem_or_name)
        stem, suffix = (path.stem, path.suffix) if len(path.suffix) <= 16 else (stem_or_name, "")
    else:
        stem = stem_or_name
    return stem[: MAX_NAME_CHARS - len(suffix)].rstrip() + suffix


def _name_for_kind(name: str, kind: str) -> str:
    """The sanitised name with an extension that matches the content (a PNG named .jpg becomes .png)."""
    path = PurePosixPath(name)
    suffix = path.suffix.lower()
    if suffix in EXTENSIONS[kind]:
        return name
    stem = path.stem if suffix in _TYPE_EXTENSIONS else name
    return _fit(stem or "evidence", EXTENSIONS[kind][0])


# --- Content checks -----------------------------------------------------------------------------------

def _check_pdf(data: bytes) -> None:
    if not re.match(rb"%PDF-[12]\.\d", data):
        raise _refuse_found(_describe(data))
    if b"%%EOF" not in data[-PDF_EOF_WINDOW:]:
        raise ValidationFailed(_("The PDF file is incomplete or damaged (its end marker is missing). "
                                 "Save or scan it again and upload the new file."), field="file")


def _open_image(data: bytes, label: str) -> Image.Image:
    damaged = ValidationFailed(_("The %(kind)s image is damaged or incomplete and cannot be opened.")
                               % {"kind": label}, field="file")
    # Our own pixel bound (below Pillow's warning level) is checked on the header, before anything is decoded;
    # Pillow refuses far bigger images itself with DecompressionBombError.
    try:
        with Image.open(io.BytesIO(data)) as probe:
            _check_pixels(probe)
            probe.verify()
        image = Image.open(io.BytesIO(data))
        _check_pixels(image)
        image.load()
    except ValidationFailed:
        raise
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except Exception as exc:  # Pillow raises many kinds (OSError, SyntaxError, struct.error…) on a broken file
        raise damaged from exc
    return image


def _check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels() -> ValidationFailed:
    return ValidationFailed(
        _("The image has too many pixels (at most %(max)s megapixels are accepted). "
          "Reduce its size and upload it again.") % {"max": f"{MAX_PIXELS / 1e6:.0f}"},
        field="file",
    )


def _reencode_image(data: bytes, kind: str) -> bytes:
    """Re-encode from pixels only, so no metadata block of the original can survive."""
    label = "JPEG" if kind == Kind.JPEG else "PNG"
    image = _open_image(data, label)
    expected = ("JPEG", "MPO") if kind == Kind.JPEG else ("PNG",)
    if image.format not in expected:
        raise _refuse_found(_describe(data))
    try:
        upright = ImageOps.exif_transpose(image) or image
        # A fresh image from the raw pixels carries no info dict: no EXIF, XMP, IPTC, comment or text chunk.
        if upright.mode == "PA":
            upright = upright.convert("RGBA")
        clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
        if upright.mode == "P" and upright.palette is not None:
            palette_mode = upright.palette.mode
            clean.putpalette(upright.getpalette(rawmode=palette_mode) or [], rawmode=palette_mode)
        params: dict[str, object] = {}
        # Kept on purpose: the colour profile, dpi and transparency change how the page looks or prints,
        # not who took it or where.
        if icc := image.info.get("icc_profile"):
            params["icc_profile"] = icc
        dpi = _dpi(image.info.get("dpi"))
        if dpi:
            params["dpi"] = dpi
        out = io.BytesIO()
        if kind == Kind.JPEG:
            if clean.mode not in ("L", "RGB", "CMYK"):
                clean = clean.convert("RGB")
            clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, **params)
        else:
            if clean.mode not in ("1", "L", "LA", "I;16", "RGB", "RGBA", "P"):
                clean = clean.convert("RGBA")
            elif "transparency" in upright.info and clean.mode in ("1", "L", "I;16", "RGB", "P"):
                params["transparency"] = upright.info["transparency"]
            clean.save(out, "PNG", **params)
    except ValidationFailed:
        raise
    except Exception as exc:
        raise ValidationFailed(_("The %(kind)s image is damaged or incomplete and cannot be opened.")
                               % {"kind": label}, field="file") from exc
    finally:
        image.close()
    return out.getvalue()


def _dpi(value: object) -> tuple[int, int] | None:
    try:
        x, y = (round(float(v)) for v in value)  # type: ignore[union-attr]
    except (TypeError, ValueError, OverflowError):
        return None
    return (x, y) if 0 < x <= 100_000 and 0 < y <= 100_000 else None


def _check_office(data: bytes) -> str:
    """The kind of a .docx or .xlsx, refusing damaged archives, zip bombs and macro-enabled files."""
    damaged = ValidationFailed(_("The file is damaged and cannot be opened as a Word or Excel file."), field="file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # zipfile raises many kinds on a broken central directory
        raise damaged from exc
    if len(infos) > MAX_ZIP_MEMBERS or sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise ValidationFailed(
            _("The file unpacks to more than %(mb)s MB or holds more than %(n)s parts; it is refused as unsafe.")
            % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024), "n": MAX_ZIP_MEMBERS}, field="file")
    if any(info.flag_bits & 0x1 for info in infos):
        raise ValidationFailed(_("The file is protected with a password. Remove the password and upload it again."),
                               field="file")
    names = {info.filename for info in infos}
    lowered = {name.lower() for name in names}
    if any(name.endswith(("vbaproject.bin", "vbadata.xml")) for name in lowered):
        raise _macros()
    if "[Content_Types].xml" not in names:
        raise _refuse_found(_describe(data))
    try:
        with archive.open("[Content_Types].xml") as handle:
            raw = handle.read(MAX_CONTENT_TYPES_BYTES + 1)
        bad = archive.testzip()  # bounded by MAX_UNPACKED_BYTES above; proves every part is intact
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise damaged from exc
    if bad is not None or len(raw) > MAX_CONTENT_TYPES_BYTES:
        raise damaged
    # No DTDs: entity expansion has no business in a content-types part.
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise damaged
    try:
        root = ElementTree.fromstring(raw)
    except ElementTree.ParseError as exc:
        raise damaged from exc
    declared = {el.get("ContentType", "").strip().lower() for el in root.iter(f"{_CT_NS}Override")}
    if any("macroenabled" in ct for ct in declared):
        raise _macros()
    kinds = []
    if _WORD_MAIN in declared and "word/document.xml" in names:
        kinds.append(Kind.DOCX)
    if _EXCEL_MAIN in declared and "xl/workbook.xml" in names:
        kinds.append(Kind.XLSX)
    if len(kinds) != 1:
        if "ppt/presentation.xml" in names:
            raise _refuse_found(_("a PowerPoint presentation"))
        raise _refuse_found(_describe(data))
    return kinds[0]


def _macros() -> ValidationFailed:
    return ValidationFailed(_("The file contains macros (VBA code). Save it as a plain Word document (.docx) or "
                              "Excel workbook (.xlsx) without macros and upload that."), field="file")


def check_upload(name: str, data: bytes) -> CheckedFile:
    """Decide the file's type from its content, strip image metadata, and return what is to be stored.

    Raises ValidationFailed with a message for the user when the file is refused.
    """
    limit = int(settings.EVIDENCE_MAX_BYTES)
    if not data:
        raise ValidationFailed(_("The file is empty."), field="file")
    if len(data) > limit:
        raise _too_large(limit)

    stripped = False
    if data.startswith(b"%PDF-"):
        kind = Kind.PDF
        _check_pdf(data)
        stored = data
    elif data.startswith(b"\xff\xd8\xff"):
        kind = Kind.JPEG
        stored, stripped = _reencode_image(data, kind), True
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = Kind.PNG
        stored, stripped = _reencode_image(data, kind), True
    elif data.startswith(b"PK\x03\x04"):  # at offset 0: a self-extracting .exe with a zip tail is refused
        kind = _check_office(data)
        stored = data  # office files and PDFs are stored exactly as uploaded
    else:
        raise _refuse_found(_describe(data))

    return CheckedFile(
        kind=str(kind),
        data=stored,
        sha256=hashlib.sha256(stored).hexdigest(),
        size=len(stored),
        content_type=CONTENT_TYPES[kind],
        metadata_stripped=stripped,
        original_name=_name_for_kind(sanitise_name(name), kind),
    )


# --- Storage ------------------------------------------------------------------------------------------

def _storage_name(sha256: str) -> str:
    return f"evidence/{sha256[:2]}/{sha256}"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _store(checked: CheckedFile) -> str:
    """Write the bytes under their hash, atomically. An existing intact copy is left alone."""
    storage_name = _storage_name(checked.sha256)
    target = Path(settings.MEDIA_ROOT) / storage_name
    if target.is_file() and _file_sha256(target) == checked.sha256:
        return storage_name
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(checked.data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o640)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where the platform allows it
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return storage_name


def _committee_path(task: Task | None, unit) -> str:
    if task is not None:
        return task.problem.inspection.round.committee.path
    if unit is not None:
        return unit.committee.path
    return ""


@transaction.atomic
def evidence_save(*, actor, name: str, data: bytes, task: Task | None = None, note: ProgressNote | None = None,
                  unit=None) -> EvidenceFile:
    """Check, store and record one evidence file. The file is written before the row, so a row never
    points at a missing file; a rolled-back row leaves at most an unreferenced, content-addressed file."""
    if note is not None:
        if task is None:
            task = note.task
        elif note.task_id != task.pk:
            raise ValidationFailed(_("The progress report belongs to another rectification task."), field="note")
    if task is not None:
        task_unit = task.problem.unit
        if unit is None:
            unit = task_unit
        elif unit.pk != task_unit.pk:
            raise ValidationFailed(_("The unit is not the unit of the rectification task."), field="unit")
    checked = check_upload(name, data)
    storage_name = _store(checked)
    ef = EvidenceFile.objects.create(
        task=task, note=note, unit=unit, kind=checked.kind, original_name=checked.original_name,
        size=checked.size, sha256=checked.sha256, storage_name=storage_name,
        metadata_stripped=checked.metadata_stripped, uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor, action="evidence.upload", obj=ef,
        after={"name": ef.original_name, "kind": ef.kind, "size": ef.size, "sha256": ef.sha256,
               "task": task.pk if task is not None else None},
        committee_path=_committee_path(task, unit),
    )
    return ef


def read_upload(upload: UploadedFile, *, limit: int, refused: ValidationFailed) -> tuple[str, bytes]:
    """A Django upload as (name, bytes), read in chunks; `refused` is raised as soon as it passes `limit` bytes."""
    if upload.size is not None and upload.size > limit:
        raise refused
    buffer = bytearray()
    for chunk in upload.chunks():
        buffer += chunk
        if len(buffer) > limit:  # the declared size may be wrong; count what actually arrives
            raise refused
    return upload.name or "", bytes(buffer)


def evidence_save_upload(*, actor, upload: UploadedFile, **kw) -> EvidenceFile:
    """evidence_save for a Django upload, read in chunks and refused as soon as it passes the limit."""
    limit = int(settings.EVIDENCE_MAX_BYTES)
    name, data = read_upload(upload, limit=limit, refused=_too_large(limit))
    return evidence_save(actor=actor, name=name, data=data, **kw)


# --- Reading ------------------------------------------------------------------------------------------

def evidence_path(ef: EvidenceFile) -> Path:
    """Where the stored bytes are. Only names this module writes are honoured, so a row can't point elsewhere."""
    match = _STORAGE_RE.match(ef.storage_name or "")
    if match is None or match.group(2) != ef.sha256 or match.group(1) != ef.sha256[:2]:
        raise ValueError(f"evidence file {ef.pk} has an unexpected storage name")
    return Path(settings.MEDIA_ROOT) / ef.storage_name


def evidence_verify(ef: EvidenceFile) -> bool:
    """Whether the stored file is still there and still hashes to the recorded SHA-256."""
    try:
        return _file_sha256(evidence_path(ef)) == ef.sha256
    except (OSError, ValueError):
        return False


def evidence_response(ef: EvidenceFile) -> FileResponse:
    """The stored file as a download. The caller (a scoped view) has already decided the viewer may see it."""
    try:
        handle = evidence_path(ef).open("rb")
    except (OSError, ValueError) as exc:
        raise Http404("evidence file missing") from exc
    response = FileResponse(handle, as_attachment=True, filename=ef.original_name,
                            content_type=CONTENT_TYPES.get(ef.kind, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    # Belt and braces should a browser ever render it inline: no scripts, no same-origin access.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
