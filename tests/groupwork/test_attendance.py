"""Daily sign-in (考勤): once a day, by the member; leave, business away and absence recorded by the leader or the
liaison; the month grid and its .xlsx export."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from xuncha.core.dates import today
from xuncha.core.errors import StaleWrite, TransitionRefused, ValidationFailed
from xuncha.core.models import AuditEvent
from xuncha.groupwork import services
from xuncha.groupwork.models import Attendance


def test_a_member_signs_in_once_a_day(signed_team, client):
    team = signed_team
    client.force_login(team.member)
    url = reverse("web:attendance_sign_in", args=[team.group.pk])
    first = client.post(url, follow=True).content.decode()
    assert "今日已于" in first and "签到" in first
    second = client.post(url, follow=True).content.decode()
    assert "您今天已于" in second and "无需重复签到" in second
    record = Attendance.objects.get(membership__user=team.member)
    assert record.on_date == today() and record.presence == "present" and record.signed_at is not None
    assert AuditEvent.objects.filter(action="attendance.sign_in").count() == 1
    with pytest.raises(TransitionRefused):
        services.attendance_sign_in(actor=team.member, membership=team.membership(team.member))


def test_sign_in_is_for_oneself_today_while_the_group_is_at_work(signed_team, world):
    team = signed_team
    with pytest.raises(ValidationFailed):
        services.attendance_sign_in(actor=team.leader, membership=team.membership(team.member))
    with pytest.raises(ValidationFailed):
        services.attendance_sign_in(actor=team.member, membership=team.membership(team.member),
                                    on=today() - datetime.timedelta(days=1))
    # Group 1's inspection is in rectification: no more sign-in.
    inspector = world.user("inspector_a")
    with pytest.raises(ValidationFailed, match="进驻期间"):
        services.attendance_sign_in(actor=inspector, membership=world.inspection_a1.group.memberships.get())


def test_the_leader_records_leave_and_the_member_cannot_sign_in_over_it(signed_team, client):
    team = signed_team
    client.force_login(team.leader)
    response = client.post(reverse("web:attendance_record", args=[team.group.pk]), {
        "member": team.membership(team.member).pk, "on_date": today().isoformat(), "presence": "leave",
        "note": "家中有事，组长批准请假一天", "version": "0"})
    assert response.status_code == 302
    record = Attendance.objects.get(membership__user=team.member, on_date=today())
    assert record.presence == "leave" and record.recorded_by == team.leader and record.signed_at is None
    client.force_login(team.member)
    page = client.post(reverse("web:attendance_sign_in", args=[team.group.pk]), follow=True).content.decode()
    assert "您今天已被记录为：请假" in page
    assert Attendance.objects.get(pk=record.pk).presence == "leave"


def test_only_the_leader_and_the_liaison_record_attendance(signed_team, client):
    team = signed_team
    membership = team.membership(team.member2)
    services.attendance_record(actor=team.liaison, membership=membership, on_date=today(), presence="away",
                               note="赴县审计局调阅资料")
    for user in (team.deputy, team.member):
        with pytest.raises(ValidationFailed):
            services.attendance_record(actor=user, membership=membership, on_date=today(), presence="absent",
                                       note="未到岗")
        client.force_login(user)
        assert client.get(reverse("web:attendance_record", args=[team.group.pk])).status_code == 404


def test_a_sign_in_is_never_overwritten_and_stale_forms_are_refused(signed_team):
    team = signed_team
    membership = team.membership(team.member)
    services.attendance_sign_in(actor=team.member, membership=membership)
    with pytest.raises(TransitionRefused, match="签到记录不能被覆盖"):
        services.attendance_record(actor=team.leader, membership=membership, on_date=today(), presence="away",
                                   note="外出")
    other = team.membership(team.member2)
    day = today() - datetime.timedelta(days=1)
    services.attendance_record(actor=team.leader, membership=other, on_date=day, presence="absent", note="未到岗")
    # The liaison's form was loaded before the leader recorded the day: it must not overwrite it unseen.
    with pytest.raises(StaleWrite):
        services.attendance_record(actor=team.liaison, membership=other, on_date=day, presence="leave",
                                   note="补请假", expected_version=0)
    record = services.attendance_record(actor=team.liaison, membership=other, on_date=day, presence="leave",
                                        note="补请假手续", expected_version=1)
    assert record.presence == "leave" and record.version == 2
    with pytest.raises(ValidationFailed):
        services.attendance_record(actor=team.leader, membership=other, on_date=today() + datetime.timedelta(days=2),
                                   presence="absent", note="未到岗")


def test_the_month_grid_shows_the_leader_everyone_and_a_member_their_own_row(signed_team, client):
    team = signed_team
    services.attendance_sign_in(actor=team.member, membership=team.membership(team.member))
    services.attendance_record(actor=team.leader, membership=team.membership(team.member2), on_date=today(),
                               presence="leave", note="病假")
    client.force_login(team.leader)
    page = client.get(reverse("web:attendance_month", args=[team.group.pk])).content.decode()
    assert all(name in page for name in ("赵组长", "钱副组长", "孙联络员", "李组员", "周组员"))
    assert "gw-present" in page and "gw-leave" in page
    client.force_login(team.member)
    page = client.get(reverse("web:attendance_month", args=[team.group.pk])).content.decode()
    grid = page[page.index('id="attendance-grid"'):]
    assert "李组员" in grid and "周组员" not in grid and "赵组长" not in grid
    assert client.get(reverse("web:attendance_export", args=[team.group.pk])).status_code == 404


def test_the_month_exports_as_xlsx(signed_team, world, client):
    team = signed_team
    services.attendance_sign_in(actor=team.member, membership=team.membership(team.member))
    services.attendance_record(actor=team.leader, membership=team.membership(team.member2), on_date=today(),
                               presence="leave", note="病假，组长批准")
    client.force_login(world.user("office_a"))
    response = client.get(reverse("web:attendance_export", args=[team.group.pk]) + f"?month={today():%Y-%m}")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert "第三巡察组" in rows[0][0] and "考勤表" in rows[0][0]
    by_name = {row[0]: row for row in rows[3:8]}
    column = 2 + today().day - 1
    assert by_name["李组员"][column] == "√" and by_name["周组员"][column] == "假"
    assert by_name["赵组长"][column] in (None, "")
    assert any("病假，组长批准" in str(row[0]) for row in rows if row[0])


def test_a_day_recorded_meanwhile_is_shown_before_it_is_replaced(signed_team, client):
    team = signed_team
    other = team.membership(team.member2)
    services.attendance_record(actor=team.liaison, membership=other, on_date=today(), presence="away",
                               note="赴县审计局调阅资料")
    client.force_login(team.leader)
    url = reverse("web:attendance_record", args=[team.group.pk])
    data = {"member": other.pk, "on_date": today().isoformat(), "presence": "absent", "note": "未到岗", "version": "0"}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 409 and "当天已有记录：因公外出" in page and "赴县审计局调阅资料" in page
    assert 'name="version" value="1"' in page and "未到岗" in page  # the input kept, the shown version carried
    assert Attendance.objects.get(membership=other, on_date=today()).presence == "away"
    assert client.post(url, {**data, "version": "1"}).status_code == 302
    assert Attendance.objects.get(membership=other, on_date=today()).presence == "absent"
