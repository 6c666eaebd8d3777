"""The confidentiality pledge (保密承诺): an inspector opens nothing of their group before signing it (404 everywhere,
the group's own pages included), and everything after. The office sees who has and has not signed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xuncha.core.errors import ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.findings import services as findings
from xuncha.groupwork import services
from xuncha.groupwork.pledge import pledge_text


def _group_urls(team, problem, meeting, request, log) -> list[str]:
    g = team.group.pk
    return [
        reverse("web:inspection_detail", args=[team.inspection.pk]),
        reverse("web:problem_detail", args=[problem.pk]),
        reverse("web:groupwork_group", args=[g]),
        reverse("web:attendance_month", args=[g]),
        reverse("web:worklog_list", args=[g]),
        reverse("web:worklog_write", args=[g]),
        reverse("web:meeting_list", args=[g]),
        reverse("web:meeting_detail", args=[meeting.pk]),
        reverse("web:grouprequest_detail", args=[request.pk]),
        reverse("web:worklog_detail", args=[log.pk]),
    ]


@pytest.fixture
def records(team):
    """A problem, a meeting, a request and a log of the group, written as the system before anyone signed."""
    problem = findings.problem_record(actor=None, inspection=team.inspection, unit=team.inspection.units.get(),
                                      description="城投公司违规出借资金2000万元。", category="integrity")
    meeting = services.meeting_record(actor=None, group=team.group, held_on=team.inspection.entry_on,
                                      topic="进驻动员后第一次组务会", attendees=[team.leader, team.member],
                                      minutes="研究谈话名单。")
    request = services.grouprequest_submit(actor=None, group=team.group, kind="request", title="关于调阅账目的请示",
                                           content="拟调阅2019年以来的全部账目。")
    log = services.worklog_save(actor=None, membership=team.membership(team.member),
                                on_date=team.inspection.entry_on, content="调阅会议记录。")
    return problem, meeting, request, log


def test_an_inspector_opens_nothing_of_the_group_before_signing_and_everything_after(team, records, client):
    problem, meeting, request, log = records
    client.force_login(team.member)
    urls = _group_urls(team, *records)
    for url in urls:
        assert client.get(url).status_code == 404, url
    # Lists do not show the group's problem either.
    assert "城投公司违规出借资金" not in client.get(reverse("web:problem_list")).content.decode()

    # The workbench asks them to sign, and the pledge page shows its full text.
    workbench = client.get(reverse("web:workbench")).content.decode()
    assert "请签署保密承诺" in workbench and "第三巡察组" in workbench
    page = client.get(reverse("web:groupwork_pledge", args=[team.group.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "未签署" in text
    assert "严守巡察工作秘密" in text and "第三巡察组" in text

    response = client.post(reverse("web:groupwork_pledge", args=[team.group.pk]), {"agree": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("web:groupwork_group",
                                                                            args=[team.group.pk])
    for url in urls:
        assert client.get(url).status_code == 200, url
    membership = team.membership(team.member)
    assert membership.pledge_signed_at is not None
    assert membership.pledge_text == pledge_text(team.group) and "不接受被巡察单位的礼品" in membership.pledge_text
    assert "请签署保密承诺" not in client.get(reverse("web:workbench")).content.decode()
    # Only this member is in: the others still have not signed.
    client.force_login(team.member2)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_signing_twice_is_harmless_and_signed_once(team, client):
    client.force_login(team.member)
    url = reverse("web:groupwork_pledge", args=[team.group.pk])
    client.post(url, {"agree": "on"})
    response = client.post(url, {"agree": "on"}, follow=True)
    assert response.status_code == 200
    assert "您已于" in response.content.decode() and "签署本承诺" in response.content.decode()
    events = AuditEvent.objects.filter(action="group.pledge_sign", object_id=str(team.group.pk))
    assert events.count() == 1 and events.get().actor == team.member


def test_the_box_must_be_ticked(team, client):
    client.force_login(team.member)
    response = client.post(reverse("web:groupwork_pledge", args=[team.group.pk]), {})
    assert response.status_code == 400 and "请勾选" in response.content.decode()
    assert team.membership(team.member).pledge_signed_at is None


def test_nobody_signs_for_another(team, world, client):
    with pytest.raises(ValidationFailed):
        services.pledge_sign(actor=team.leader, membership=team.membership(team.member))
    # The pledge page is the member's own: 404 for another group's inspector and for the office.
    for user in (world.user("inspector_a"), world.user("office_a"), world.user("admin")):
        client.force_login(user)
        assert client.get(reverse("web:groupwork_pledge", args=[team.group.pk])).status_code == 404


def test_the_office_sees_who_has_signed(team, world, client):
    services.pledge_sign(actor=team.leader, membership=team.membership(team.leader))
    client.force_login(world.user("office_a"))
    page = client.get(reverse("web:groupwork_group", args=[team.group.pk])).content.decode()
    assert page.count("已签字") == 1 and page.count("未签署") == 4
    home = client.get(reverse("web:groupwork_home")).content.decode()
    assert "第三巡察组" in home and "1 / 5" in home
    # The county B office does not see the group at all.
    client.force_login(world.user("office_b"))
    assert client.get(reverse("web:groupwork_group", args=[team.group.pk])).status_code == 404
