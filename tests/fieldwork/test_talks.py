"""个别谈话: planned from an outline, recorded with a file, seen only by the group, the office and admin."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuncha.core.dates import today
from xuncha.core.errors import ServiceError, StaleWrite
from xuncha.core.models import AuditEvent
from xuncha.fieldwork import selectors, services
from xuncha.fieldwork.models import Talk, TalkAttachment, TalkOutline, TalkStatus
from xuncha.fieldwork.outlines import BUILTIN_OUTLINES, ensure_builtin_outlines

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
RECORD = "谈话对象反映：镇党委书记在惠民资金分配上个人说了算，机密内容甲乙丙。"


def _outline(title="一把手谈话提纲"):
    ensure_builtin_outlines()
    return TalkOutline.objects.get(committee=None, title=title)


def _plan(world, actor=None):
    return services.talk_plan(actor=actor or world.user("inspector_a2"), inspection=world.inspection_a2,
                              unit=world.township_a, interviewee="张书记", position="镇党委书记",
                              planned_on=today(), outline=_outline(), talkers="组长、副组长")


def test_builtin_outlines_are_created_once_with_questions(world):
    ensure_builtin_outlines()
    ensure_builtin_outlines()
    assert TalkOutline.objects.filter(committee=None).count() == len(BUILTIN_OUTLINES) == 6
    for outline in TalkOutline.objects.all():
        assert 6 <= len(outline.questions.splitlines()) <= 10


def test_group_member_plans_from_outline_and_records_with_pdf(world, login):
    client = login(world.user("inspector_a2"))
    url = reverse("web:talk_plan", args=[world.inspection_a2.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "“三重一大”" in page.content.decode()  # the outline's questions are shown
    outline = _outline()
    response = client.post(url, {"unit": world.township_a.pk, "interviewee": "张书记", "position": "镇党委书记",
                                 "planned_on": today().isoformat(), "outline": outline.pk, "talkers": "组长"})
    assert response.status_code == 302
    talk = Talk.objects.get(interviewee="张书记")
    assert talk.status == TalkStatus.PLANNED and talk.outline == outline and talk.record == ""

    detail = client.get(reverse("web:talk_detail", args=[talk.pk]))
    assert detail.status_code == 200
    assert outline.questions.splitlines()[0] in detail.content.decode()
    assert "谈话记录仅限本巡察组和巡察办查阅" in detail.content.decode()  # the confidentiality notice, in Chinese
    assert '<a href="/talks/" class="active" aria-current="page">个别谈话</a>' in detail.content.decode()

    response = client.post(reverse("web:talk_record", args=[talk.pk]), {
        "held_on": today().isoformat(), "record": RECORD, "findings": "形成问题线索一条", "version": talk.version,
        "files": [SimpleUploadedFile("谈话笔录.pdf", PDF, content_type="application/pdf")],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    talk.refresh_from_db()
    assert talk.status == TalkStatus.HELD and talk.record == RECORD and talk.held_on == today()
    attachment = TalkAttachment.objects.get(talk=talk)
    download = client.get(reverse("web:talk_attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    listing = client.get(reverse("web:talk_list"), {"inspection": world.inspection_a2.pk})
    assert "张书记" in listing.content.decode()

    office = login(world.user("office_a"))
    assert office.get(reverse("web:talk_detail", args=[talk.pk])).status_code == 200


def test_held_talk_without_record_is_refused(world, login):
    talk = _plan(world)
    with pytest.raises(ServiceError):
        services.talk_record(actor=world.user("inspector_a2"), talk=talk, held_on=today(), record="  ",
                             expected_version=talk.version)
    with pytest.raises(ServiceError):
        services.talk_record(actor=world.user("inspector_a2"), talk=talk,
                             held_on=today() + datetime.timedelta(days=1), record=RECORD,
                             expected_version=talk.version)
    with pytest.raises(ServiceError):
        services.talk_record(actor=world.user("inspector_a2"), talk=talk,
                             held_on=world.inspection_a2.entry_on - datetime.timedelta(days=1), record=RECORD,
                             expected_version=talk.version)
    client = login(world.user("inspector_a2"))
    response = client.post(reverse("web:talk_record", args=[talk.pk]),
                           {"held_on": today().isoformat(), "record": "", "version": talk.version})
    assert response.status_code == 400
    talk.refresh_from_db()
    assert talk.status == TalkStatus.PLANNED


def test_unit_must_be_covered_and_stage_open(world):
    with pytest.raises(ServiceError):
        services.talk_plan(actor=world.user("inspector_a2"), inspection=world.inspection_a2, unit=world.dept_a,
                           interviewee="某人", planned_on=today())
    with pytest.raises(ServiceError):  # inspection_a1 is in 整改
        services.talk_plan(actor=world.user("inspector_a"), inspection=world.inspection_a1, unit=world.dept_a,
                           interviewee="某人", planned_on=today())
    with pytest.raises(ServiceError):  # another group
        services.talk_plan(actor=world.user("inspector_a"), inspection=world.inspection_a2,
                           unit=world.township_a, interviewee="某人", planned_on=today())


@pytest.mark.parametrize("name", ["unit_a2", "leader_a", "receiver_a", "inspector_a", "office_b"])
def test_others_get_404_and_see_nothing(world, login, name):
    talk = _plan(world)
    talk = services.talk_record(actor=world.user("inspector_a2"), talk=talk, held_on=today(), record=RECORD,
                                files=[("笔录.pdf", PDF)], expected_version=talk.version)
    attachment = TalkAttachment.objects.get(talk=talk)
    user = world.user(name)
    assert not selectors.talk_list(viewer=user).exists()
    client = login(user)
    for url in (reverse("web:talk_detail", args=[talk.pk]), reverse("web:talk_attachment", args=[attachment.pk]),
                reverse("web:talk_plan", args=[world.inspection_a2.pk])):
        assert client.get(url).status_code == 404, url
    for url in (reverse("web:talk_record", args=[talk.pk]), reverse("web:talk_cancel", args=[talk.pk])):
        assert client.post(url, {"reason": "x", "version": talk.version}).status_code == 404, url
    listing = client.get(reverse("web:talk_list"))
    assert listing.status_code == 404 or "张书记" not in listing.content.decode()
    # the attachment is not reachable as evidence either
    evidence = client.get(reverse("web:evidence_download", args=[attachment.file_id])) if _has_evidence_url() \
        else None
    assert evidence is None or evidence.status_code == 404


def _has_evidence_url() -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse("web:evidence_download", args=[1])
    except NoReverseMatch:
        return False
    return True


def test_group_office_and_admin_see_the_talk(world):
    talk = _plan(world)
    for name in ("inspector_a2", "office_a", "office_city", "admin"):
        assert selectors.talk_list(viewer=world.user(name)).filter(pk=talk.pk).exists(), name


def test_audit_of_recorded_talk_holds_no_record_text(world):
    talk = _plan(world)
    talk = services.talk_record(actor=world.user("inspector_a2"), talk=talk, held_on=today(), record=RECORD,
                                findings="形成线索：保密发现戊", files=[("笔录.pdf", PDF)],
                                expected_version=talk.version)
    talk = services.talk_update(actor=world.user("office_a"), talk=talk, expected_version=talk.version,
                                record=RECORD + "补充：机密内容丁。")
    events = AuditEvent.objects.filter(object_type="fieldwork.talk", object_id=str(talk.pk))
    assert {e.action for e in events} == {"talk.plan", "talk.record", "talk.update"}
    everything = str([(e.before, e.after, e.object_repr) for e in AuditEvent.objects.all()])
    assert "机密内容" not in everything and "保密发现戊" not in everything
    recorded = events.get(action="talk.record")
    assert recorded.after["record_length"] == len(RECORD)


def test_cancel_and_stale_update(world):
    talk = _plan(world)
    with pytest.raises(StaleWrite):
        services.talk_update(actor=world.user("inspector_a2"), talk=talk, expected_version=talk.version + 1,
                             interviewee="李书记")
    talk = services.talk_update(actor=world.user("inspector_a2"), talk=talk, expected_version=talk.version,
                                interviewee="李书记")
    assert talk.interviewee == "李书记" and talk.version == 2
    talk = services.talk_cancel(actor=world.user("inspector_a2"), talk=talk, reason="对象出差",
                                expected_version=talk.version)
    assert talk.status == TalkStatus.CANCELLED
    with pytest.raises(ServiceError):
        services.talk_record(actor=world.user("inspector_a2"), talk=talk, held_on=today(), record=RECORD)
