"""The rectification pages as their users meet them: evidence on the task page, 销号 signed, random re-checks,
paper-rectification flags, 催办 and 问责 — and nothing of county A for county B."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from tests.browser import Session
from xuncha.core.dates import today
from xuncha.core.errors import ValidationFailed
from xuncha.notifications.models import Notification, NotificationKind
from xuncha.rectification import services as rectification
from xuncha.rectification.evidence import check_upload
from xuncha.rectification.models import (
    Accountability,
    EvidenceFile,
    FlagKind,
    FlagStatus,
    IntegrityFlag,
    ProgressNote,
    RecheckDraw,
    RecheckResult,
    Task,
    TaskStatus,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _text(response) -> str:
    return response.content.decode()


def _png_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"  # Make
    exif[0x0110] = "P40 Pro"  # Model
    exif[0x013B] = "张三"  # Artist
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, "PNG", exif=exif.tobytes())
    return buf.getvalue()


def _report(client, task, text="已制定年度计划，经党组会审议通过。", files=None):
    files = files if files is not None else [
        SimpleUploadedFile("会议照片.png", _png_with_exif(), content_type="image/png"),
        SimpleUploadedFile("年度计划.pdf", PDF, content_type="application/pdf"),
    ]
    return client.post(reverse("web:task_progress", args=[task.pk]), {"text": text, "files": files})


def _closed(world, login, *, signature="李审核", on_date=None):
    """task_a1 reported with evidence by the unit, submitted and closed by office A; returns the office client."""
    task = world.task_a1
    unit = login(world.user("unit_a"))
    assert _report(unit, task).status_code == 302
    task.refresh_from_db()
    unit.post(reverse("web:task_submit", args=[task.pk]), {"text": "请对账", "version": task.version})
    task.refresh_from_db()
    office = login(world.user("office_a"))
    response = office.post(reverse("web:task_close", args=[task.pk]), {
        "note": "会议记录与年度计划已对账", "signature": signature,
        "on_date": (on_date or today()).isoformat(), "version": task.version})
    assert response.status_code == 302, _text(response)
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED
    return office


# ---------------------------------------------------------------- evidence


def test_unit_reports_progress_with_evidence_files(world, login):
    task = world.task_a1
    unit = login(world.user("unit_a"))
    page = _text(unit.get(reverse("web:task_detail", args=[task.pk])))
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page and "multiple" in page

    response = _report(unit, task)
    assert response.status_code == 302
    files = list(EvidenceFile.objects.filter(task=task).order_by("pk"))
    assert [f.kind for f in files] == ["png", "pdf"]
    assert all(f.note is not None for f in files)

    office = login(world.user("office_a"))
    page = _text(office.get(reverse("web:task_detail", args=[task.pk])))
    for f in files:
        assert f.original_name in page
        assert f.sha256[:12] in page
        assert reverse("web:evidence_download", args=[f.pk]) in page

    png, pdf = files
    download = office.get(reverse("web:evidence_download", args=[png.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == png.sha256
    with Image.open(io.BytesIO(body)) as image:
        assert not image.getexif(), "the photo's camera data was stripped before it was stored"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(office.get(reverse("web:evidence_download", args=[pdf.pk])).streaming_content) == PDF

    other = login(world.user("office_b"))
    assert other.get(reverse("web:evidence_download", args=[png.pk])).status_code == 404
    assert other.get(reverse("web:task_detail", args=[task.pk])).status_code == 404
    assert login(world.user("unit_b")).get(reverse("web:evidence_download", args=[pdf.pk])).status_code == 404


def test_a_program_renamed_pdf_is_refused_and_nothing_is_saved(world, login):
    task = world.task_a1
    program = b"MZ\x90\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."
    with pytest.raises(ValidationFailed) as refused:
        check_upload("整改报告.pdf", program)
    unit = login(world.user("unit_a"))
    response = _report(unit, task, files=[
        SimpleUploadedFile("照片.png", _png_with_exif(), content_type="image/png"),
        SimpleUploadedFile("整改报告.pdf", program, content_type="application/pdf"),
    ])
    assert response.status_code == 400
    page = _text(response)
    assert escape(refused.value.message) in page
    assert "整改报告.pdf" in page, "with several files the refusal names the one refused"
    assert "已制定年度计划" in page, "the text typed is kept"
    assert not ProgressNote.objects.filter(task=task).exists()
    assert not EvidenceFile.objects.exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_an_upload_over_the_limit_is_refused(world, login, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    unit = login(world.user("unit_a"))
    response = _report(unit, world.task_a1, files=[SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048)])
    assert response.status_code == 400
    assert "大文件.pdf" in _text(response)
    assert not ProgressNote.objects.exists() and not EvidenceFile.objects.exists()


def test_progress_from_the_portal_takes_files(world, login):
    task = world.task_a1
    unit = login(world.user("unit_a"))
    portal = _text(unit.get(reverse("web:unit_portal")))
    assert 'hx-encoding="multipart/form-data"' in portal
    response = unit.post(reverse("web:task_progress", args=[task.pk]),
                         {"text": "已完成", "files": [SimpleUploadedFile("计划.pdf", PDF)]},
                         HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"task-{task.pk}")
    assert response.status_code == 200
    assert EvidenceFile.objects.filter(task=task, original_name="计划.pdf").exists()


# ---------------------------------------------------------------- 销号


def test_office_closes_a_task_signed_and_dated(world, login):
    task = world.task_a1
    unit = login(world.user("unit_a"))
    _report(unit, task)
    task.refresh_from_db()
    unit.post(reverse("web:task_submit", args=[task.pk]), {"version": task.version})
    task.refresh_from_db()

    office = login(world.user("office_a"))
    page = _text(office.get(reverse("web:task_detail", args=[task.pk])))
    assert 'name="signature"' in page and escape(str(world.user("office_a"))) in page  # prefilled
    assert 'name="on_date"' in page
    assert "2份证明材料" in page

    yesterday = today() - datetime.timedelta(days=1)
    future = office.post(reverse("web:task_close", args=[task.pk]), {
        "note": "已对账", "signature": "李审核", "on_date": (today() + datetime.timedelta(days=2)).isoformat(),
        "version": task.version})
    assert future.status_code == 400
    response = office.post(reverse("web:task_close", args=[task.pk]), {
        "note": "会议记录与年度计划已对账", "signature": "李审核", "on_date": yesterday.isoformat(),
        "version": task.version})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.closed_signature, task.closed_on) == (TaskStatus.CLOSED, "李审核", yesterday)
    page = _text(office.get(reverse("web:task_detail", args=[task.pk])))
    assert "李审核" in page and yesterday.strftime("%Y-%m-%d") in page


def test_a_stale_close_form_answers_409(world, login):
    task = world.task_a1
    unit = login(world.user("unit_a"))
    _report(unit, task)
    task.refresh_from_db()
    unit.post(reverse("web:task_submit", args=[task.pk]), {"version": task.version})
    office = login(world.user("office_a"))
    response = office.post(reverse("web:task_close", args=[task.pk]), {
        "note": "已对账", "signature": "李审核", "on_date": today().isoformat(), "version": 1})
    assert response.status_code == 409
    assert "李审核" in _text(response), "the signature typed is kept"


# ---------------------------------------------------------------- random re-checks


def test_a_failed_recheck_reopens_the_task(world, login):
    office = _closed(world, login)
    task = world.task_a1

    response = office.post(reverse("web:recheck_draw"), {"round": world.round_a.pk, "sample_size": 3, "seed": ""})
    assert response.status_code == 302
    draw = RecheckDraw.objects.get()
    assert draw.sample == [task.pk] and draw.population == [task.pk]
    assert response["Location"] == reverse("web:recheck_detail", args=[draw.pk])

    page = _text(office.get(reverse("web:recheck_detail", args=[draw.pk])))
    assert draw.seed in page and "可复现" in page and task.measure[:20] in page
    listing = _text(office.get(reverse("web:recheck_list")))
    assert reverse("web:recheck_detail", args=[draw.pk]) in listing

    item = draw.items.get()
    url = reverse("web:recheck_record", args=[item.pk])
    unit = login(world.user("unit_a"))
    assert "随机抽查" not in _text(unit.get(reverse("web:task_detail", args=[task.pk]))), \
        "a draw is not announced to the unit before the visit"
    office = login(world.user("office_a"))
    no_finding = office.post(url, {"result": "failed", "finding": "", "checked_on": today().isoformat(),
                                   "version": item.version})
    assert no_finding.status_code == 400
    item.refresh_from_db()
    assert item.result == RecheckResult.PENDING

    response = office.post(url, {"result": "failed", "finding": "现场未见年度计划印发文件",
                                 "checked_on": today().isoformat(), "version": item.version})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.reopened_count == 1
    page = _text(office.get(reverse("web:recheck_detail", args=[draw.pk])))
    assert "现场未见年度计划印发文件" in page and task.get_status_display() in page
    page = _text(office.get(reverse("web:task_detail", args=[task.pk])))
    assert "现场未见年度计划印发文件" in page
    unit_page = _text(login(world.user("unit_a")).get(reverse("web:task_detail", args=[task.pk])))
    assert "现场未见年度计划印发文件" in unit_page and "已重新整改1次" in unit_page
    office = login(world.user("office_a"))

    # Recorded once: a second post is refused, not recorded again.
    again = office.post(url, {"result": "passed", "checked_on": today().isoformat(), "version": item.version + 1})
    assert again.status_code in (400, 409)


def test_recheck_pages_are_scoped(world, login):
    office = _closed(world, login)
    office.post(reverse("web:recheck_draw"), {"round": world.round_a.pk, "sample_size": 1, "seed": "甲县-2024"})
    draw = RecheckDraw.objects.get()
    item = draw.items.get()
    assert draw.seed == "甲县-2024"

    other = login(world.user("office_b"))
    assert other.get(reverse("web:recheck_detail", args=[draw.pk])).status_code == 404
    assert other.post(reverse("web:recheck_record", args=[item.pk]),
                      {"result": "passed", "checked_on": today().isoformat()}).status_code == 404
    assert reverse("web:recheck_detail", args=[draw.pk]) not in _text(other.get(reverse("web:recheck_list")))
    # office B cannot draw on county A's round: it is not among its rounds.
    assert other.post(reverse("web:recheck_draw"), {"round": world.round_a.pk, "sample_size": 1}).status_code == 400
    assert RecheckDraw.objects.count() == 1

    leader = login(world.user("leader_a"))
    assert leader.get(reverse("web:recheck_detail", args=[draw.pk])).status_code == 200
    assert leader.post(reverse("web:recheck_record", args=[item.pk]),
                       {"result": "passed", "checked_on": today().isoformat()}).status_code == 404
    for name in ("unit_a", "inspector_a", "receiver_a"):
        assert login(world.user(name)).get(reverse("web:recheck_list")).status_code == 404


def test_a_draw_needs_closed_tasks(world, login):
    office = login(world.user("office_a"))
    response = office.post(reverse("web:recheck_draw"), {"round": world.round_a.pk, "sample_size": 2})
    assert response.status_code == 400
    assert not RecheckDraw.objects.exists()


# ---------------------------------------------------------------- paper-rectification flags


def _copied_flag(world) -> IntegrityFlag:
    return IntegrityFlag.objects.create(
        kind=FlagKind.COPIED_MEASURE, task=world.task_a1, other_task=world.task_b1, score=0.8,
        key=f"copied:{world.task_a1.pk}:{world.task_b1.pk}", detail="措施与乙县财政局高度相似")


def test_office_dismisses_a_flag_with_a_note(world, login):
    flag = _copied_flag(world)
    office = login(world.user("office_a"))
    listing = _text(office.get(reverse("web:flag_list")))
    assert reverse("web:flag_detail", args=[flag.pk]) in listing
    assert _text(office.get(reverse("web:flag_list"), {"kind": "reused_evidence"})).count(
        reverse("web:flag_detail", args=[flag.pk])) == 0

    page = _text(office.get(reverse("web:flag_detail", args=[flag.pk])))
    assert world.task_a1.measure[:6] in page.replace("<mark>", "").replace("</mark>", "")
    assert "乙县财政局" in page and world.task_b1.measure in page  # the other unit's measure, side by side
    assert world.problem_b1.description not in page, "of a task out of scope only the unit and measure show"
    assert reverse("web:task_detail", args=[world.task_b1.pk]) not in page
    task_page = _text(office.get(reverse("web:task_detail", args=[world.task_a1.pk])))
    assert reverse("web:flag_detail", args=[flag.pk]) in task_page

    url = reverse("web:flag_resolve", args=[flag.pk])
    no_note = office.post(url, {"status": "dismissed", "note": "", "version": flag.version})
    assert no_note.status_code == 400
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN

    response = office.post(url, {"status": "dismissed", "note": "两单位按上级统一模板制定，内容已核实",
                                 "version": flag.version})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED and flag.resolved_by == world.user("office_a")
    assert "两单位按上级统一模板制定" in _text(office.get(reverse("web:flag_detail", args=[flag.pk])))

    stale = office.post(url, {"status": "confirmed", "note": "", "version": 1})
    assert stale.status_code == 409


def test_flags_are_scoped_and_for_oversight_only(world, login):
    flag = _copied_flag(world)
    other = login(world.user("office_b"))
    assert other.get(reverse("web:flag_detail", args=[flag.pk])).status_code == 404
    assert other.post(reverse("web:flag_resolve", args=[flag.pk]),
                      {"status": "confirmed", "version": flag.version}).status_code == 404
    assert reverse("web:flag_detail", args=[flag.pk]) not in _text(other.get(reverse("web:flag_list")))

    leader = login(world.user("leader_a"))
    assert leader.get(reverse("web:flag_detail", args=[flag.pk])).status_code == 200
    assert leader.post(reverse("web:flag_resolve", args=[flag.pk]),
                       {"status": "confirmed", "version": flag.version}).status_code == 404
    unit = login(world.user("unit_a"))
    assert unit.get(reverse("web:flag_list")).status_code == 404
    assert reverse("web:flag_detail", args=[flag.pk]) not in _text(
        unit.get(reverse("web:task_detail", args=[world.task_a1.pk])))
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_reused_evidence_flag_shows_both_tasks_and_the_hash(world, login):
    second = rectification.task_create(actor=None, problem=world.problem_a1, measure="建立党风廉政建设责任清单",
                                       responsible_leader="王建国", responsible_department="办公室",
                                       responsible_person="张敏", deadline=today() + datetime.timedelta(days=20),
                                       kind="time_limited")
    unit = login(world.user("unit_a"))
    _report(unit, world.task_a1, files=[SimpleUploadedFile("计划.pdf", PDF)])
    _report(unit, second, text="同一份计划", files=[SimpleUploadedFile("计划副本.pdf", PDF)])
    flag = IntegrityFlag.objects.get(kind=FlagKind.REUSED_EVIDENCE)
    office = login(world.user("office_a"))
    page = _text(office.get(reverse("web:flag_detail", args=[flag.pk])))
    assert flag.sha256 in page and "计划.pdf" in page and "计划副本.pdf" in page
    assert world.task_a1.measure in page and second.measure in page


# ---------------------------------------------------------------- 催办 and 问责


def test_office_urges_the_unit(world, login):
    task = world.task_a1
    office = login(world.user("office_a"))
    assert reverse("web:task_urge", args=[task.pk]) in _text(office.get(reverse("web:task_detail", args=[task.pk])))
    response = office.post(reverse("web:task_urge", args=[task.pk]), {"message": "请于本周内报送年度计划印发文件"})
    assert response.status_code == 302
    urged = Notification.objects.filter(recipient=world.user("unit_a"), kind=NotificationKind.URGE)
    note = urged.get()
    assert note.body == "请于本周内报送年度计划印发文件" and note.url == reverse("web:task_detail", args=[task.pk])

    assert office.post(reverse("web:task_urge", args=[task.pk]), {"message": ""}).status_code == 400
    assert login(world.user("office_b")).post(reverse("web:task_urge", args=[task.pk]),
                                              {"message": "x"}).status_code == 404
    assert login(world.user("unit_a")).post(reverse("web:task_urge", args=[task.pk]),
                                            {"message": "x"}).status_code == 404
    assert urged.count() == 1


def test_office_records_accountability(world, login):
    task = world.task_a1
    cadre = world.dept_a.cadres.get(name="李红")
    office = login(world.user("office_a"))
    url = reverse("web:task_accountability", args=[task.pk])
    nobody = office.post(url, {"kind": "talk", "decided_on": today().isoformat(), "decided_by": "县纪委",
                               "reason": "整改不力"})
    assert nobody.status_code == 400 and not Accountability.objects.exists()
    response = office.post(url, {"cadre": cadre.pk, "kind": "talk", "decided_on": today().isoformat(),
                                 "decided_by": "县委巡察办", "reason": "整改措施落实不力"})
    assert response.status_code == 302
    record = Accountability.objects.get()
    assert (record.cadre, record.person_name, record.task) == (cadre, "李红", Task.objects.get(pk=task.pk))
    typed = office.post(url, {"person_name": "张敏", "kind": "admonition", "decided_on": today().isoformat(),
                              "decided_by": "县纪委监委", "reason": "纸上整改"})
    assert typed.status_code == 302

    page = _text(office.get(reverse("web:task_detail", args=[task.pk])))
    assert "李红" in page and "张敏" in page
    listing = _text(office.get(reverse("web:accountability_list")))
    assert "李红" in listing and reverse("web:task_detail", args=[task.pk]) in listing
    assert "李红" not in _text(login(world.user("office_b")).get(reverse("web:accountability_list")))
    assert login(world.user("office_b")).post(url, {"person_name": "x", "kind": "talk",
                                                    "decided_on": today().isoformat(), "decided_by": "x",
                                                    "reason": "x"}).status_code == 404
    assert "李红" in _text(login(world.user("unit_a")).get(reverse("web:accountability_list")))
    assert login(world.user("inspector_a")).get(reverse("web:accountability_list")).status_code == 404


def test_pages_need_a_login(client, world):
    for name in ("flag_list", "recheck_list", "recheck_draw", "accountability_list"):
        response = client.get(reverse(f"web:{name}"))
        assert response.status_code == 302 and "/login/" in response["Location"], name
    response = client.get(reverse("web:evidence_download", args=[1]))
    assert response.status_code == 302


def test_nav_shows_the_new_sections_to_oversight(world, login):
    page = _text(login(world.user("office_a")).get(reverse("web:workbench")))
    assert reverse("web:rectification_dashboard") in page and reverse("web:plan_list") in page
    dashboard = _text(login(world.user("office_a")).get(reverse("web:rectification_dashboard")))
    assert reverse("web:flag_list") in dashboard and reverse("web:recheck_list") in dashboard
    page = _text(login(world.user("unit_a")).get(reverse("web:workbench")))
    assert reverse("web:flag_list") not in page and reverse("web:rectification_dashboard") not in page


# ---------------------------------------------------------------- in a browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_screenshots_of_the_task_and_flag_pages(browser, live_server, world):
    task = world.task_a1
    unit_user, office_user = world.user("unit_a"), world.user("office_a")
    rectification.task_report_progress(actor=unit_user, task=task, text="已制定年度计划，经党组会审议通过并印发。",
                                       files=[("党组会议纪要.pdf", PDF), ("学习计划照片.png", _png_with_exif())])
    phone = Session(browser, live_server.url, {"width": 390, "height": 844})
    try:
        phone.login(unit_user.username)
        phone.visit(reverse("web:task_detail", args=[task.pk]), "phone-unit-task-rectify")
        assert phone.page.locator("input[type=file][multiple]").count() == 1
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the task page is {width}px wide on a 390px phone"
        phone.visit(reverse("web:unit_portal"), "phone-unit-portal-evidence")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the portal is {width}px wide on a 390px phone"
    finally:
        phone.close()
    desk = Session(browser, live_server.url, {"width": 1280, "height": 900})
    try:
        desk.login(unit_user.username)
        desk.visit(reverse("web:unit_portal"), "desktop-unit-portal-evidence")
        # Through htmx, multipart: the file arrives and the task's card is swapped in place.
        card = desk.page.locator(f"#task-{task.pk}")
        card.locator("textarea").fill("补充会议签到表")
        card.locator("input[type=file]").set_input_files(
            files=[{"name": "签到表.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        card.locator("button.btn-primary").click()
        desk.page.locator(f"#task-{task.pk} .alert-success").wait_for()
        assert EvidenceFile.objects.filter(task=task, original_name="签到表.pdf").exists()
    finally:
        desk.close()

    task.refresh_from_db()
    rectification.task_submit_for_review(actor=unit_user, task=task, text="请对账", expected_version=task.version)
    copied = rectification.task_create(actor=None, problem=world.problem_b1,
                                       measure="制定党组理论学习和党风廉政建设年度计划，每季度专题研究一次",
                                       responsible_leader="赵强", responsible_department="办公室",
                                       responsible_person="钱丽", deadline=today() + datetime.timedelta(days=10),
                                       kind="time_limited")
    flag = IntegrityFlag.objects.create(kind=FlagKind.COPIED_MEASURE, task=task, other_task=copied, score=0.82,
                                        key=f"copied:{task.pk}:{copied.pk}",
                                        detail="与乙县财政局的整改措施高度相似（相似度82%）。")
    rectification.accountability_record(actor=office_user, unit=world.dept_a, person_name="张敏", kind="talk",
                                        decided_on=today(), decided_by="县委巡察办", reason="整改进度滞后", task=task)
    closed = rectification.task_create(actor=office_user, problem=world.problem_a1, measure="建立党风廉政建设责任清单",
                                       responsible_leader="王建国", responsible_department="办公室",
                                       responsible_person="张敏", deadline=today() + datetime.timedelta(days=20),
                                       kind="time_limited")
    rectification.task_report_progress(actor=unit_user, task=closed, text="责任清单已印发", files=[("清单.pdf", PDF)])
    closed.refresh_from_db()
    rectification.task_submit_for_review(actor=unit_user, task=closed, expected_version=closed.version)
    closed.refresh_from_db()
    rectification.task_close(actor=office_user, task=closed, note="已对账", signature="李审核",
                             expected_version=closed.version)
    draw = rectification.recheck_draw(actor=office_user, round=world.round_a, sample_size=3, seed="2024-甲县-第1轮")

    s = Session(browser, live_server.url, {"width": 1280, "height": 900})
    try:
        s.login(office_user.username)
        s.visit(reverse("web:task_detail", args=[task.pk]), "desktop-office-task-rectify", heading="整改任务")
        assert s.page.locator(".evidence-list li").count() == 3
        assert s.page.locator("input[name=signature]").input_value() == str(office_user)
        s.visit(reverse("web:flag_detail", args=[flag.pk]), "desktop-office-flag")
        assert s.page.locator("mark").count() >= 1
        s.visit(reverse("web:flag_list"), "desktop-office-flags")
        s.visit(reverse("web:recheck_list"), "desktop-office-rechecks")
        s.visit(reverse("web:recheck_detail", args=[draw.pk]), "desktop-office-recheck")
        assert "可复现" in s.page.content()
        s.visit(reverse("web:accountability_list"), "desktop-office-accountability")
        assert s.page.evaluate("document.documentElement.scrollWidth") <= 1280
    finally:
        s.close()
