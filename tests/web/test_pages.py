"""The oversight pages as their users meet them: who sees what, who gets a 404, and what a form does."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from xuncha.core.dates import today
from xuncha.core.models import AuditEvent
from xuncha.rounds.models import Inspection, Stage

pytestmark = pytest.mark.django_db


def zh(msgid: str) -> str:
    """A message as the Chinese user reads it (the services' messages live in the core catalogue)."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def page(client, user, url: str, status: int = 200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, f"{user.username} {url}: {response.status_code}"
    return response


def text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- who may see which page

OVERSIGHT = ["admin", "leader_a", "office_a", "office_city"]


@pytest.mark.parametrize("name", [*OVERSIGHT, "inspector_a", "unit_a", "receiver_a"])
def test_workbench_renders_for_every_role(world, client, name):
    response = page(client, world.user(name), reverse("web:workbench"))
    assert "工作台" in text(response) or world.user(name).role in ("unit", "receiver")
    assert "巡察工作平台" in text(response)


@pytest.mark.parametrize("name", [*OVERSIGHT, "inspector_a"])
def test_oversight_pages_render(world, client, name):
    user = world.user(name)
    page(client, user, reverse("web:unit_tree"))
    page(client, user, reverse("web:unit_detail", args=[world.dept_a.pk]))
    page(client, user, reverse("web:round_list"))
    page(client, user, reverse("web:round_detail", args=[world.round_a.pk]))
    page(client, user, reverse("web:inspection_detail", args=[world.inspection_a1.pk]))
    page(client, user, reverse("web:stats"))


@pytest.mark.parametrize("name", ["admin", "office_a"])
def test_audit_and_rules_render_for_office_and_admin(world, client, name):
    page(client, world.user(name), reverse("web:audit_list"))
    page(client, world.user(name), reverse("web:committee_rules", args=[world.county_a.pk]))


@pytest.mark.parametrize("name", ["leader_a", "inspector_a", "unit_a", "receiver_a"])
def test_audit_and_rules_answer_404_to_other_roles(world, client, name):
    page(client, world.user(name), reverse("web:audit_list"), 404)
    page(client, world.user(name), reverse("web:committee_rules", args=[world.county_a.pk]), 404)


@pytest.mark.parametrize(
    "name, url_name, obj",
    [
        ("office_a", "web:round_detail", "round_b"),
        ("office_a", "web:inspection_detail", "inspection_b1"),
        ("office_a", "web:unit_detail", "dept_b"),
        ("office_b", "web:round_detail", "round_a"),
        ("leader_a", "web:round_detail", "round_b"),
        ("inspector_a2", "web:inspection_detail", "inspection_a1"),
        ("inspector_a2", "web:unit_detail", "dept_a"),
        ("inspector_a", "web:round_detail", "round_b"),
        ("unit_a", "web:round_detail", "round_b"),
        ("unit_a", "web:inspection_detail", "inspection_a2"),
        ("unit_a", "web:unit_detail", "dept_b"),
        ("unit_a2", "web:inspection_detail", "inspection_a2"),  # still in fieldwork: not fed back yet
        ("receiver_a", "web:inspection_detail", "inspection_a1"),
        ("receiver_a", "web:unit_detail", "dept_a"),
    ],
)
def test_objects_out_of_scope_answer_404(world, client, name, url_name, obj):
    page(client, world.user(name), reverse(url_name, args=[getattr(world, obj).pk]), 404)


def test_office_cannot_open_the_rules_of_another_county(world, client):
    page(client, world.user("office_a"), reverse("web:committee_rules", args=[world.county_b.pk]), 404)


def test_unit_sees_its_own_inspection_once_fed_back_without_the_office_forms(world, client):
    response = page(client, world.user("unit_a"), reverse("web:inspection_detail", args=[world.inspection_a1.pk]))
    body = text(response)
    assert "甲县财政局" in body
    assert reverse("web:inspection_advance", args=[world.inspection_a1.pk]) not in body
    assert reverse("web:inspection_schedule", args=[world.inspection_a1.pk]) not in body


def test_pages_need_a_login(world, client):
    response = client.get(reverse("web:round_detail", args=[world.round_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


# ---------------------------------------------------------------- navigation and page hygiene


def test_navigation_follows_the_role(world, client):
    office = text(page(client, world.user("office_a"), reverse("web:workbench")))
    assert reverse("web:audit_list") in office and reverse("web:stats") in office
    assert "巡察办" in office and "甲县" in office  # role and scope in the top bar
    unit = text(page(client, world.user("unit_a"), reverse("web:workbench")))
    assert reverse("web:audit_list") not in unit
    assert reverse("web:unit_tree") not in unit
    assert reverse("web:stats") not in unit
    receiver = text(page(client, world.user("receiver_a"), reverse("web:workbench")))
    assert reverse("web:round_list") not in receiver


def test_ledger_sections_are_in_the_navigation(world, client):
    from xuncha.web import ledger_urls

    if not ledger_urls.urlpatterns:
        pytest.skip("the ledger pages are not wired up in this tree")
    office = text(page(client, world.user("office_a"), reverse("web:workbench")))
    for name in ("web:problem_list", "web:task_list", "web:clue_list", "web:suggestion_list"):
        assert f'href="{reverse(name)}"' in office, name
    unit = text(page(client, world.user("unit_a"), reverse("web:workbench")))
    assert f'href="{reverse("web:unit_portal")}"' in unit
    assert f'href="{reverse("web:clue_list")}"' not in unit
    receiver = text(page(client, world.user("receiver_a"), reverse("web:workbench")))
    assert f'href="{reverse("web:clue_list")}"' in receiver


@pytest.mark.parametrize("url_name, needs_pk", [
    ("web:workbench", None), ("web:unit_tree", None), ("web:round_list", None), ("web:stats", None),
    ("web:audit_list", None), ("web:round_detail", "round_a"), ("web:inspection_detail", "inspection_a2"),
    ("web:unit_detail", "dept_a"), ("web:committee_rules", "county_a"),
])
def test_pages_carry_no_inline_script_or_style(world, client, url_name, needs_pk):
    """The CSP blocks inline scripts and styles: a page that relied on one would break in the browser."""
    args = [getattr(world, needs_pk).pk] if needs_pk else []
    body = text(page(client, world.user("office_a"), reverse(url_name, args=args)))
    assert " style=" not in body
    assert "<style" not in body
    for tag in re.findall(r"<script[^>]*>", body):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " onclick=" not in body and " onchange=" not in body


# ---------------------------------------------------------------- login and its throttle


def test_login_logs_in_and_goes_to_the_workbench(world, client, password):
    response = client.post(reverse("web:login"), {"username": "t_office_a", "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("web:workbench")
    assert client.get(reverse("web:workbench")).status_code == 200


def test_login_follows_a_safe_next_only(world, client, password):
    target = reverse("web:round_list")
    response = client.post(reverse("web:login"), {"username": "t_office_a", "password": password, "next": target})
    assert response["Location"] == target
    client.logout()
    response = client.post(reverse("web:login"),
                           {"username": "t_office_a", "password": password, "next": "https://evil.example/"})
    assert response["Location"] == reverse("web:workbench")


def test_wrong_password_says_so_in_chinese(world, client):
    response = client.post(reverse("web:login"), {"username": "t_office_a", "password": "wrong-password-1"})
    assert response.status_code == 400
    assert "用户名或密码错误" in text(response)
    assert client.get(reverse("web:workbench")).status_code == 302


def test_login_locks_after_too_many_failures(world, client, password):
    url = reverse("web:login")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(url, {"username": "t_office_a", "password": "wrong-password-1"})
    # Now even the right password is refused, with the lock message.
    response = client.post(url, {"username": "t_office_a", "password": password})
    assert response.status_code == 429
    assert "锁定" in text(response)
    assert client.get(reverse("web:workbench")).status_code == 302
    # Another account is not affected.
    response = client.post(url, {"username": "t_office_b", "password": password})
    assert response.status_code == 302


def test_the_lock_message_does_not_tell_whether_an_account_exists(world, client):
    url = reverse("web:login")
    answers = {}
    for username in ("t_office_a", "no_such_user"):
        for _ in range(settings.LOGIN_MAX_FAILURES):
            response = client.post(url, {"username": username, "password": "wrong-password-1"})
        answers[username] = (response.status_code, re.sub(r"\s+", " ", text(response).split('role="alert">')[1][:80]))
    assert answers["t_office_a"] == answers["no_such_user"]
    assert answers["t_office_a"][0] == 429


def test_logout_is_a_post(world, client):
    client.force_login(world.user("office_a"))
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert client.get(reverse("web:workbench")).status_code == 302


def test_demo_hint_only_when_asked(world, client, monkeypatch):
    monkeypatch.delenv("XUNCHA_DEMO_HINT", raising=False)
    assert "演示账号" not in text(client.get(reverse("web:login")))
    monkeypatch.setenv("XUNCHA_DEMO_HINT", "1")
    assert "演示账号" in text(client.get(reverse("web:login")))


# ---------------------------------------------------------------- the workbench says what needs doing


def test_office_workbench_lists_what_is_late_in_its_county_only(world, client):
    body = text(page(client, world.user("office_a"), reverse("web:workbench")))
    # inspection_a1's written rectification report is overdue (feedback more than two months ago).
    assert reverse("web:inspection_detail", args=[world.inspection_a1.pk]) in body
    assert world.clue_a1.summary in body
    assert world.clue_b1.summary not in body
    assert world.task_b1.measure not in body


def test_city_office_sees_the_overdue_task_of_county_b(world, client):
    body = text(page(client, world.user("office_city"), reverse("web:workbench")))
    assert world.task_b1.measure in body
    assert "逾期 3 天" in body


def test_unit_workbench_shows_its_tasks_with_lights_and_no_clues(world, client):
    body = text(page(client, world.user("unit_a"), reverse("web:workbench")))
    assert world.task_a1.measure in body
    assert "light-green" in body and "剩 30 天" in body
    assert world.suggestion_a1.text in body
    assert world.clue_a1.summary not in body
    assert world.task_b1.measure not in body


def test_unit_workbench_shows_tasks_returned_by_the_office(world, client):
    from xuncha.rectification import services as rectification

    rectification.task_report_progress(actor=world.user("unit_a"), task=world.task_a1, text="已起草年度计划")
    task = rectification.task_submit_for_review(actor=world.user("unit_a"), task=world.task_a1.__class__.objects.get(
        pk=world.task_a1.pk), text="已制定计划")
    rectification.task_return(actor=world.user("office_a"), task=task, reason="缺少党组会议纪要佐证")
    body = text(page(client, world.user("unit_a"), reverse("web:workbench")))
    assert "巡察办退回" in body and "缺少党组会议纪要佐证" in body


def test_inspector_workbench_shows_own_inspections_and_problems(world, client):
    body = text(page(client, world.user("inspector_a"), reverse("web:workbench")))
    assert reverse("web:inspection_detail", args=[world.inspection_a1.pk]) in body
    assert world.problem_a2.description in body
    assert world.problem_a_field.description not in body
    assert reverse("web:inspection_detail", args=[world.inspection_a2.pk]) not in body


def test_receiver_workbench_lists_clues_handed_to_it(world, client):
    body = text(page(client, world.user("receiver_a"), reverse("web:workbench")))
    assert world.clue_a1.summary in body
    assert world.clue_b1.summary not in body


# ---------------------------------------------------------------- unit library


def test_unit_tree_folds_villages_under_townships_and_stays_in_scope(world, client):
    body = text(page(client, world.user("office_a"), reverse("web:unit_tree")))
    assert "<details" in body
    tree = body.split('id="unit-tree"')[1]
    assert tree.index("城关镇") < tree.index("东关村")
    assert "甲县财政局" in body and "乙县财政局" not in body


def test_unit_tree_live_search_answers_a_fragment(world, client):
    client.force_login(world.user("office_a"))
    response = client.get(reverse("web:unit_tree"), {"q": "城投"},
                          HTTP_HX_REQUEST="true", HTTP_HX_TARGET="unit-tree")
    body = text(response)
    assert "<html" not in body
    assert "甲县城投公司" in body and "甲县财政局" not in body
    assert "HX-Request" in response["Vary"]


def test_unit_detail_shows_leadership_and_figures(world, client):
    body = text(page(client, world.user("office_a"), reverse("web:unit_detail", args=[world.dept_a.pk])))
    assert "王建国" in body and "党组书记、局长" in body and "李红" in body
    assert "整改率" in body
    assert reverse("web:inspection_detail", args=[world.inspection_a1.pk]) in body


# ---------------------------------------------------------------- rounds


def test_round_list_shows_coverage_and_approval(world, client):
    body = text(page(client, world.user("office_a"), reverse("web:round_list")))
    assert "甲县县委2022—2026年巡察工作规划" in body
    assert "乙县" not in body
    assert "已审批" in body
    assert "75.00%" in body  # 3 of 4 units of county A have been inspected


def test_round_approval_is_recorded_by_the_leader(world, client):
    world.round_a.refresh_from_db()  # the version the leader's page carries
    client.force_login(world.user("leader_a"))
    url = reverse("web:round_approve", args=[world.round_a.pk])
    response = client.post(url, {"approved_on": today().isoformat(), "meeting": "县委书记专题会议（2026年第5次）",
                                 "note": "同意巡察建议名单", "version": world.round_a.version})
    assert response.status_code == 302
    world.round_a.refresh_from_db()
    assert world.round_a.approval_meeting == "县委书记专题会议（2026年第5次）"
    assert AuditEvent.objects.filter(action="round.approve", object_id=str(world.round_a.pk),
                                     actor=world.user("leader_a")).exists()


def test_round_approval_refused_to_an_inspector(world, client):
    client.force_login(world.user("inspector_a"))
    response = client.post(reverse("web:round_approve", args=[world.round_a.pk]),
                           {"approved_on": today().isoformat(), "meeting": "x", "version": world.round_a.version})
    assert response.status_code == 404


def test_round_approval_without_a_meeting_keeps_the_input(world, client):
    world.round_a.refresh_from_db()
    client.force_login(world.user("office_a"))
    response = client.post(reverse("web:round_approve", args=[world.round_a.pk]),
                           {"approved_on": today().isoformat(), "meeting": "", "note": "我的记录",
                            "version": world.round_a.version})
    assert response.status_code == 400
    assert "我的记录" in text(response)


# ---------------------------------------------------------------- inspections: stage moves and schedule


def test_inspection_page_shows_the_timeline_and_deadlines(world, client):
    body = text(page(client, world.user("office_a"), reverse("web:inspection_detail", args=[world.inspection_a1.pk])))
    assert body.count('class="done"') == 4 and 'class="current"' in body
    assert "逾期" in body  # the written rectification report is overdue
    assert reverse("web:inspection_advance", args=[world.inspection_a1.pk]) in body
    assert reverse("web:problem_list") + f"?inspection={world.inspection_a1.pk}" in body


def test_advancing_a_stage_through_the_page_moves_it_and_audits(world, client):
    inspection = world.inspection_a2
    assert inspection.stage == Stage.FIELDWORK
    client.force_login(world.user("office_a"))
    events_before = AuditEvent.objects.filter(action="inspection.advance", object_id=str(inspection.pk)).count()
    response = client.post(reverse("web:inspection_advance", args=[inspection.pk]), {
        "to_stage": Stage.REPORT, "on_date": today().isoformat(), "note": "进驻工作结束",
        "version": inspection.version,
    })
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.stage == Stage.REPORT
    assert inspection.fieldwork_ends_on == today()
    event = AuditEvent.objects.filter(action="inspection.advance", object_id=str(inspection.pk)).first()
    assert AuditEvent.objects.filter(action="inspection.advance", object_id=str(inspection.pk)).count() == \
        events_before + 1
    assert event.actor == world.user("office_a")
    body = text(client.get(response["Location"]))
    assert "本次巡察已进入" in body


def test_a_stale_version_is_refused_and_nothing_changes(world, client):
    inspection = world.inspection_a2
    stale = inspection.version
    # Someone else saves the schedule first.
    from xuncha.rounds import services as rounds

    rounds.inspection_update_schedule(actor=world.user("office_a"), inspection=inspection, expected_version=stale,
                                      fieldwork_ends_on=today() + datetime.timedelta(days=25))
    events_before = AuditEvent.objects.count()
    client.force_login(world.user("office_a"))
    response = client.post(reverse("web:inspection_advance", args=[inspection.pk]), {
        "to_stage": Stage.REPORT, "on_date": today().isoformat(), "note": "我写的备注", "version": stale,
    })
    assert response.status_code == 409
    body = text(response)
    assert zh("Someone else saved this record while you were editing it. Your changes were not saved; they are "
              "still in the form. Reload to see the current version, then apply them again.")[:12] in body
    assert "我写的备注" in body  # the user's input is still in the form
    inspection.refresh_from_db()
    assert inspection.stage == Stage.FIELDWORK
    assert AuditEvent.objects.count() == events_before


def test_a_refused_move_shows_the_service_message(world, client):
    client.force_login(world.user("office_a"))
    inspection = world.inspection_a2
    future = (today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("web:inspection_advance", args=[inspection.pk]), {
        "to_stage": Stage.REPORT, "on_date": future, "version": inspection.version,
    })
    assert response.status_code == 400
    assert zh("A stage move records what happened; its date cannot be in the future.") in text(response)
    assert Inspection.objects.get(pk=inspection.pk).stage == Stage.FIELDWORK


def test_only_the_office_may_advance(world, client):
    client.force_login(world.user("inspector_a2"))
    response = client.post(reverse("web:inspection_advance", args=[world.inspection_a2.pk]), {
        "to_stage": Stage.REPORT, "on_date": today().isoformat(), "version": world.inspection_a2.version,
    })
    assert response.status_code == 404
    assert Inspection.objects.get(pk=world.inspection_a2.pk).stage == Stage.FIELDWORK


def test_schedule_edit_saves_and_a_stale_one_is_refused(world, client):
    client.force_login(world.user("office_a"))
    inspection = world.inspection_a2
    url = reverse("web:inspection_schedule", args=[inspection.pk])
    new_end = today() + datetime.timedelta(days=30)
    data = {"notice_sent_on": inspection.notice_sent_on.isoformat(), "entry_on": inspection.entry_on.isoformat(),
            "fieldwork_ends_on": new_end.isoformat(), "version": inspection.version}
    assert client.post(url, data).status_code == 302
    inspection.refresh_from_db()
    assert inspection.fieldwork_ends_on == new_end
    # The same form sent again carries the old version now.
    data["fieldwork_ends_on"] = (new_end + datetime.timedelta(days=5)).isoformat()
    response = client.post(url, data)
    assert response.status_code == 409
    assert data["fieldwork_ends_on"] in text(response)
    inspection.refresh_from_db()
    assert inspection.fieldwork_ends_on == new_end


# ---------------------------------------------------------------- committee rules


def test_committee_rules_are_saved_by_the_office(world, client):
    client.force_login(world.user("office_a"))
    url = reverse("web:committee_rules", args=[world.county_a.pk])
    version = world.county_a.version
    response = client.post(url, {"notice_days_before_entry": 7, "report_months_after_fieldwork": 1,
                                 "rectify_report_months_after_feedback": 3, "version": version})
    assert response.status_code == 302
    world.county_a.refresh_from_db()
    assert world.county_a.rectify_report_months_after_feedback == 3
    response = client.post(url, {"notice_days_before_entry": 5, "report_months_after_fieldwork": 1,
                                 "rectify_report_months_after_feedback": 3, "version": version})
    assert response.status_code == 409
    world.county_a.refresh_from_db()
    assert world.county_a.notice_days_before_entry == 7


# ---------------------------------------------------------------- statistics and audit


def test_stats_shows_rates_and_chart_data(world, client):
    body = text(page(client, world.user("office_a"), reverse("web:stats")))
    assert 'id="chart-data"' in body and 'data-chart="coverage"' in body
    assert "0.00%" in body  # two problems fed back, none rectified yet
    assert "75.00%" in body
    assert "乙县" not in body


def test_stats_round_filter_stays_in_scope(world, client):
    page(client, world.user("office_a"), reverse("web:stats") + f"?round={world.round_a.pk}")
    page(client, world.user("office_a"), reverse("web:stats") + f"?round={world.round_b.pk}", 404)


def test_stats_shows_a_dash_when_nothing_was_counted(world, client):
    body = text(page(client, world.user("inspector_a2"), reverse("web:stats")))
    # inspection_a2 is still in fieldwork: nothing fed back, so the rectification rate is “—”.
    assert "—" in body.split("整改率")[0][-200:]


def test_audit_trail_is_scoped_to_the_office_subtree(world, client):
    office = text(page(client, world.user("office_a"), reverse("web:audit_list") + "?type=org.unit"))
    assert "甲县财政局" in office and "乙县财政局" not in office
    admin = text(page(client, world.user("admin"), reverse("web:audit_list") + "?type=org.unit"))
    assert "甲县财政局" in admin and "乙县财政局" in admin
    city = text(page(client, world.user("office_city"), reverse("web:audit_list") + "?type=org.unit"))
    assert "甲县财政局" in city and "乙县财政局" in city


def test_audit_filter_by_action(world, client):
    body = text(page(client, world.user("office_a"), reverse("web:audit_list") + "?action=round.approve"))
    assert "round.approve" in body and "unit.create</code>" not in body
