"""问题线索 直通车: 移交 → 签收 → 处置 → 结果, 督办 when the answer is late, 高密 clues, the figures and the 移交函."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.office import compact, pdf_text
from tests.world import hand_over_clue
from xuncha.core.dates import add_months, today
from xuncha.core.errors import TransitionRefused, ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.findings import services as findings
from xuncha.findings.documents import clue_transfer_letter_docx
from xuncha.findings.models import Clue, ClueSupervision
from xuncha.findings.selectors import clue_answer_due_on, clue_answer_overdue, clue_get, clue_list
from xuncha.notifications.models import Notification
from xuncha.stats.selectors import clue_figures


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_receiver_signs_disposes_and_records_the_result(world, login):
    clue = hand_over_clue(world)
    receiver = login(world.user("receiver_a"))
    page = _text(receiver.get(reverse("web:clue_detail", args=[clue.pk])))
    assert reverse("web:clue_sign_for", args=[clue.pk]) in page
    assert reverse("web:clue_dispose", args=[clue.pk]) not in page  # not before signing for it
    # Unsigned clues come first in the organ's list, with their badge.
    listing = _text(receiver.get(reverse("web:clue_list")))
    assert listing.index(clue.summary) < listing.index(world.clue_a1.summary)
    assert "待签收" in listing

    assert receiver.post(reverse("web:clue_sign_for", args=[clue.pk]), {}).status_code == 302
    clue.refresh_from_db()
    assert clue.signed_for_on == today() and clue.signed_for_by == world.user("receiver_a")
    assert receiver.post(reverse("web:clue_sign_for", args=[clue.pk]), {}).status_code == 400  # only once

    response = receiver.post(reverse("web:clue_dispose", args=[clue.pk]), {
        "disposal": "preliminary_check", "on_date": today().isoformat(), "note": "已立项初核", "version": clue.version,
    })
    assert response.status_code == 302
    clue.refresh_from_db()
    page = _text(receiver.get(reverse("web:clue_detail", args=[clue.pk])))
    assert reverse("web:clue_result", args=[clue.pk]) in page
    response = receiver.post(reverse("web:clue_result", args=[clue.pk]), {
        "result": "party_sanction", "on_date": today().isoformat(), "note": "给予党内警告处分", "version": clue.version,
    })
    assert response.status_code == 302
    clue.refresh_from_db()
    assert (clue.result, clue.result_on, clue.result_note) == ("party_sanction", today(), "给予党内警告处分")
    assert "党纪处分" in _text(receiver.get(reverse("web:clue_detail", args=[clue.pk])))
    assert AuditEvent.objects.filter(action="clue.sign_for", object_id=str(clue.pk)).exists()
    assert AuditEvent.objects.filter(action="clue.record_result", object_id=str(clue.pk)).exists()
    with pytest.raises(TransitionRefused):
        findings.clue_record_result(actor=world.user("receiver_a"), clue=clue, result="cleared", on_date=today(),
                                    note="")


@pytest.mark.parametrize("name", ["unit_a", "receiver_b"])
def test_the_unit_and_another_countys_receiver_get_404(world, login, name):
    clue = hand_over_clue(world)
    client = login(world.user(name))
    for view in ("clue_detail", "clue_transfer_letter"):
        assert client.get(reverse(f"web:{view}", args=[clue.pk])).status_code == 404
    for view in ("clue_sign_for", "clue_dispose", "clue_result", "clue_supervise"):
        assert client.post(reverse(f"web:{view}", args=[clue.pk]), {"note": "x"}).status_code == 404
    clue.refresh_from_db()
    assert clue.signed_for_on is None


def test_disposal_before_signing_for_is_refused(world):
    clue = hand_over_clue(world)
    with pytest.raises(TransitionRefused):
        findings.clue_dispose(actor=world.user("receiver_a"), clue=clue, disposal="talk_inquiry")
    with pytest.raises(ValidationFailed):  # only the organ signs for it
        findings.clue_sign_for(actor=world.user("office_a"), clue=clue)
    with pytest.raises(ValidationFailed):  # not before the hand-over
        findings.clue_sign_for(actor=world.user("receiver_a"), clue=clue,
                               on_date=clue.handed_over_on - datetime.timedelta(days=1))
    with pytest.raises(TransitionRefused):  # no result before a disposal
        findings.clue_record_result(actor=world.user("receiver_a"), clue=clue, result="cleared", on_date=today(),
                                    note="")


def test_supervision_only_after_the_answer_is_due(world, login):
    fresh = hand_over_clue(world, days_ago=30)
    office = world.user("office_a")
    with pytest.raises(TransitionRefused):
        findings.clue_supervise(actor=office, clue=fresh, note="请尽快处置")
    late = hand_over_clue(world, days_ago=0)
    Clue.objects.filter(pk=late.pk).update(handed_over_on=add_months(today(), -4))
    late.refresh_from_db()
    assert clue_answer_due_on(late) == add_months(late.handed_over_on, world.county_a.clue_answer_months)
    assert clue_answer_overdue(late)
    assert late in clue_list(viewer=office, overdue=True) and fresh not in clue_list(viewer=office, overdue=True)
    with pytest.raises(ValidationFailed):  # the office of another county, or the organ itself, does not 督办
        findings.clue_supervise(actor=world.user("office_b"), clue=late, note="x")
    with pytest.raises(ValidationFailed):
        findings.clue_supervise(actor=world.user("receiver_a"), clue=late, note="x")

    client = login(office)
    page = _text(client.get(reverse("web:clue_detail", args=[late.pk])))
    assert reverse("web:clue_supervise", args=[late.pk]) in page
    assert reverse("web:clue_supervise", args=[fresh.pk]) not in _text(
        client.get(reverse("web:clue_detail", args=[fresh.pk])))
    response = client.post(reverse("web:clue_supervise", args=[late.pk]), {"note": "请于本周内报送处置情况"})
    assert response.status_code == 302
    assert ClueSupervision.objects.filter(clue=late, by=office, note="请于本周内报送处置情况").count() == 1
    note = Notification.objects.get(recipient=world.user("receiver_a"), kind="urge")
    assert note.dedupe_key == f"clue:{late.pk}:supervise:{today().isoformat()}"
    assert not Notification.objects.filter(recipient=world.user("receiver_b"), kind="urge").exists()
    assert "请于本周内报送处置情况" in _text(client.get(reverse("web:clue_detail", args=[late.pk])))
    assert client.post(reverse("web:clue_supervise", args=[fresh.pk]), {"note": "x"}).status_code == 400


def test_a_clue_about_the_principal_is_top_secret(world, login):
    inspector = world.user("inspector_a")
    clue = hand_over_clue(world, persons="王建国（党组书记、局长）", actor=inspector)
    assert clue.top_secret
    assert set(clue.readers.all()) == {inspector, world.user("receiver_a")}
    for name in ("office_a", "leader_a", "inspector_a2", "office_city", "receiver_b"):
        assert clue not in clue_list(viewer=world.user(name)), name
    assert login(world.user("office_a")).get(reverse("web:clue_detail", args=[clue.pk])).status_code == 404
    assert clue_get(viewer=world.user("receiver_a"), pk=clue.pk) == clue
    assert clue in clue_list(viewer=inspector) and clue in clue_list(viewer=world.user("admin"))
    assert "高密" in _text(login(world.user("receiver_a")).get(reverse("web:clue_detail", args=[clue.pk])))
    # The audit trail, which the office reads, does not carry its words.
    event = AuditEvent.objects.get(action="clue.hand_over", object_id=str(clue.pk))
    assert "王建国" not in str(event.after)

    named = hand_over_clue(world, persons="王建国", readers=[world.user("office_a"), world.user("inspector_a2")])
    assert named in clue_list(viewer=world.user("office_a"))
    assert named not in clue_list(viewer=world.user("leader_a"))
    assert named not in clue_list(viewer=world.user("inspector_a2"))  # a reader still needs the scope
    assert named in clue_list(viewer=world.user("receiver_a"))
    # Another cadre's name does not make a clue 高密.
    assert not hand_over_clue(world, persons="李红").top_secret


def test_the_problem_behind_a_top_secret_clue_is_as_secret_as_the_clue(world, login):
    from xuncha.findings.selectors import problem_list

    inspector, office = world.user("inspector_a"), world.user("office_a")
    problem = world.problem_a1
    assert problem in problem_list(viewer=office)
    clue = hand_over_clue(world, persons="王建国（党组书记、局长）", actor=inspector, problem=problem)
    assert clue.top_secret
    assert problem in problem_list(viewer=inspector) and problem in problem_list(viewer=world.user("admin"))
    for name in ("office_a", "leader_a"):
        assert problem not in problem_list(viewer=world.user(name)), name
    assert login(office).get(reverse("web:problem_detail", args=[problem.pk])).status_code == 404


def test_average_days_to_disposal(world, login):
    receiver = world.user("receiver_a")
    office = world.user("office_a")
    before = clue_figures(viewer=office)
    assert (before.handed_over, before.disposed, before.avg_days_to_disposal) == (1, 0, None)
    for days_ago, took in ((40, 10), (30, 15)):
        clue = hand_over_clue(world, days_ago=days_ago)
        findings.clue_sign_for(actor=receiver, clue=clue, on_date=clue.handed_over_on)
        findings.clue_dispose(actor=receiver, clue=clue, disposal="talk_inquiry",
                              on_date=clue.handed_over_on + datetime.timedelta(days=took))
    late = hand_over_clue(world, days_ago=0)
    Clue.objects.filter(pk=late.pk).update(handed_over_on=add_months(today(), -4))
    figures = clue_figures(viewer=office)
    assert (figures.handed_over, figures.disposed, figures.overdue) == (4, 2, 1)
    assert figures.avg_days_to_disposal == Decimal("12.5")
    assert figures.disposal_rate == Decimal("50.00")
    assert clue_figures(viewer=world.user("office_b")).handed_over == 1
    assert "12.5" in _text(login(office).get(reverse("web:clue_list")))


def test_transfer_letter_renders(world, login):
    clue = hand_over_clue(world, persons="李红（副局长）")
    response = login(world.user("office_a")).get(reverse("web:clue_transfer_letter", args=[clue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = compact(pdf_text(response.content, ".docx"))
    assert "关于移交问题线索的函" in text
    assert world.organ_a.name in text
    assert compact(clue.summary) in text and "李红" in text
    assert f"{world.county_a.clue_answer_months}个月内" in text
    assert "高密" not in text

    secret = hand_over_clue(world, persons="王建国")
    text = compact(pdf_text(clue_transfer_letter_docx(clue=secret, issued_on=today()), ".docx"))
    assert text.startswith("高密") or "高密" in text[:20]
