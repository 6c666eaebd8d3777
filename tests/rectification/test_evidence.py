"""Evidence files: typed by content, image metadata stripped, stored content-addressed, audited."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import translation
from PIL import Image, ImageOps
from PIL.PngImagePlugin import PngInfo

from xuncha.core.errors import ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.rectification import evidence
from xuncha.rectification.evidence import (
    check_upload,
    evidence_path,
    evidence_response,
    evidence_save,
    evidence_save_upload,
    evidence_verify,
    sanitise_name,
)
from xuncha.rectification.models import EvidenceFile

GPS_IFD = 0x8825
EXIF_IFD = 0x8769


@pytest.fixture(autouse=True)
def english():
    # The assertions read the English msgids; the site language (zh-hans) would translate some of them.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
    return settings.MEDIA_ROOT


# --- Real files, made here ----------------------------------------------------------------------------

def _picture(size=(64, 32)) -> Image.Image:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue: orientation is visible
    return image


def jpeg_with_gps(*, orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"  # Make
    exif[0x0110] = "P40 Pro"  # Model
    exif[0x0112] = orientation
    exif[0x013B] = "张三"  # Artist
    exif.get_ifd(EXIF_IFD)[0x9003] = "2024:05:01 10:00:00"  # DateTimeOriginal
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (39.0, 54.0, 27.0)
    gps[3] = "E"
    gps[4] = (116.0, 23.0, 30.0)
    buf = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>secret-xmp</rdf:RDF></x:xmpmeta>'
    _picture().save(buf, "JPEG", exif=exif.tobytes(), comment=b"secret-comment", xmp=xmp, quality=95)
    data = buf.getvalue()
    # The fixture itself must carry what we claim to strip.
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(GPS_IFD)
    assert b"Exif" in data and b"secret-comment" in data and b"secret-xmp" in data
    return data


def png_with_text() -> bytes:
    info = PngInfo()
    info.add_text("Author", "secret-author")
    info.add_itxt("Comment", "secret-itxt 北京市东城区")
    info.add_text("Location", "secret-zip" * 50, zip=True)
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD)[1] = "N"
    buf = io.BytesIO()
    _picture().save(buf, "PNG", pnginfo=info, exif=exif.tobytes())
    data = buf.getvalue()
    assert b"tEXt" in data and b"iTXt" in data and b"zTXt" in data and b"eXIf" in data
    return data


def plain_png(size=(16, 16)) -> bytes:
    buf = io.BytesIO()
    _picture(size).save(buf, "PNG")
    return buf.getvalue()


def pillow_pdf() -> bytes:
    buf = io.BytesIO()
    _picture().save(buf, "PDF")
    return buf.getvalue()


MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n"
    b"%%EOF\n"
)


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("整改完成情况说明")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["问题", "整改措施"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_WORD_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def zip_of(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IEND", b""))


def _refused(name: str, data: bytes) -> str:
    with pytest.raises(ValidationFailed) as exc:
        check_upload(name, data)
    return exc.value.message


# --- check_upload: images -----------------------------------------------------------------------------

def test_jpeg_exif_gps_xmp_and_comment_are_stripped():
    checked = check_upload("现场照片.jpg", jpeg_with_gps())
    assert checked.kind == EvidenceFile.Kind.JPEG
    assert checked.content_type == "image/jpeg"
    assert checked.metadata_stripped is True
    assert checked.sha256 == hashlib.sha256(checked.data).hexdigest()
    assert checked.size == len(checked.data)
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (64, 32)
        assert not stored.getexif()
        assert not stored.getexif().get_ifd(GPS_IFD)
        assert "comment" not in stored.info and "xmp" not in stored.info
    for marker in (b"Exif", b"GPS", b"HUAWEI", b"secret-comment", b"secret-xmp", b"xmpmeta", b"Photoshop"):
        assert marker not in checked.data


def test_jpeg_orientation_is_applied_before_stripping():
    source = jpeg_with_gps(orientation=6)  # stored landscape, shown rotated 90° clockwise
    with Image.open(io.BytesIO(source)) as original:
        expected = ImageOps.exif_transpose(original)
    checked = check_upload("photo.jpg", source)
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert stored.size == expected.size == (32, 64)
        assert stored.getexif().get(0x0112) is None
        # After the rotation the blue half (left in the raw pixels) is on top.
        r, g, b = stored.convert("RGB").getpixel((16, 8))
        assert b > 150 and r < 100


def test_jpeg_quality_keeps_the_picture():
    checked = check_upload("photo.jpg", jpeg_with_gps())
    with Image.open(io.BytesIO(checked.data)) as stored:
        r, g, b = stored.convert("RGB").getpixel((48, 16))
    assert r > 180 and b < 60


def test_png_text_chunks_are_stripped():
    checked = check_upload("scan.png", png_with_text())
    assert checked.kind == EvidenceFile.Kind.PNG
    assert checked.metadata_stripped is True
    for marker in (b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"secret"):
        assert marker not in checked.data
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert stored.size == (64, 32)
        assert not stored.getexif()
        assert not getattr(stored, "text", {})


def test_png_palette_with_transparency_survives():
    image = Image.new("P", (8, 8), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(1, (0, 0, 4, 8))
    buf = io.BytesIO()
    image.save(buf, "PNG", transparency=0)
    checked = check_upload("icon.png", buf.getvalue())
    with Image.open(io.BytesIO(checked.data)) as stored:
        rgba = stored.convert("RGBA")
        assert rgba.getpixel((1, 1)) == (0, 0, 255, 255)
        assert rgba.getpixel((6, 1))[3] == 0


def test_png_named_jpg_is_stored_as_png_with_the_right_extension():
    checked = check_upload("photo.jpg", plain_png())
    assert checked.kind == EvidenceFile.Kind.PNG
    assert checked.original_name == "photo.png"
    assert checked.content_type == "image/png"


def test_name_without_extension_gets_one():
    assert check_upload("整改报告", MINIMAL_PDF).original_name == "整改报告.pdf"
    assert check_upload("report.v2", MINIMAL_PDF).original_name == "report.v2.pdf"
    assert check_upload("photo.JPEG", jpeg_with_gps()).original_name == "photo.JPEG"


def test_truncated_png_is_refused():
    data = plain_png((200, 200))
    message = _refused("scan.png", data[: len(data) // 2])
    assert "PNG" in message and "damaged" in message


def test_truncated_jpeg_is_refused():
    data = jpeg_with_gps()
    assert "damaged" in _refused("photo.jpg", data[:400])


def test_image_with_too_many_pixels_is_refused():
    assert "megapixels" in _refused("huge.png", png_header_only(10_000, 7_000))
    # Beyond Pillow's own bomb limit it refuses on open; the message is the same.
    assert "megapixels" in _refused("huge.png", png_header_only(40_000, 40_000))


# --- check_upload: documents --------------------------------------------------------------------------

def test_minimal_and_pillow_pdfs_are_accepted_unchanged():
    for data in (MINIMAL_PDF, pillow_pdf()):
        checked = check_upload("整改报告.pdf", data)
        assert checked.kind == EvidenceFile.Kind.PDF
        assert checked.data == data
        assert checked.metadata_stripped is False
        assert checked.content_type == "application/pdf"


def test_pdf_without_end_marker_is_refused():
    assert "incomplete" in _refused("report.pdf", MINIMAL_PDF[:-7])


def test_docx_and_xlsx_are_accepted_unchanged():
    docx = docx_bytes()
    checked = check_upload("说明.docx", docx)
    assert (checked.kind, checked.data, checked.metadata_stripped) == (EvidenceFile.Kind.DOCX, docx, False)
    assert checked.content_type.endswith("wordprocessingml.document")
    xlsx = xlsx_bytes()
    checked = check_upload("台账.xlsx", xlsx)
    assert (checked.kind, checked.data, checked.metadata_stripped) == (EvidenceFile.Kind.XLSX, xlsx, False)
    assert checked.content_type.endswith("spreadsheetml.sheet")


def test_docx_named_xlsx_is_stored_as_docx():
    checked = check_upload("台账.xlsx", docx_bytes())
    assert checked.kind == EvidenceFile.Kind.DOCX
    assert checked.original_name == "台账.docx"


def test_exe_named_pdf_is_refused():
    message = _refused("evidence.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run")
    assert "Windows program" in message
    assert "PDF, JPEG and PNG" in message


def test_html_and_empty_and_text_are_refused():
    assert "web page" in _refused("report.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    assert "empty" in _refused("report.pdf", b"")
    assert "plain text" in _refused("report.docx", "整改情况".encode())


def test_plain_zip_named_docx_is_refused():
    message = _refused("report.docx", zip_of({"a.txt": "hello"}))
    assert "zip archive" in message


def test_zip_with_content_types_but_no_document_is_refused():
    assert "zip archive" in _refused("report.docx", zip_of({"[Content_Types].xml": _WORD_TYPES}))


def test_zip_bomb_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _WORD_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.bin", "w", force_zip64=True) as member:
            block = b"\x00" * (1024 * 1024)
            for _ in range(evidence.MAX_UNPACKED_BYTES // len(block) + 1):
                member.write(block)
    data = buf.getvalue()
    assert len(data) < 1024 * 1024  # small on the wire, over 100 MB unpacked
    assert "unsafe" in _refused("bomb.docx", data)


def test_zip_with_too_many_members_is_refused():
    members: dict[str, bytes | str] = {"[Content_Types].xml": _WORD_TYPES, "word/document.xml": "<w:document/>"}
    members.update({f"word/m{i}.xml": "" for i in range(evidence.MAX_ZIP_MEMBERS)})
    assert "unsafe" in _refused("many.docx", zip_of(members))


def test_macro_enabled_office_files_are_refused():
    with_vba = zip_of({"[Content_Types].xml": _WORD_TYPES, "word/document.xml": "<w:document/>",
                       "word/vbaProject.bin": b"\x00" * 10})
    assert "macros" in _refused("report.docx", with_vba)
    docm_types = _WORD_TYPES.replace("wordprocessingml.document.main+xml", "ms-word.document.macroEnabled.main+xml"
                                     ).replace("openxmlformats-officedocument.", "")
    assert "macros" in _refused("report.docx", zip_of({"[Content_Types].xml": docm_types,
                                                       "word/document.xml": "<w:document/>"}))


def test_content_types_with_a_dtd_is_refused():
    types = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + _WORD_TYPES.split("?>", 1)[1]
    assert "damaged" in _refused("report.docx", zip_of({"[Content_Types].xml": types,
                                                        "word/document.xml": "<w:document/>"}))


def test_self_extracting_exe_with_zip_tail_is_refused():
    assert "Windows program" in _refused("report.docx", b"MZ" + b"\x00" * 100 + docx_bytes())


def test_old_word_file_is_refused_with_advice():
    assert ".docx" in _refused("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)


def test_over_the_limit_is_refused_with_the_limit_in_mb(settings):
    settings.EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    message = _refused("big.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024) + b"\n%%EOF\n")
    assert "2 MB" in message


def test_names_are_sanitised():
    assert sanitise_name("../../etc/passwd") == "passwd"
    assert sanitise_name("C:\\Users\\张三\\Desktop\\报告.pdf") == "报告.pdf"
    assert sanitise_name("photo\u202egpj.exe") == "photogpj.exe"
    assert sanitise_name("a\x00b\r\nc.pdf") == "abc.pdf"
    assert sanitise_name("") == "evidence"
    long = sanitise_name("很" * 500 + ".pdf")
    assert len(long) == 200 and long.endswith(".pdf")
    # The direction override is gone, so the stored name ends in the content's real extension.
    assert check_upload("photo\u202egnp.exe", plain_png()).original_name == "photognp.png"


# --- evidence_save ------------------------------------------------------------------------------------

def test_save_stores_content_addressed_and_audits(world, media):
    actor = world.user("unit_a")
    ef = evidence_save(actor=actor, name="现场照片.jpg", data=jpeg_with_gps(), task=world.task_a1)
    ef.refresh_from_db()
    path = evidence_path(ef)
    assert path == media / "evidence" / ef.sha256[:2] / ef.sha256
    stored = path.read_bytes()
    assert hashlib.sha256(stored).hexdigest() == ef.sha256
    assert ef.size == len(stored)
    assert b"Exif" not in stored and b"GPS" not in stored
    with Image.open(path) as image:
        assert not image.getexif()
    assert ef.kind == EvidenceFile.Kind.JPEG and ef.metadata_stripped is True
    assert ef.unit == world.task_a1.problem.unit == world.dept_a
    assert ef.uploaded_by == actor
    assert evidence_verify(ef)
    assert not list(path.parent.glob(".tmp-*"))

    event = AuditEvent.objects.get(action="evidence.upload", object_id=str(ef.pk))
    assert event.actor == actor
    assert event.committee_path == world.county_a.path
    assert event.after == {"name": "现场照片.jpg", "kind": "jpeg", "size": ef.size, "sha256": ef.sha256,
                           "task": world.task_a1.pk}


def test_same_file_twice_shares_the_stored_file(world, media):
    data = docx_bytes()
    first = evidence_save(actor=world.user("unit_a"), name="a.docx", data=data, task=world.task_a1)
    mtime = evidence_path(first).stat().st_mtime_ns
    second = evidence_save(actor=world.user("unit_a"), name="b.docx", data=data, task=world.task_a1)
    assert first.pk != second.pk
    assert first.sha256 == second.sha256 == hashlib.sha256(data).hexdigest()
    assert first.storage_name == second.storage_name
    assert evidence_path(second).stat().st_mtime_ns == mtime  # not rewritten
    assert len([p for p in (media / "evidence").rglob("*") if p.is_file()]) == 1
    assert EvidenceFile.objects.filter(sha256=first.sha256).count() == 2


def test_damaged_stored_copy_is_rewritten(world):
    first = evidence_save(actor=None, name="a.pdf", data=MINIMAL_PDF, task=world.task_a1)
    evidence_path(first).write_bytes(b"tampered")
    assert not evidence_verify(first)
    second = evidence_save(actor=None, name="a.pdf", data=MINIMAL_PDF, task=world.task_a1)
    assert evidence_verify(first) and evidence_verify(second)


def test_refused_file_writes_nothing(world, media):
    with pytest.raises(ValidationFailed):
        evidence_save(actor=None, name="x.pdf", data=b"MZ" + b"\x00" * 64, task=world.task_a1)
    assert not EvidenceFile.objects.exists()
    assert not AuditEvent.objects.filter(action="evidence.upload").exists()
    assert not (media / "evidence").exists()


def test_save_without_task_uses_the_units_committee(world):
    ef = evidence_save(actor=world.user("office_b"), name="scan.png", data=plain_png(), unit=world.dept_b)
    assert ef.task is None and ef.unit == world.dept_b
    event = AuditEvent.objects.get(action="evidence.upload", object_id=str(ef.pk))
    assert event.committee_path == world.county_b.path
    assert event.after["task"] is None


def test_save_without_task_or_unit(db):
    ef = evidence_save(actor=None, name="scan.pdf", data=MINIMAL_PDF)
    assert AuditEvent.objects.get(action="evidence.upload", object_id=str(ef.pk)).committee_path == ""


def test_unit_must_match_the_task(world):
    with pytest.raises(ValidationFailed):
        evidence_save(actor=None, name="a.pdf", data=MINIMAL_PDF, task=world.task_a1, unit=world.dept_b)


# --- Uploads ------------------------------------------------------------------------------------------

def test_save_upload_accepts_a_django_upload(world):
    upload = SimpleUploadedFile("照片.jpg", plain_png(), content_type="image/jpeg")  # the browser's type is ignored
    ef = evidence_save_upload(actor=world.user("unit_a"), upload=upload, task=world.task_a1)
    assert ef.kind == EvidenceFile.Kind.PNG and ef.original_name == "照片.png"


class _LyingUpload(UploadedFile):
    """An upload that claims to be small and counts how much of it was read."""

    def __init__(self, chunks: int, chunk_size: int):
        super().__init__(file=io.BytesIO(), name="big.pdf", content_type="application/pdf", size=10)
        self.total, self.chunk_size, self.read_chunks = chunks, chunk_size, 0

    def chunks(self, chunk_size=None):
        for _ in range(self.total):
            self.read_chunks += 1
            yield b"0" * self.chunk_size


def test_save_upload_stops_reading_past_the_limit(db, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    upload = _LyingUpload(chunks=10_000, chunk_size=64 * 1024)  # 640 MB if it were all read
    with pytest.raises(ValidationFailed, match="1 MB"):
        evidence_save_upload(actor=None, upload=upload)
    assert upload.read_chunks == 17


def test_save_upload_refuses_by_declared_size_first(db, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationFailed, match="MB"):
        evidence_save_upload(actor=None, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n" + b"0" * 2000))


# --- Reading back -------------------------------------------------------------------------------------

def test_response_is_an_attachment_with_the_right_type(world):
    ef = evidence_save(actor=None, name="整改 报告.pdf", data=MINIMAL_PDF, task=world.task_a1)
    response = evidence_response(ef)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    response.close()


def test_path_refuses_a_storage_name_that_points_elsewhere(world):
    ef = evidence_save(actor=None, name="a.pdf", data=MINIMAL_PDF, task=world.task_a1)
    ef.storage_name = "../../settings.py"
    with pytest.raises(ValueError):
        evidence_path(ef)
    from django.http import Http404

    with pytest.raises(Http404):
        evidence_response(ef)
