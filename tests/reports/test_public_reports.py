"""The public report pages: submit, receipt code, status, information added, spam, limits, and no IP anywhere."""

from __future__ import annotations

import datetime
import io
import json
import logging
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.browser import PHONE, SHOTS, console_errors
from tests.world import logged_text, stored_text
from xuncha.core.dates import today
from xuncha.core.errors import ValidationFailed
from xuncha.core.id_numbers import id_number_valid
from xuncha.core.models import AuditEvent
from xuncha.reports import services
from xuncha.reports.crypto import decrypt_identity, encrypt_identity, key_id_of
from xuncha.reports.models import (
    IdentityAccessRequest,
    Report,
    ReportAttachment,
    ReporterIdentity,
    ReportMessage,
    ReportStatus,
)
from xuncha.reports.receipts import receipt_display, receipt_find, receipt_issue
from xuncha.reports.spam import form_signals, form_stamp, spam_check
from xuncha.web.public_report_views import inspection_token

SEED_ADVERT = ("本站提供注册、登录、开户、咨询、APP下载等服务。平台拥有合法营业牌照,正规经营,公平公正,"
               "24小时在线客服随时为你服务。")
GENUINE = [
    "城关镇副镇长李某把村道硬化工程包给他小舅子，听说收了二十万好处费。",
    "东关村村支书把自己亲戚弄进了低保，真正困难的人家反而吃不上低保。",
    "镇财政所长经常用公款在饭店吃喝，签单挂账，一年好几万元。",
    "村会计挪用集体资金三万多元，账目一直不公开。",
]
VALID_ID = "11010519491231002X"  # the GB 11643 example number


@pytest.fixture(autouse=True)
def _report_settings(settings, tmp_path):
    settings.IDENTITY_KEY = ""
    settings.IDENTITY_KEY_FILE = tmp_path / "keys" / "identity.key"
    settings.REPORT_MIN_FILL_SECONDS = 0
    settings.REPORT_RATE_LIMIT = 50
    settings.MEDIA_ROOT = tmp_path / "media"


def _form_url(inspection) -> str:
    return reverse("report:form", args=[inspection_token(inspection)])


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def _post_report(client, inspection, **fields):
    url = _form_url(inspection)
    client.get(url)  # the page sets the per-browser cookie and the signed time stamp
    data = {"stamp": form_stamp(), "content": GENUINE[0], "mode": "anonymous", "unit": "", "person": ""}
    data.update(fields)
    return client.post(url, data, **fields.pop("extra", {}))


def _code_in(response) -> str:
    match = re.search(r'id="receipt-code">([\d ]+)<', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


# --- Services -----------------------------------------------------------------------------------------

def test_identity_encryption_round_trip_and_key_file(settings):
    ciphertext, key_id = encrypt_identity({"name": "张三", "phone": "13812345678"})
    assert "张三" not in ciphertext and "13812345678" not in ciphertext
    assert decrypt_identity(ciphertext, key_id) == {"name": "张三", "phone": "13812345678"}
    key_file = settings.IDENTITY_KEY_FILE
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_id == key_id_of(key_file.read_text().strip().encode())


def test_identity_key_missing_in_production_is_a_clear_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="identity key"):
        encrypt_identity({"name": "x"})
    assert not settings.IDENTITY_KEY_FILE.exists()


def test_receipt_issue_and_find(world, settings):
    report, code = services.report_submit(inspection=world.inspection_a2, content=GENUINE[1])
    assert len(code) == 16 and code.isdigit()
    assert report.receipt_lookup == code[:6] and code[6:] not in report.receipt_hash
    assert receipt_find(code) == report
    assert receipt_find(receipt_display(code)) == report
    assert receipt_find("-".join([code[:4], code[4:8], code[8:12], code[12:]])) == report
    assert receipt_find(code[:6] + "0" * 10 if code[6:] != "0" * 10 else code[:6] + "1" * 10) is None
    assert receipt_find("123") is None
    issued, lookup, hashed = receipt_issue()
    assert issued.startswith(lookup) and hashed.startswith("$argon2id$")
    assert receipt_display("1234567890123456") == "1234 5678 9012 3456"


def test_spam_rules():
    score, reason = spam_check(SEED_ADVERT)
    assert score >= 0.6 and reason
    for text in GENUINE:
        assert spam_check(text)[0] < 0.6, text
    assert spam_check("this is only english text without any chinese")[0] >= 0.6
    assert spam_check("请看 http://a.example.com 注册即送 百家乐 加微信 13812345678")[0] >= 0.6
    assert spam_check("哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈")[0] >= 0.6
    assert form_signals(honeypot="http://x", stamp=form_stamp())[0] >= 0.6
    assert form_signals(honeypot="", stamp="forged")[0] >= 0.6
    assert form_signals(honeypot="", stamp=form_stamp())[0] == 0


def test_id_number_check_digit_and_birth_date():
    assert id_number_valid(VALID_ID)
    assert not id_number_valid("110105194912310021")  # wrong check digit
    assert not id_number_valid("110105194913310020")  # month 13
    assert not id_number_valid("1101051949123100")


def test_submit_refused_outside_acceptance(world):
    with pytest.raises(ValidationFailed):
        services.report_submit(inspection=world.inspection_a1, content=GENUINE[0])
    inspection = world.inspection_a2
    inspection.reports_accepted_until = today() - datetime.timedelta(days=1)
    inspection.save()
    with pytest.raises(ValidationFailed, match=r"\d{4}"):
        services.report_submit(inspection=inspection, content=GENUINE[0])
    with pytest.raises(ValidationFailed):
        services.report_submit(inspection=world.inspection_a2, content="太短")
    assert not Report.objects.exists()


def test_audit_has_no_content_or_identity(world):
    report, _code = services.report_submit(inspection=world.inspection_a2, content=GENUINE[2], anonymous=False,
                                           identity={"name": "张三丰", "phone": "13812345678"})
    event = AuditEvent.objects.get(action="report.submit", object_id=str(report.pk))
    assert set(event.after) == {"channel", "inspection", "anonymous", "spam"}
    dumped = json.dumps(event.after, ensure_ascii=False) + event.object_repr
    assert "张三丰" not in dumped and "13812345678" not in dumped and "饭店" not in json.dumps(event.after)


# --- Pages --------------------------------------------------------------------------------------------

def test_start_page_lists_inspections_taking_reports(client, world):
    response = client.get(reverse("report:start"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "第二巡察组" in page and "城关镇" in page and "东关村" in page
    assert _form_url(world.inspection_a2) in page
    assert _form_url(world.inspection_a1) not in page  # in 整改
    assert "web:" not in page and 'class="mainnav"' not in page


def test_anonymous_report_code_status_reply_and_more_information(client, world):
    form = client.get(_form_url(world.inspection_a2))
    assert form.status_code == 200 and "城关镇" in form.content.decode()
    response = _post_report(client, world.inspection_a2, unit=str(world.township_a.pk), person="李某")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    code = _code_in(response)
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", code)
    report = Report.objects.get()
    assert report.anonymous and report.status == ReportStatus.RECEIVED and report.concerns_unit == world.township_a
    assert report.received_on == today()
    assert not ReporterIdentity.objects.exists()
    assert code.replace(" ", "") not in json.dumps(dict(client.session.items()))

    ReportMessage.objects.create(report=report, from_reporter=False, text="您反映的问题已转有关方面核实。",
                                 sent_on=today())
    IdentityAccessRequest.objects.create(report=report, requested_by=world.user("inspector_a2"),
                                         reason="核实举报人身份需要")
    status = client.post(reverse("report:status"), {"code": code})
    assert status.status_code == 200
    page = status.content.decode()
    assert "您反映的问题已转有关方面核实。" in page
    assert "核实举报人身份需要" not in page and "审批" not in page.split("<footer")[0].split("实名举报")[0]

    added = client.post(reverse("report:status"),
                        {"code": code, "action": "add", "text": "补充：工程款是去年八月拨付的。"})
    assert added.status_code == 200
    message = ReportMessage.objects.get(report=report, from_reporter=True)
    assert message.text == "补充：工程款是去年八月拨付的。"
    assert "补充：工程款是去年八月拨付的。" in added.content.decode()


def test_status_get_never_takes_the_code_in_the_url(client, world):
    _report, code = services.report_submit(inspection=world.inspection_a2, content=GENUINE[1])
    response = client.get(reverse("report:status"), {"code": code})
    assert response.status_code == 200
    assert "report" not in response.context or response.context.get("report") is None
    assert code not in response.content.decode()


def test_wrong_code_gives_the_same_generic_message(client, world):
    _report, code = services.report_submit(inspection=world.inspection_a2, content=GENUINE[1])
    wrong_secret = code[:6] + ("1234567890" if code[6:] != "1234567890" else "0987654321")
    unknown_prefix = next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" != code[:6]) + "1234567890"
    client.get(reverse("report:status"))
    answers = [client.post(reverse("report:status"), {"code": c}) for c in (wrong_secret, unknown_prefix, "12")]
    assert {a.status_code for a in answers} == {404}
    messages = {a.context["error"] for a in answers}
    assert len(messages) == 1
    with pytest.raises(ValidationFailed) as one:
        services.report_add_information(code=wrong_secret, text="补充材料")
    with pytest.raises(ValidationFailed) as two:
        services.report_add_information(code=unknown_prefix, text="补充材料")
    assert one.value.message == two.value.message == messages.pop()
    assert not ReportMessage.objects.exists()


def test_named_report_identity_only_encrypted(client, world):
    response = _post_report(client, world.inspection_a2, mode="named", name="赵铁柱", phone="139 1234 5678",
                            id_number=VALID_ID.lower())
    assert response.status_code == 200, response.content.decode()[:3000]
    report = Report.objects.get()
    assert not report.anonymous
    identity = ReporterIdentity.objects.get(report=report)
    for secret in ("赵铁柱", "13912345678", VALID_ID):
        assert secret not in identity.ciphertext
        assert secret not in report.content and secret not in report.concerns_person
    assert decrypt_identity(identity.ciphertext, identity.key_id) == {
        "name": "赵铁柱", "phone": "13912345678", "id_number": VALID_ID}


def test_invalid_id_number_refused_and_nothing_saved(client, world):
    response = _post_report(client, world.inspection_a2, mode="named", name="赵铁柱", phone="13912345678",
                            id_number="110105194912310021")
    assert response.status_code == 400
    assert "身份证" in response.content.decode()
    assert response.context["error_field"] == "id_number"
    assert not Report.objects.exists() and not ReporterIdentity.objects.exists()
    assert "赵铁柱" in response.content.decode()  # what was typed is kept for correcting


def test_named_report_needs_name_and_mobile(client, world):
    response = _post_report(client, world.inspection_a2, mode="named", name="赵铁柱", phone="12345")
    assert response.status_code == 400 and response.context["error_field"] == "phone"
    response = _post_report(client, world.inspection_a2, mode="named", name="", phone="13912345678")
    assert response.status_code == 400 and response.context["error_field"] == "name"
    assert not Report.objects.exists()


def test_after_the_deadline_the_page_says_so_and_a_post_is_refused(client, world):
    inspection = world.inspection_a2
    inspection.reports_accepted_until = today() - datetime.timedelta(days=2)
    inspection.report_phone = "0931-1234567"
    inspection.save()
    page = client.get(_form_url(inspection))
    assert page.status_code == 200
    text = page.content.decode()
    assert "受理截止" in text or "截止" in text
    assert f"{inspection.reports_accepted_until.year}年" in text
    assert "0931-1234567" in text
    assert 'name="content"' not in text
    response = client.post(_form_url(inspection), {"stamp": form_stamp(), "content": GENUINE[0],
                                                   "mode": "anonymous"})
    assert response.status_code == 403
    assert not Report.objects.exists()
    assert _form_url(inspection) not in client.get(reverse("report:start")).content.decode()


def test_seed_advert_stored_as_spam(client, world):
    response = _post_report(client, world.inspection_a2, content=SEED_ADVERT)
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.status == ReportStatus.SPAM and report.spam_score >= 0.6 and report.spam_reason
    assert report.group is None


def test_genuine_report_not_spam(client, world):
    for text in GENUINE:
        _post_report(client, world.inspection_a2, content=text)
    assert Report.objects.count() == len(GENUINE)
    assert not Report.objects.filter(status=ReportStatus.SPAM).exists()


def test_honeypot_filled_is_spam(client, world):
    _post_report(client, world.inspection_a2, website="http://cheap.example")
    assert Report.objects.get().status == ReportStatus.SPAM


def test_too_fast_or_without_stamp_is_spam(client, world, settings):
    settings.REPORT_MIN_FILL_SECONDS = 60
    _post_report(client, world.inspection_a2)
    assert Report.objects.get().status == ReportStatus.SPAM


def test_reloading_the_answer_does_not_save_twice(client, world):
    url = _form_url(world.inspection_a2)
    client.get(url)
    data = {"stamp": form_stamp(), "content": GENUINE[0], "mode": "anonymous"}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 200 and second.status_code == 409
    assert Report.objects.count() == 1
    assert 'id="receipt-code"' not in second.content.decode()


def test_rate_limit_gives_429(client, world, settings):
    settings.REPORT_RATE_LIMIT = 2
    cache.clear()
    url = _form_url(world.inspection_a2)
    client.get(url)
    codes = [client.post(url, {"stamp": form_stamp(), "content": text, "mode": "anonymous"}).status_code
             for text in GENUINE[:3]]
    assert codes == [200, 200, 429]
    limited = client.post(reverse("report:status"), {"code": "1234567890123456"})
    assert limited.status_code == 429
    assert "稍后" in limited.content.decode() or "分钟" in limited.content.decode()
    assert Report.objects.count() == 2
    # Another browser (another cookie) is not blocked by this one.
    client.cookies.clear()
    other = _post_report(client, world.inspection_a2, content=GENUINE[3])
    assert other.status_code == 200


def test_exe_renamed_jpg_refused_and_nothing_saved(client, world):
    from xuncha.rectification.models import EvidenceFile

    exe = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    response = _post_report(client, world.inspection_a2, files=[exe])
    assert response.status_code == 400
    assert "Windows" in response.content.decode()
    assert not Report.objects.exists() and not EvidenceFile.objects.exists()


def test_photo_attachment_saved_with_a_neutral_name(client, world):
    photo = SimpleUploadedFile("张三的举报材料.jpg", _jpeg(), content_type="image/jpeg")
    response = _post_report(client, world.inspection_a2, files=[photo])
    assert response.status_code == 200
    attachment = ReportAttachment.objects.get()
    assert attachment.file.original_name == "附件1.jpg"
    assert attachment.file.metadata_stripped


def test_qr_code_svg(client, world):
    response = client.get(reverse("report:qr", args=[inspection_token(world.inspection_a2)]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert client.get(reverse("report:qr", args=["forged"])).status_code == 404
    assert client.get(reverse("report:form", args=["forged"])).status_code == 404


def test_pages_are_in_chinese_and_load_no_inline_script(client, world):
    for url in (reverse("report:start"), _form_url(world.inspection_a2), reverse("report:status")):
        page = client.get(url).content.decode()
        assert "举报" in page or "查询" in page
        assert "<script>" not in page and "style=" not in page and "<style" not in page


def test_no_ip_address_anywhere(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    address_meta = {"REMOTE_ADDR": "203.0.113.77", "HTTP_X_FORWARDED_FOR": "198.51.100.23"}
    url = _form_url(world.inspection_a2)
    client.get(url, **address_meta)
    first = client.post(url, {"stamp": form_stamp(), "content": GENUINE[0], "mode": "anonymous"}, **address_meta)
    code = _code_in(first)
    client.post(url, {"stamp": form_stamp(), "content": GENUINE[1], "mode": "named", "name": "钱多多",
                      "phone": "13700001111"}, **address_meta)
    client.post(url, {"stamp": form_stamp(), "content": SEED_ADVERT, "mode": "anonymous"}, **address_meta)
    client.post(url, {"stamp": form_stamp(), "content": "短"}, **address_meta)
    client.post(reverse("report:status"), {"code": code}, **address_meta)
    client.post(reverse("report:status"), {"code": code, "action": "add", "text": "再补充一点情况。"}, **address_meta)
    client.post(reverse("report:status"), {"code": "0000000000000000"}, **address_meta)
    assert Report.objects.count() == 3

    logged = logged_text(caplog)
    everything = logged + stored_text()
    for address in ("203.0.113.77", "198.51.100.23"):
        assert address not in everything


# --- On a phone (390×844), in a real browser -----------------------------------------------------------

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_form_toggle_and_submit(browser, live_server, world):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    page.goto(live_server.url + reverse("report:start"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("a.rp-choice")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not page.is_visible("#id_name")  # anonymous by default: the identity fields are hidden
    page.check('input[name="mode"][value="named"]')
    assert page.is_visible("#id_name") and page.is_visible("#id_phone")
    page.check('input[name="mode"][value="anonymous"]')
    assert not page.is_visible("#id_name")
    # The honeypot is off screen for people (robots fill it in).
    assert page.evaluate("document.getElementById('id_website').getBoundingClientRect().right") <= 0
    page.screenshot(path=str(SHOTS / "report-form-phone.png"), full_page=True)
    page.fill("#id_content", GENUINE[2])
    page.click("button.rp-button")
    page.wait_for_selector("#receipt-code")
    code = page.inner_text("#receipt-code")
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", code)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "report-done-phone.png"), full_page=True)
    assert not errors, errors
    assert Report.objects.get().status == ReportStatus.RECEIVED
