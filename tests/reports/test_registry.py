"""The staff side of the report registry: scope, sorting, 转交, replies, and identity access with two people."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tests.world import PASSWORD, make_office_head
from xuncha.core.dates import today
from xuncha.core.errors import ServiceError
from xuncha.core.models import AuditEvent
from xuncha.org import services as org
from xuncha.reports import registry
from xuncha.reports import selectors as rs
from xuncha.reports.models import (
    AccessStatus,
    Channel,
    IdentityAccessRequest,
    Report,
    ReporterIdentity,
    ReportMessage,
    ReportStatus,
)

NAME = "张三丰"
PHONE = "13800001111"
CONTENT = "城关镇东关村村委会主任违规发放低保，优亲厚友"


def _report(world, *, named: bool = False, content: str = CONTENT, **extra) -> Report:
    report = Report.objects.create(inspection=world.inspection_a2, content=content, received_on=today(),
                                   anonymous=not named, **extra)
    if named:
        from xuncha.reports.crypto import encrypt_identity

        ciphertext, key_id = encrypt_identity({"name": NAME, "phone": PHONE})
        ReporterIdentity.objects.create(report=report, ciphertext=ciphertext, key_id=key_id)
    return report


def _office_staff(world):
    return org.account_create(actor=None, username="t_office_a_staff", password=PASSWORD, role="office",
                              committee=world.inspection_a2.round.committee)


def _audit_text(report) -> str:
    events = AuditEvent.objects.filter(object_type__in=["reports.report", "reports.identityaccessrequest"])
    return json.dumps([[e.before, e.after, e.object_repr] for e in events], ensure_ascii=False)


# ---------------------------------------------------------------- scope

@pytest.mark.parametrize("name", ["inspector_a2", "office_a", "admin"])
def test_group_members_and_the_office_see_the_registry(world, login, name):
    report = _report(world)
    client = login(world.user(name))
    page = client.get(reverse("web:registry_list"))
    assert page.status_code == 200
    assert CONTENT[:20] in page.content.decode()
    assert client.get(reverse("web:registry_detail", args=[report.pk])).status_code == 200
    assert rs.report_list(viewer=world.user(name)).filter(pk=report.pk).exists()


@pytest.mark.parametrize("name", ["unit_a2", "receiver_a", "leader_a"])
def test_units_receivers_and_leaders_never_see_reports(world, login, name):
    report = _report(world)
    client = login(world.user(name))
    assert client.get(reverse("web:registry_list")).status_code == 404
    assert client.get(reverse("web:registry_detail", args=[report.pk])).status_code == 404
    assert not rs.report_list(viewer=world.user(name)).exists()


@pytest.mark.parametrize("name", ["inspector_a", "office_b", "inspector_b"])
def test_other_groups_and_counties_do_not_see_the_report(world, login, name):
    report = _report(world)
    client = login(world.user(name))
    page = client.get(reverse("web:registry_list"))
    assert page.status_code == 200
    assert CONTENT[:20] not in page.content.decode()
    assert client.get(reverse("web:registry_detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("web:registry_sort", args=[report.pk]), {"status": "sorted"}).status_code == 404
    assert client.get(reverse("web:registry_register", args=[world.inspection_a2.pk])).status_code == 404
    assert not rs.report_list(viewer=world.user(name)).filter(pk=report.pk).exists()
    with pytest.raises(ServiceError):
        registry.report_sort(actor=world.user(name), report=report, status=ReportStatus.SORTED)


def test_the_page_shows_the_content_but_never_the_identity(world, login):
    report = _report(world, named=True)
    page = login(world.user("inspector_a2")).get(reverse("web:registry_detail", args=[report.pk])).content.decode()
    assert CONTENT in page
    assert NAME not in page and PHONE not in page


# ---------------------------------------------------------------- identity with two people

def test_identity_needs_the_heads_approval_and_every_step_is_audited(world, login, client):
    head = make_office_head(world)
    inspector = world.user("inspector_a2")
    report = _report(world, named=True)
    login(inspector)
    url = reverse("web:registry_identity_request", args=[report.pk])
    assert client.post(url, {"reason": "需要联系举报人核实低保发放的具体名单"}).status_code == 302
    request = IdentityAccessRequest.objects.get(report=report)
    assert request.status == AccessStatus.PENDING and request.requested_by == inspector

    # Pending: nothing to see.
    reveal = client.post(reverse("web:registry_identity_reveal", args=[report.pk]))
    assert reveal.status_code == 400
    assert NAME not in reveal.content.decode()
    with pytest.raises(ServiceError):
        registry.identity_reveal(actor=inspector, report=report)
    # The requester (not a head) cannot decide; neither can an office member who is not the head.
    with pytest.raises(ServiceError):
        registry.identity_decide(actor=inspector, request=request, approve=True)
    staff = _office_staff(world)
    with pytest.raises(ServiceError):
        registry.identity_decide(actor=staff, request=request, approve=True)
    assert login(staff).get(reverse("web:identity_requests")).status_code == 404
    assert client.post(reverse("web:identity_decide", args=[request.pk]), {"decision": "approve"}).status_code == 404
    # The head of another county does not see it.
    other_head = world.user("office_b")
    other_head.heads_office = True
    other_head.save(update_fields=["heads_office"])
    assert not rs.access_request_list(viewer=other_head).exists()

    # The head sees it with its reason and approves.
    login(head)
    page = client.get(reverse("web:identity_requests")).content.decode()
    assert "需要联系举报人核实" in page and NAME not in page
    assert client.post(reverse("web:identity_decide", args=[request.pk]),
                       {"decision": "approve", "note": "同意"}).status_code == 302
    request.refresh_from_db()
    assert request.status == AccessStatus.APPROVED and request.decided_by == head
    # The head did not ask: the head cannot reveal it.
    with pytest.raises(ServiceError):
        registry.identity_reveal(actor=head, report=report)

    login(inspector)
    page = client.get(reverse("web:registry_detail", args=[report.pk])).content.decode()
    assert NAME not in page  # only the POST shows it
    shown = client.post(reverse("web:registry_identity_reveal", args=[report.pk]))
    assert shown.status_code == 200
    assert NAME in shown.content.decode() and PHONE in shown.content.decode()
    assert shown["Cache-Control"] == "no-store"

    asked = AuditEvent.objects.get(action="identity_request.create")
    approved = AuditEvent.objects.get(action="identity_request.approve")
    revealed = AuditEvent.objects.get(action="report.identity_reveal")
    assert asked.actor == inspector and approved.actor == head and revealed.actor == inspector
    assert revealed.after["approved_by"] == head.pk and revealed.after["requested_by"] == inspector.pk
    audit = _audit_text(report)
    assert NAME not in audit and PHONE not in audit


def test_the_requester_cannot_approve_their_own_request(world):
    head = make_office_head(world)
    report = _report(world, named=True)
    request = registry.identity_request(actor=head, report=report, reason="需要当面回访举报人了解情况")
    assert not rs.access_request_list(viewer=head).exists()
    with pytest.raises(ServiceError):
        registry.identity_decide(actor=head, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == AccessStatus.PENDING


def test_a_refusal_is_recorded_and_reveals_nothing(world):
    head = make_office_head(world)
    inspector = world.user("inspector_a2")
    report = _report(world, named=True)
    request = registry.identity_request(actor=inspector, report=report, reason="需要联系举报人核实具体情况")
    with pytest.raises(ServiceError):
        registry.identity_decide(actor=head, request=request, approve=False)  # a refusal gives its reason
    registry.identity_decide(actor=head, request=request, approve=False, note="现有材料足以核实")
    request.refresh_from_db()
    assert request.status == AccessStatus.REFUSED and request.decided_by == head
    event = AuditEvent.objects.get(action="identity_request.refuse")
    assert event.actor == head and event.after["decision_note"] == "现有材料足以核实"
    with pytest.raises(ServiceError):
        registry.identity_reveal(actor=inspector, report=report)
    with pytest.raises(ServiceError):  # decided once
        registry.identity_decide(actor=head, request=request, approve=True)


def test_the_office_head_hears_of_a_request_and_the_requester_of_the_decision(world):
    from xuncha.notifications.models import Notification

    head, inspector = make_office_head(world), world.user("inspector_a2")
    report = _report(world, named=True)
    request = registry.identity_request(actor=inspector, report=report, reason="需要联系举报人核实具体情况")
    told = Notification.objects.get(recipient=head, kind="access")
    assert told.url == reverse("web:identity_requests")
    # The notice names the asker, never the reporter nor what was reported.
    assert NAME not in told.title + told.body and CONTENT[:6] not in told.title + told.body
    assert not Notification.objects.filter(kind="access").exclude(recipient=head).exists()
    # County B's office head hears nothing of county A's request.
    assert not Notification.objects.filter(kind="access", recipient__committee=world.inspection_b1.round.committee
                                           ).exists()
    registry.identity_decide(actor=head, request=request, approve=True)
    answer = Notification.objects.get(recipient=inspector, kind="access")
    assert answer.url == reverse("web:registry_detail", args=[report.pk])


def test_anonymous_reports_have_no_identity_to_ask_for(world):
    report = _report(world)
    with pytest.raises(ServiceError):
        registry.identity_request(actor=world.user("inspector_a2"), report=report, reason="需要联系举报人核实具体情况")


# ---------------------------------------------------------------- sorting, 转交, replies

def test_sorting_and_rescuing_a_false_positive(world):
    inspector = world.user("inspector_a2")
    report = _report(world)
    report = registry.report_sort(actor=inspector, report=report, status=ReportStatus.SORTED, note="属于巡察范围")
    assert report.status == ReportStatus.SORTED
    with pytest.raises(ServiceError):
        registry.report_sort(actor=inspector, report=report, status=ReportStatus.RECEIVED)
    spam = _report(world, content="代开发票，联系微信", status=ReportStatus.SPAM)
    spam = registry.report_sort(actor=world.user("office_a"), report=spam, status=ReportStatus.RECEIVED)
    assert spam.status == ReportStatus.RECEIVED
    assert AuditEvent.objects.filter(action="report.sort").count() == 2


def test_forward_requires_a_recipient(world, login):
    report = _report(world)
    inspector = world.user("inspector_a2")
    with pytest.raises(ServiceError):
        registry.report_forward(actor=inspector, report=report, forwarded_to="  ", on_date=today(), note="")
    client = login(inspector)
    url = reverse("web:registry_forward", args=[report.pk])
    assert client.post(url, {"forwarded_to": "", "on_date": today().isoformat()}).status_code == 400
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED
    assert client.post(url, {"forwarded_to": "县信访局", "on_date": today().isoformat(),
                             "note": "属于信访事项"}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.forwarded_to, report.forwarded_on) == (ReportStatus.FORWARDED, "县信访局", today())
    assert AuditEvent.objects.filter(action="report.forward", actor=inspector).exists()


def test_a_reply_is_a_message_for_the_reporter(world, login):
    report = _report(world, receipt_lookup="AB12CD34")
    client = login(world.user("office_a"))
    page = client.get(reverse("web:registry_detail", args=[report.pk])).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    url = reverse("web:registry_reply", args=[report.pk])
    assert client.post(url, {"text": "已收悉，正在核实。", "form_token": token}).status_code == 302
    assert client.post(url, {"text": "已收悉，正在核实。", "form_token": token}).status_code == 302  # double click
    message = ReportMessage.objects.get(report=report)
    assert message.text == "已收悉，正在核实。" and not message.from_reporter
    no_receipt = _report(world)
    with pytest.raises(ServiceError):
        registry.report_reply(actor=world.user("office_a"), report=no_receipt, text="已收悉")


# ---------------------------------------------------------------- registering

def test_registering_a_phone_call_runs_the_triage(world, login):
    client = login(world.user("inspector_a2"))
    url = reverse("web:registry_register", args=[world.inspection_a2.pk])
    page = client.get(url).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    response = client.post(url, {
        "channel": Channel.PHONE, "received_on": today().isoformat(), "concerns_unit": world.village_a.pk,
        "concerns_person": "李某", "content": "东关村村委会主任李某挪用扶贫资金，虚报冒领补贴。", "form_token": token,
    })
    assert response.status_code == 302
    report = Report.objects.get(channel=Channel.PHONE)
    assert response["Location"] == reverse("web:registry_detail", args=[report.pk])
    assert report.registered_by == world.user("inspector_a2") and report.inspection == world.inspection_a2
    assert report.suggested_disposal and report.suggestion_reason
    assert AuditEvent.objects.filter(action="report.register", object_id=str(report.pk)).exists()
    detail = client.get(response["Location"]).content.decode()
    assert report.suggestion_reason.splitlines()[0][:10] in detail


def test_staff_cannot_register_a_web_report_or_a_unit_outside_the_inspection(world):
    inspector = world.user("inspector_a2")
    with pytest.raises(ServiceError):
        registry.report_register(actor=inspector, inspection=world.inspection_a2, channel=Channel.WEB,
                                 content="内容", received_on=today())
    with pytest.raises(ServiceError):
        registry.report_register(actor=inspector, inspection=world.inspection_a2, channel=Channel.LETTER,
                                 content="内容", received_on=today(), concerns_unit=world.dept_a)


def test_two_similar_reports_show_the_group_count(world, login):
    office = world.user("office_a")
    text = "东关村村委会主任李某挪用扶贫资金二十万元，虚报冒领低保补贴，群众意见很大。"
    first = registry.report_register(actor=office, inspection=world.inspection_a2, channel=Channel.LETTER,
                                     content=text, received_on=today(), concerns_unit=world.village_a,
                                     concerns_person="李某")
    second = registry.report_register(actor=office, inspection=world.inspection_a2, channel=Channel.VISIT,
                                      content=text + "希望巡察组查处。", received_on=today(),
                                      concerns_unit=world.village_a, concerns_person="李某")
    first.refresh_from_db()
    assert first.group_id and first.group_id == second.group_id
    listed = rs.report_list(viewer=office).get(pk=first.pk)
    assert listed.group_size == 2
    page = login(office).get(reverse("web:registry_list")).content.decode()
    assert f"?group={first.group_id}" in page
    detail = login(office).get(reverse("web:registry_detail", args=[first.pk])).content.decode()
    assert reverse("web:registry_detail", args=[second.pk]) in detail


def test_attachments_download_only_within_the_reports_scope(world, login):
    from xuncha.rectification.evidence import evidence_save
    from xuncha.reports.models import ReportAttachment

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    stored = evidence_save(actor=world.user("unit_a"), name="letter.pdf", data=pdf, task=world.task_a1)
    report = _report(world)
    attachment = ReportAttachment.objects.create(report=report, file=stored)
    url = reverse("web:registry_attachment", args=[attachment.pk])
    client = login(world.user("inspector_a2"))
    assert url in client.get(reverse("web:registry_detail", args=[report.pk])).content.decode()
    assert client.get(url).status_code == 200
    for name in ("inspector_a", "office_b", "unit_a2", "leader_a"):
        assert login(world.user(name)).get(url).status_code == 404
