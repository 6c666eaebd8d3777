"""Work logs (工作日志), 组务会 minutes, 请示报告 and the temporary party branch."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from xuncha.core.dates import today
from xuncha.core.errors import StaleWrite, TransitionRefused, ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.groupwork import services
from xuncha.groupwork.models import GroupRequest, WorkLog
from xuncha.notifications.models import Notification
from xuncha.rounds import services as rounds

# ---------------------------------------------------------------- work logs


def test_one_log_a_day_edited_by_its_writer_with_optimistic_locking(signed_team, client):
    team = signed_team
    client.force_login(team.member)
    url = reverse("web:worklog_write", args=[team.group.pk])
    form = client.get(url).content.decode()
    assert 'name="version"' in form and 'value="0"' in form
    response = client.post(url, {"on_date": today().isoformat(), "content": "与财务科长谈话。", "version": "0"})
    log = WorkLog.objects.get(membership__user=team.member)
    assert response.status_code == 302 and response["Location"] == reverse("web:worklog_detail", args=[log.pk])
    # A second tab still holding "no log yet" does not create a second log, nor overwrite the first.
    stale = client.post(url, {"on_date": today().isoformat(), "content": "另一个标签页的内容。", "version": "0"})
    page = stale.content.decode()
    assert stale.status_code == 409 and "他人已保存" in page
    assert "另一个标签页的内容。" in page and "与财务科长谈话。" in page  # the input and what is saved, both shown
    assert WorkLog.objects.filter(membership__user=team.member).count() == 1
    # Edited from the version it was loaded at: saved, version bumped.
    client.post(url, {"on_date": today().isoformat(), "content": "与财务科长、出纳谈话。", "version": "1"})
    log.refresh_from_db()
    assert log.content == "与财务科长、出纳谈话。" and log.version == 2
    assert client.post(url, {"on_date": today().isoformat(), "content": "旧版本。", "version": "1"}).status_code == 409
    assert list(AuditEvent.objects.filter(object_id=str(log.pk), object_type="groupwork.worklog")
                .values_list("action", flat=True).order_by("id")) == ["worklog.write", "worklog.edit"]
    with pytest.raises(StaleWrite):
        services.worklog_save(actor=team.member, membership=team.membership(team.member), on_date=today(),
                              content="x", expected_version=1)


def test_logs_are_written_only_while_the_inspection_is_in_fieldwork_or_report(signed_team):
    team = signed_team
    membership = team.membership(team.member)
    services.worklog_save(actor=team.member, membership=membership, on_date=today(), content="进驻第一天。")
    with pytest.raises(ValidationFailed):
        services.worklog_save(actor=team.member, membership=membership, on_date=today() + datetime.timedelta(days=1),
                              content="明天的日志。")
    with pytest.raises(ValidationFailed):
        services.worklog_save(actor=team.leader, membership=membership, on_date=today(), content="代写。")
    rounds.inspection_advance(actor=None, inspection=team.inspection, to_stage="report", on_date=today())
    services.worklog_save(actor=team.member, membership=membership, on_date=today(), content="撰写报告。",
                          expected_version=1)
    inspection = team.inspection
    inspection.refresh_from_db()
    rounds.inspection_advance(actor=None, inspection=inspection, to_stage="feedback", on_date=today())
    with pytest.raises(ValidationFailed, match="进驻和报告阶段"):
        services.worklog_save(actor=team.member, membership=membership, on_date=today(), content="补充。",
                              expected_version=2)


def test_members_read_their_own_logs_the_leader_deputy_and_office_all(signed_team, world, client):
    team = signed_team
    log = services.worklog_save(actor=team.member, membership=team.membership(team.member), on_date=today(),
                                content="走访城投公司项目工地。")
    url = reverse("web:worklog_detail", args=[log.pk])
    for user, status in ((team.member, 200), (team.leader, 200), (team.deputy, 200), (world.user("office_a"), 200),
                         (team.member2, 404), (team.liaison, 404), (world.user("inspector_a"), 404),
                         (world.user("office_b"), 404), (world.user("leader_a"), 404)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(team.member2)
    listing = client.get(reverse("web:worklog_list", args=[team.group.pk])).content.decode()
    assert "走访城投公司项目工地" not in listing and "成员之间互不查阅" in listing
    client.force_login(team.leader)
    listing = client.get(reverse("web:worklog_list", args=[team.group.pk])).content.decode()
    assert "走访城投公司项目工地" in listing and "李组员" in listing


# ---------------------------------------------------------------- 组务会


def test_meeting_attendees_must_be_members(signed_team, world, client):
    team = signed_team
    with pytest.raises(ValidationFailed, match="不是本组成员") as refused:
        services.meeting_record(actor=team.leader, group=team.group, held_on=today(), topic="研究谈话安排",
                                attendees=[team.leader, world.user("inspector_a")], minutes="议定谈话名单。")
    assert refused.value.field == "attendees"
    meeting = services.meeting_record(actor=team.liaison, group=team.group, held_on=today(), topic="研究谈话安排",
                                      attendees=[team.leader, team.member], minutes="议定谈话名单。",
                                      decisions="明日起开展个别谈话。")
    assert set(meeting.attendees.all()) == {team.leader, team.member}
    with pytest.raises(ValidationFailed):
        services.meeting_record(actor=team.member, group=team.group, held_on=today(), topic="x",
                                attendees=[team.member], minutes="x")
    # Through the page: an outsider's id is refused as a choice, and nothing is saved.
    client.force_login(team.leader)
    response = client.post(reverse("web:meeting_create", args=[team.group.pk]), {
        "held_on": today().isoformat(), "topic": "第二次组务会", "minutes": "记录",
        "attendees": [str(team.leader.pk), str(world.user("inspector_a").pk)]})
    assert response.status_code == 400
    assert team.group.meetings.count() == 1
    client.force_login(team.member)
    assert client.get(reverse("web:meeting_create", args=[team.group.pk])).status_code == 404


def test_minutes_are_read_by_signed_members_and_the_office_and_edited_with_locking(signed_team, world, client):
    team = signed_team
    meeting = services.meeting_record(actor=team.leader, group=team.group, held_on=today(), topic="研究问题底稿",
                                      attendees=[team.leader, team.member2], minutes="逐条研究问题底稿。")
    url = reverse("web:meeting_detail", args=[meeting.pk])
    for user, status in ((team.member, 200), (world.user("office_a"), 200), (world.user("office_city"), 200),
                         (world.user("inspector_a2"), 404), (world.user("office_b"), 404),
                         (world.user("leader_a"), 404), (world.user("unit_a"), 404)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert "逐条研究问题底稿" in response.content.decode()
    services.meeting_update(actor=team.leader, meeting=meeting, expected_version=1, held_on=today(),
                            topic="研究问题底稿", attendees=[team.leader], minutes="修改后的记录。")
    with pytest.raises(StaleWrite):
        services.meeting_update(actor=team.liaison, meeting=meeting, expected_version=1, held_on=today(), topic="x",
                                attendees=[team.leader], minutes="覆盖。")


# ---------------------------------------------------------------- 请示报告


def test_a_request_goes_submitted_to_answered_and_notifies(signed_team, world, client):
    team = signed_team
    office = world.user("office_a")
    client.force_login(team.liaison)
    response = client.post(reverse("web:grouprequest_create", args=[team.group.pk]), {
        "kind": "request", "addressed_to": "office", "title": "关于延伸了解下属公司的请示",
        "content": "拟延伸了解城投公司下属两家子公司的资金往来情况，妥否，请批示。"})
    request = GroupRequest.objects.get(title="关于延伸了解下属公司的请示")
    assert response.status_code == 302 and request.status == "submitted" and request.submitted_by == team.liaison
    note = Notification.objects.get(recipient=office, dedupe_key=f"grouprequest:{request.pk}:submitted")
    assert "第三巡察组" in note.title and note.url == reverse("web:grouprequest_detail", args=[request.pk])
    assert not Notification.objects.filter(recipient=world.user("office_b"),
                                           dedupe_key__startswith="grouprequest").exists()

    # The office sees it among the open ones and answers.
    client.force_login(office)
    assert "关于延伸了解下属公司的请示" in client.get(reverse("web:grouprequest_list")).content.decode()
    response = client.post(reverse("web:grouprequest_answer", args=[request.pk]),
                           {"answer": "同意延伸了解，注意不干预企业正常经营。", "version": request.version})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "answered" and request.answered_by == office and request.answered_on == today()
    told = set(Notification.objects.filter(dedupe_key=f"grouprequest:{request.pk}:answered")
               .values_list("recipient", flat=True))
    assert told == {team.leader.pk, team.liaison.pk}
    assert "关于延伸了解下属公司的请示" not in client.get(reverse("web:grouprequest_list")).content.decode()
    # Answered is final: a second answer (a double click) is refused and changes nothing.
    again = client.post(reverse("web:grouprequest_answer", args=[request.pk]),
                        {"answer": "另一个答复。", "version": request.version}, follow=True).content.decode()
    assert "此件已于" in again
    request.refresh_from_db()
    assert request.answer == "同意延伸了解，注意不干预企业正常经营。"
    with pytest.raises(TransitionRefused):
        services.grouprequest_answer(actor=office, request=request, answer="再次答复。")
    assert services.REQUEST_TRANSITIONS == {"submitted": {"answered"}, "answered": set()}
    assert AuditEvent.objects.filter(action="grouprequest.answer", object_id=str(request.pk)).count() == 1

    # The group reads the answer.
    client.force_login(team.member)
    page = client.get(reverse("web:grouprequest_detail", args=[request.pk])).content.decode()
    assert "同意延伸了解" in page and "已答复" in page


def test_who_submits_and_who_answers(signed_team, world, client):
    team = signed_team
    with pytest.raises(ValidationFailed):
        services.grouprequest_submit(actor=team.member, group=team.group, kind="report", title="x", content="y")
    request = services.grouprequest_submit(actor=team.deputy, group=team.group, kind="report",
                                           title="关于进驻情况的报告", content="已完成进驻。",
                                           addressed_to="leading_group")
    for user in (team.leader, world.user("office_b"), world.user("leader_a")):
        with pytest.raises(ValidationFailed):
            services.grouprequest_answer(actor=user, request=request, answer="知悉。")
    client.force_login(team.leader)
    assert client.post(reverse("web:grouprequest_answer", args=[request.pk]), {"answer": "x"}).status_code == 404
    client.force_login(team.member)
    assert client.get(reverse("web:grouprequest_create", args=[team.group.pk])).status_code == 404
    # The city office (a level above) may answer too: the subtree is its own.
    services.grouprequest_answer(actor=world.user("office_city"), request=request, answer="知悉。")


def test_an_answered_request_has_its_answer_in_the_database(signed_team):
    request = services.grouprequest_submit(actor=None, group=signed_team.group, kind="request", title="t",
                                           content="c")
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupRequest.objects.filter(pk=request.pk).update(status="answered")


# ---------------------------------------------------------------- the temporary party branch


def test_the_office_sets_the_branch_with_exactly_one_secretary(signed_team, world, client):
    team = signed_team
    office = world.user("office_a")
    m = {u: team.membership(u).pk for u in (team.leader, team.deputy, team.liaison, team.member, team.member2)}
    formed = today() - datetime.timedelta(days=40)
    url = reverse("web:groupwork_branch", args=[team.group.pk])
    client.force_login(office)
    form = client.get(url).content.decode()
    state = form.split('name="state" value="', 1)[1].split('"', 1)[0]
    data = {"formed_on": formed.isoformat(), "state": state, **{f"role_{pk}": "member" for pk in m.values()}}
    data[f"role_{m[team.leader]}"] = "secretary"
    data[f"role_{m[team.deputy]}"] = "secretary"
    response = client.post(url, data)
    assert response.status_code == 400 and "有且仅有一名书记" in response.content.decode()
    data[f"role_{m[team.deputy]}"] = "committee"
    data[f"role_{m[team.liaison]}"] = "committee"
    assert client.post(url, data).status_code == 302
    team.group.refresh_from_db()
    assert team.group.branch_formed_on == formed
    assert team.membership(team.deputy).branch_role == "committee"
    event = AuditEvent.objects.get(action="group.branch_set")
    assert event.actor == office and event.after["roles"]["t_gw_deputy"] == "committee"
    assert event.before["formed_on"] is None
    page = client.get(reverse("web:groupwork_group", args=[team.group.pk])).content.decode()
    assert formed.isoformat() in page and "临时党支部书记" in page and "临时党支部委员" in page
    # The same form posted again (its state is now old): refused, nothing lost.
    stale = client.post(url, data)
    assert stale.status_code == 409 and "他人已保存" in stale.content.decode()
    # Members read it; they do not set it.
    client.force_login(team.leader)
    assert client.get(url).status_code == 404
    with pytest.raises(ValidationFailed):
        services.branch_set(actor=team.leader, group=team.group, formed_on=formed,
                            roles={m[team.leader]: "secretary"})


def test_a_double_submit_records_one_meeting_and_one_request(signed_team, client):
    team = signed_team
    client.force_login(team.leader)
    meeting = {"held_on": today().isoformat(), "topic": "研究谈话安排", "minutes": "议定谈话名单。",
               "attendees": [str(team.leader.pk), str(team.member.pk)]}
    assert client.post(reverse("web:meeting_create", args=[team.group.pk]), meeting).status_code == 302
    again = client.post(reverse("web:meeting_create", args=[team.group.pk]), meeting)
    assert again.status_code == 400 and "组务会已登记" in again.content.decode()
    assert team.group.meetings.count() == 1
    request = {"kind": "report", "addressed_to": "office", "title": "关于进驻情况的报告", "content": "已完成进驻。"}
    assert client.post(reverse("web:grouprequest_create", args=[team.group.pk]), request).status_code == 302
    again = client.post(reverse("web:grouprequest_create", args=[team.group.pk]), request)
    assert again.status_code == 400 and "相同的请示报告已于" in again.content.decode()
    assert team.group.requests.count() == 1
