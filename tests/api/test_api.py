"""The /api/v1/ API: tokens, scoping exactly as the UI, filters and pages, figures, audited writes."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from tests.world import PASSWORD, World
from xuncha.core.dates import today
from xuncha.core.models import AuditEvent
from xuncha.findings.models import FED_BACK_STATUSES, Problem, ProblemStatus
from xuncha.org.models import ApiToken
from xuncha.org.services import api_token_issue

API = "/api/v1"


class Caller:
    """A client that sends one account's bearer token."""

    def __init__(self, client: Client, token: str):
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **params):
        return self.client.get(API + path, params, headers=self.headers)

    def post(self, path: str, body: dict | None = None):
        return self.client.post(API + path, body or {}, content_type="application/json", headers=self.headers)

    def patch(self, path: str, body: dict):
        return self.client.patch(API + path, body, content_type="application/json", headers=self.headers)

    def delete(self, path: str):
        return self.client.delete(API + path, headers=self.headers)


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


# -- tokens ------------------------------------------------------------------------------------------------

def test_token_flow_good_password(world: World, client: Client):
    response = client.post(f"{API}/auth/token", {"username": "t_office_a", "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    expires = datetime.datetime.fromisoformat(body["expires_at"])
    assert expires > datetime.datetime.now(datetime.UTC)
    me = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "t_office_a"
    assert me.json()["committee_id"] == world.county_a.pk
    assert AuditEvent.objects.filter(action="api_token.issue", actor=world.user("office_a")).exists()
    # Only the digest is stored.
    assert not ApiToken.objects.filter(digest=body["token"]).exists()


def test_wrong_password_is_401_with_a_message(world: World, client: Client):
    response = client.post(f"{API}/auth/token", {"username": "t_office_a", "password": "not-the-password"},
                           content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "bad_credentials"
    assert response.json()["detail"]
    assert "token" not in response.json()


def test_missing_garbage_and_expired_tokens_are_401(world: World, client: Client):
    missing = client.get(f"{API}/problems")
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    garbage = client.get(f"{API}/problems", headers={"Authorization": "Bearer nonsense"})
    assert garbage.status_code == 401
    assert garbage.json()["detail"] != missing.json()["detail"]  # says the token is bad, not missing

    token = api_token_issue(user=world.user("office_a"))
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{API}/problems", headers=headers).status_code == 200
    ApiToken.objects.filter(user=world.user("office_a")).update(
        expires_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1))
    assert client.get(f"{API}/problems", headers=headers).status_code == 401


def test_inactive_account_token_stops_working(world: World, as_user):
    office = as_user("office_a")
    user = world.user("office_a")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert office.get("/problems").status_code == 401


def test_revoked_token_stops_working(world: World, as_user):
    office = as_user("office_a")
    assert office.delete("/auth/token").status_code == 204
    assert office.get("/auth/me").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=world.user("office_a")).exists()


def test_login_is_throttled(world: World, client: Client, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        r = client.post(f"{API}/auth/token", {"username": "t_unit_a", "password": "wrong-wrong"},
                        content_type="application/json")
        assert r.status_code == 401
    locked = client.post(f"{API}/auth/token", {"username": "t_unit_a", "password": PASSWORD},
                         content_type="application/json")
    assert locked.status_code == 429
    assert locked.json()["code"] == "throttled"
    assert int(locked["Retry-After"]) > 0
    # Another account is not affected.
    other = client.post(f"{API}/auth/token", {"username": "t_unit_b", "password": PASSWORD},
                        content_type="application/json")
    assert other.status_code == 200


def test_no_session_auth_and_no_csrf(world: World):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("office_a"))
    assert browser.get(f"{API}/problems").status_code == 401  # a web session is not an API credential
    token = browser.post(f"{API}/auth/token", {"username": "t_office_a", "password": PASSWORD},
                         content_type="application/json")
    assert token.status_code == 200  # no CSRF token needed: the API is bearer-only


# -- scoping -----------------------------------------------------------------------------------------------

def test_unit_sees_only_its_own_fed_back_problems(world: World, as_user):
    unit = as_user("unit_a")
    # problem_a2 was handed over as a clue: it does not exist for the unit.
    assert ids(unit.get("/problems")) == {world.problem_a1.pk}
    assert Problem.objects.get(pk=world.problem_a1.pk).status in FED_BACK_STATUSES
    detail = unit.get(f"/problems/{world.problem_a1.pk}").json()
    # Withheld from the unit: evidence, sources, named persons, and whether a problem became a clue.
    assert detail["evidence_summary"] is None and detail["source_ref"] is None
    assert unit.get(f"/problems/{world.problem_a2.pk}").status_code == 404
    assert unit.get("/problems", disposal="clue").status_code == 422
    for path in (f"/problems/{world.problem_b1.pk}", f"/problems/{world.problem_a_field.pk}",
                 f"/problems/{world.problem_a2.pk}",
                 f"/tasks/{world.task_b1.pk}", f"/clues/{world.clue_a1.pk}", f"/clues/{world.clue_b1.pk}"):
        response = unit.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    assert unit.get("/clues").json()["count"] == 0  # units never see clues
    assert ids(unit.get("/tasks")) == {world.task_a1.pk}
    assert ids(unit.get("/units")) == {world.dept_a.pk}
    assert ids(unit.get("/inspections")) == {world.inspection_a1.pk}
    assert unit.get(f"/inspections/{world.inspection_a2.pk}").status_code == 404


def test_inspector_sees_only_their_groups_work(world: World, as_user):
    inspector = as_user("inspector_a2")
    assert inspector.get(f"/inspections/{world.inspection_a1.pk}").status_code == 404
    for problem in (world.problem_a1, world.problem_a2):
        assert inspector.get(f"/problems/{problem.pk}").status_code == 404
    assert inspector.get("/problems", inspection=world.inspection_a1.pk).json()["count"] == 0
    assert ids(inspector.get("/problems")) == {world.problem_a_field.pk}
    assert inspector.get(f"/clues/{world.clue_a1.pk}").status_code == 404
    assert ids(inspector.get("/units")) == {world.township_a.pk, world.village_a.pk}


def test_receiver_sees_only_clues_handed_to_it(world: World, as_user):
    receiver = as_user("receiver_a")
    assert receiver.get(f"/clues/{world.clue_a1.pk}").status_code == 200
    assert receiver.get(f"/clues/{world.clue_b1.pk}").status_code == 404
    assert ids(receiver.get("/clues")) == {world.clue_a1.pk}
    assert receiver.get("/problems").json()["count"] == 0
    assert receiver.get("/units").json()["count"] == 0


def test_county_office_does_not_see_the_other_county(world: World, as_user):
    office = as_user("office_a")
    for path in (f"/problems/{world.problem_b1.pk}", f"/tasks/{world.task_b1.pk}", f"/clues/{world.clue_b1.pk}",
                 f"/units/{world.dept_b.pk}", f"/rounds/{world.round_b.pk}", f"/inspections/{world.inspection_b1.pk}",
                 f"/rounds/{world.round_b.pk}/metrics"):
        assert office.get(path).status_code == 404, path
    assert world.dept_b.pk not in ids(office.get("/units"))
    assert ids(office.get("/rounds")) == {world.round_a.pk}
    assert ids(office.get("/problems")) == {world.problem_a1.pk, world.problem_a2.pk, world.problem_a_field.pk}


def test_city_office_sees_both_counties(world: World, as_user):
    office = as_user("office_city")
    assert ids(office.get("/problems")) == {world.problem_a1.pk, world.problem_a2.pk, world.problem_a_field.pk,
                                            world.problem_b1.pk}
    assert ids(office.get("/clues")) == {world.clue_a1.pk, world.clue_b1.pk}
    assert ids(office.get("/rounds")) == {world.round_a.pk, world.round_b.pk}
    assert office.get("/units").json()["count"] == 5
    assert office.get(f"/tasks/{world.task_b1.pk}").status_code == 200


# -- filters and pages -------------------------------------------------------------------------------------

def test_problem_filters(world: World, as_user):
    office = as_user("office_a")
    city = as_user("office_city")
    assert office.get("/problems", status="fed_back").json()["count"] == 2
    assert ids(office.get("/problems", status="recorded")) == {world.problem_a_field.pk}
    assert ids(office.get("/problems", category="eight_rules")) == {world.problem_a2.pk}
    assert city.get("/problems", category="eight_rules").json()["count"] == 2
    assert ids(office.get("/problems", disposal="clue")) == {world.problem_a2.pk}
    assert ids(office.get("/problems", q="津补贴")) == {world.problem_a2.pk}
    assert ids(office.get("/problems", inspection=world.inspection_a2.pk)) == {world.problem_a_field.pk}
    assert ids(city.get("/problems", round=world.round_b.pk)) == {world.problem_b1.pk}
    assert ids(city.get("/problems", unit=world.dept_a.pk)) == {world.problem_a1.pk, world.problem_a2.pk}
    assert office.get("/problems", category="no-such-category").status_code == 422


def test_problem_pages(world: World, as_user):
    office = as_user("office_a")
    first = office.get("/problems", page_size=2).json()
    assert (first["count"], first["page"], first["page_size"], len(first["items"])) == (3, 1, 2, 2)
    second = office.get("/problems", page_size=2, page=2).json()
    assert len(second["items"]) == 1
    seen = {p["id"] for p in first["items"]} | {p["id"] for p in second["items"]}
    assert seen == {world.problem_a1.pk, world.problem_a2.pk, world.problem_a_field.pk}
    beyond = office.get("/problems", page_size=2, page=3).json()
    assert beyond["count"] == 3 and beyond["items"] == []
    assert office.get("/problems").json()["page_size"] == 50
    assert office.get("/problems", page_size=201).status_code == 422
    assert office.get("/problems", page=0).status_code == 422


def test_other_filters(world: World, as_user):
    city = as_user("office_city")
    assert ids(city.get("/tasks", status="overdue")) == {world.task_b1.pk}
    assert ids(as_user("office_a").get("/tasks", status="overdue")) == set()
    assert ids(city.get("/tasks", status="open")) == {world.task_a1.pk, world.task_b1.pk}
    assert ids(city.get("/units", kind="village")) == {world.village_a.pk}
    assert ids(city.get("/units", q="财政")) == {world.dept_a.pk, world.dept_b.pk}
    assert ids(city.get("/units", committee=world.county_b.pk)) == {world.dept_b.pk}
    assert ids(city.get("/inspections", stage="fieldwork")) == {world.inspection_a2.pk}
    assert ids(city.get("/inspections", unit=world.dept_b.pk)) == {world.inspection_b1.pk}
    assert ids(city.get("/rounds", year=today().year)) == {world.round_a.pk, world.round_b.pk}
    assert city.get("/rounds", year=1999).json()["count"] == 0
    assert ids(city.get("/clues", disposed="false")) == {world.clue_a1.pk, world.clue_b1.pk}
    assert ids(city.get("/suggestions", unit=world.dept_b.pk)) == {world.suggestion_b1.pk}


def test_task_and_inspection_details(world: World, as_user):
    city = as_user("office_city")
    late = city.get(f"/tasks/{world.task_b1.pk}").json()
    assert late["overdue"] is True and late["light"] == "red" and late["days_left"] == -3
    fine = city.get(f"/tasks/{world.task_a1.pk}").json()
    assert fine["overdue"] is False and fine["light"] == "green"
    inspection = city.get(f"/inspections/{world.inspection_a1.pk}").json()
    assert inspection["stage"] == "rectify" and inspection["next_stage"] == "follow_up"
    deadlines = {d["key"]: d for d in inspection["deadlines"]}
    assert set(deadlines) == {"notice", "report", "rectify_report"}
    assert deadlines["rectify_report"]["state"] in {"pending", "overdue"}
    assert deadlines["rectify_report"]["due"] is not None
    assert [row["state"] for row in inspection["timeline"]].count("current") == 1
    assert inspection["units"] == [{"id": world.dept_a.pk, "name": "甲县财政局"}]


# -- figures -----------------------------------------------------------------------------------------------

def _expected_rate(part: int, whole: int) -> str | None:
    return None if whole == 0 else f"{part * 100 / whole:.2f}"


def test_round_metrics_agree_with_the_records(world: World, as_user):
    office = as_user("office_a")
    m = office.get(f"/rounds/{world.round_a.pk}/metrics").json()
    problems = Problem.objects.filter(inspection__round=world.round_a)
    fed_back = problems.filter(status__in=FED_BACK_STATUSES).count()
    rectified = problems.filter(status=ProblemStatus.RECTIFIED).count()
    assert (m["problems_found"], m["problems_fed_back"], m["problems_rectified"]) == (
        problems.count(), fed_back, rectified)
    assert m["rectification_rate"] == _expected_rate(rectified, fed_back) == "0.00"
    assert (m["clues_handed_over"], m["clues_disposed"], m["clue_disposal_rate"]) == (1, 0, "0.00")
    assert (m["suggestions_made"], m["suggestions_completed"]) == (1, 0)
    assert as_user("office_a").get("/stats/metrics", round=world.round_a.pk).json() == m


def test_metrics_filters_are_scoped(world: World, as_user):
    office = as_user("office_a")
    assert office.get("/stats/metrics", unit=world.dept_b.pk).status_code == 404
    assert office.get("/stats/metrics", committee=world.county_b.pk).status_code == 404
    unit_figures = office.get("/stats/metrics", unit=world.dept_a.pk).json()
    assert unit_figures["problems_found"] == 2 and unit_figures["clues_handed_over"] == 1
    city = as_user("office_city").get("/stats/metrics", committee=world.county_b.pk).json()
    assert (city["problems_found"], city["clues_handed_over"], city["suggestions_made"]) == (1, 1, 1)
    everything = as_user("office_city").get("/stats/metrics").json()
    assert everything["problems_found"] == 4 and everything["rectification_rate"] == "0.00"


def test_coverage(world: World, as_user):
    rows = as_user("office_a").get("/stats/coverage").json()
    assert len(rows) == 1
    row = rows[0]
    assert row["committee_id"] == world.county_a.pk
    # 甲县: four active units; 甲县财政局 (整改) and 城关镇 + 东关村 (进驻) have been inspected.
    assert (row["units_managed"], row["units_inspected"], row["coverage_rate"], row["target"]) == (
        4, 3, "75.00", "100.00")
    city_rows = {r["committee_id"]: r for r in as_user("office_city").get("/stats/coverage").json()}
    assert set(city_rows) == {world.county_a.pk, world.county_b.pk}
    assert city_rows[world.county_b.pk]["coverage_rate"] == "100.00"
    one = as_user("office_city").get("/stats/coverage", committee=world.county_b.pk).json()
    assert [r["committee_id"] for r in one] == [world.county_b.pk]
    assert as_user("office_a").get("/stats/coverage", committee=world.county_b.pk).status_code == 404
    assert as_user("inspector_a").get("/stats/coverage").json() == []


# -- writes ------------------------------------------------------------------------------------------------

def _audited(action: str, actor, object_id) -> bool:
    return AuditEvent.objects.filter(action=action, actor=actor, object_id=str(object_id)).exists()


def test_record_and_edit_a_problem(world: World, as_user):
    inspector = as_user("inspector_a2")
    body = {"inspection": world.inspection_a2.pk, "unit": world.village_a.pk, "description": "东关村三资台账缺失。",
            "category": "work", "fault_kind": "dereliction", "nature_reason": "多次提醒仍未建立台账。"}
    created = inspector.post("/problems", body)
    assert created.status_code == 201, created.content
    problem = created.json()
    assert problem["status"] == "recorded" and problem["unit_id"] == world.village_a.pk
    assert _audited("problem.record", world.user("inspector_a2"), problem["id"])

    edited = inspector.patch(f"/problems/{problem['id']}", {"version": problem["version"], "key_matter": True})
    assert edited.status_code == 200
    assert edited.json()["key_matter"] is True and edited.json()["version"] == problem["version"] + 1
    assert edited.json()["description"] == body["description"]  # untouched fields stay
    assert _audited("problem.update", world.user("inspector_a2"), problem["id"])

    stale = inspector.patch(f"/problems/{problem['id']}", {"version": problem["version"], "key_matter": False})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version" and stale.json()["detail"]
    assert Problem.objects.get(pk=problem["id"]).key_matter is True


def test_problem_write_refusals(world: World, as_user):
    inspector = as_user("inspector_a2")
    base = {"inspection": world.inspection_a2.pk, "unit": world.dept_a.pk, "description": "x", "category": "work"}
    not_covered = inspector.post("/problems", base)
    assert not_covered.status_code == 422 and not_covered.json()["field"] == "unit"
    out_of_scope = inspector.post("/problems", {**base, "inspection": world.inspection_a1.pk})
    assert out_of_scope.status_code == 404
    no_reason = inspector.post("/problems", {**base, "unit": world.township_a.pk, "fault_kind": "mistake"})
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "nature_reason"
    # Feedback has been given in inspection_a1: its problems are no longer recorded.
    late = as_user("inspector_a").post("/problems", {**base, "inspection": world.inspection_a1.pk})
    assert late.status_code == 422
    assert inspector.patch(f"/problems/{world.problem_a1.pk}", {"version": 1, "key_matter": True}).status_code == 404


def test_advance_an_inspection(world: World, as_user):
    office = as_user("office_a")
    inspection = office.get(f"/inspections/{world.inspection_a2.pk}").json()
    wrong = office.post(f"/inspections/{world.inspection_a2.pk}/advance",
                        {"to_stage": "feedback", "version": inspection["version"]})
    assert wrong.status_code == 409 and wrong.json()["code"] == "transition_refused"
    moved = office.post(f"/inspections/{world.inspection_a2.pk}/advance",
                        {"to_stage": "report", "on_date": today().isoformat(), "version": inspection["version"]})
    assert moved.status_code == 200, moved.content
    assert moved.json()["stage"] == "report" and moved.json()["fieldwork_ends_on"] == today().isoformat()
    assert _audited("inspection.advance", world.user("office_a"), world.inspection_a2.pk)
    stale = office.post(f"/inspections/{world.inspection_a2.pk}/advance",
                        {"to_stage": "feedback", "version": inspection["version"]})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    assert as_user("office_b").post(f"/inspections/{world.inspection_a2.pk}/advance",
                                    {"to_stage": "feedback", "version": 99}).status_code == 404
    refused = as_user("inspector_a2").post(f"/inspections/{world.inspection_a2.pk}/advance",
                                           {"to_stage": "feedback", "version": moved.json()["version"]})
    assert refused.status_code == 422


def test_round_approval(world: World, as_user):
    office = as_user("office_a")
    rnd = office.get(f"/rounds/{world.round_a.pk}").json()
    body = {"approved_on": today().isoformat(), "meeting": "县委书记专题会议（第3次）", "version": rnd["version"]}
    approved = office.post(f"/rounds/{world.round_a.pk}/approval", body)
    assert approved.status_code == 200
    assert approved.json()["approval_meeting"] == "县委书记专题会议（第3次）"
    assert _audited("round.approve", world.user("office_a"), world.round_a.pk)
    assert office.post(f"/rounds/{world.round_a.pk}/approval", body).status_code == 409
    assert as_user("office_b").post(f"/rounds/{world.round_a.pk}/approval", body).status_code == 404


def test_rectification_ledger_through_the_api(world: World, as_user):
    unit, office = as_user("unit_a"), as_user("office_a")
    path = f"/tasks/{world.task_a1.pk}"
    progressed = unit.post(f"{path}/progress", {"text": "已制定年度计划并印发。"})
    assert progressed.status_code == 200 and progressed.json()["status"] == "in_progress"
    assert progressed.json()["notes"][-1]["text"] == "已制定年度计划并印发。"
    submitted = unit.post(f"{path}/submit", {"version": progressed.json()["version"]})
    assert submitted.status_code == 200 and submitted.json()["status"] == "awaiting_review"
    assert unit.post(f"{path}/close", {"version": submitted.json()["version"]}).status_code == 422
    returned = office.post(f"{path}/return", {"reason": "缺少印发文件。", "version": submitted.json()["version"]})
    assert returned.status_code == 200 and returned.json()["status"] == "in_progress"
    assert returned.json()["review_note"] == "缺少印发文件。"
    again = unit.post(f"{path}/submit", {"version": returned.json()["version"], "text": "已补充印发文件。"})
    assert office.post(f"{path}/close", {"version": returned.json()["version"]}).status_code == 409  # stale
    closed = office.post(f"{path}/close", {"version": again.json()["version"], "note": "对账无误，予以销号。"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["light"] == "done"
    assert _audited("task.closed", world.user("office_a"), world.task_a1.pk)
    assert _audited("task.in_progress", world.user("unit_a"), world.task_a1.pk)
    # The problem's only task is closed: the problem is rectified and the round's rate moves.
    assert unit.get(f"/problems/{world.problem_a1.pk}").json()["status"] == "rectified"
    m = office.get(f"/rounds/{world.round_a.pk}/metrics").json()
    assert (m["problems_rectified"], m["rectification_rate"]) == (1, "50.00")
    assert closed.json()["closed_on"] == today().isoformat()


def test_create_a_task(world: World, as_user):
    unit = as_user("unit_a")
    body = {"problem": world.problem_a1.pk, "measure": "修订党组议事规则", "responsible_leader": "王建国",
            "responsible_department": "计划财务股", "responsible_person": "李红",
            "deadline": (today() + datetime.timedelta(days=60)).isoformat()}
    # The plan has been accepted: the unit no longer adds tasks to it, until the office returns it.
    assert unit.post("/tasks", body).status_code == 409
    from xuncha.rectification.models import RectificationPlan
    from xuncha.rectification.services import plan_return

    plan = RectificationPlan.objects.get(inspection=world.inspection_a1, unit=world.dept_a)
    plan_return(actor=world.user("office_a"), plan=plan, comment="请补充议事规则修订的措施。")
    created = unit.post("/tasks", body)
    assert created.status_code == 201, created.content
    assert created.json()["problem_id"] == world.problem_a1.pk and created.json()["status"] == "open"
    assert _audited("task.create", world.user("unit_a"), created.json()["id"])
    no_deadline = unit.post("/tasks", {**body, "deadline": None})
    assert no_deadline.status_code == 422 and no_deadline.json()["field"] == "deadline"
    assert unit.post("/tasks", {**body, "problem": world.problem_b1.pk}).status_code == 404


def test_clue_hand_over_and_disposal(world: World, as_user):
    inspector = as_user("inspector_a")
    handed = inspector.post("/clues", {"inspection": world.inspection_a1.pk, "unit": world.dept_a.pk,
                                       "organ": world.organ_a.pk, "summary": "某股长虚报冒领差旅费问题线索",
                                       "problem": world.problem_a2.pk})
    assert handed.status_code == 201, handed.content
    assert handed.json()["organ_id"] == world.organ_a.pk
    assert _audited("clue.hand_over", world.user("inspector_a"), handed.json()["id"])
    wrong_problem = inspector.post("/clues", {"inspection": world.inspection_a1.pk, "unit": world.dept_a.pk,
                                              "organ": world.organ_a.pk, "summary": "x",
                                              "problem": world.problem_a_field.pk})
    assert wrong_problem.status_code == 404  # a problem of another group's inspection is not visible

    receiver = as_user("receiver_a")
    clue = receiver.get(f"/clues/{world.clue_a1.pk}").json()
    assert as_user("receiver_b").post(f"/clues/{world.clue_a1.pk}/dispose",
                                      {"disposal": "talk_inquiry", "version": clue["version"]}).status_code == 404
    disposed = receiver.post(f"/clues/{world.clue_a1.pk}/dispose",
                             {"disposal": "preliminary_check", "note": "已立案初核。", "version": clue["version"]})
    assert disposed.status_code == 200
    assert disposed.json()["disposal"] == "preliminary_check" and disposed.json()["disposed_on"]
    assert _audited("clue.dispose", world.user("receiver_a"), world.clue_a1.pk)
    twice = receiver.post(f"/clues/{world.clue_a1.pk}/dispose",
                          {"disposal": "closed", "version": disposed.json()["version"]})
    assert twice.status_code == 409 and twice.json()["code"] == "transition_refused"
    m = as_user("office_a").get(f"/rounds/{world.round_a.pk}/metrics").json()
    assert (m["clues_handed_over"], m["clues_disposed"], m["clue_disposal_rate"]) == (2, 1, "50.00")


def test_complete_a_suggestion(world: World, as_user):
    unit = as_user("unit_a")
    suggestion = unit.get(f"/suggestions/{world.suggestion_a1.pk}").json()
    done = unit.post(f"/suggestions/{world.suggestion_a1.pk}/complete",
                     {"note": "已出台《财政资金拨付内控办法》。", "version": suggestion["version"]})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert _audited("suggestion.complete", world.user("unit_a"), world.suggestion_a1.pk)
    stale = unit.post(f"/suggestions/{world.suggestion_a1.pk}/complete",
                      {"note": "again", "version": suggestion["version"]})
    assert stale.status_code == 409
    assert unit.post(f"/suggestions/{world.suggestion_b1.pk}/complete",
                     {"note": "x", "version": 1}).status_code == 404


# -- the OpenAPI document and the docs page ----------------------------------------------------------------

REGISTERED = {
    ("POST", "/auth/token"), ("DELETE", "/auth/token"), ("GET", "/auth/me"),
    ("GET", "/units"), ("GET", "/units/{unit_id}"),
    ("GET", "/rounds"), ("GET", "/rounds/{round_id}"), ("GET", "/rounds/{round_id}/metrics"),
    ("POST", "/rounds/{round_id}/approval"),
    ("GET", "/inspections"), ("GET", "/inspections/{inspection_id}"),
    ("POST", "/inspections/{inspection_id}/advance"),
    ("GET", "/problems"), ("POST", "/problems"), ("GET", "/problems/{problem_id}"),
    ("PATCH", "/problems/{problem_id}"),
    ("GET", "/tasks"), ("POST", "/tasks"), ("GET", "/tasks/{task_id}"), ("POST", "/tasks/{task_id}/progress"),
    ("POST", "/tasks/{task_id}/submit"), ("POST", "/tasks/{task_id}/close"), ("POST", "/tasks/{task_id}/return"),
    ("GET", "/clues"), ("POST", "/clues"), ("GET", "/clues/{clue_id}"), ("POST", "/clues/{clue_id}/dispose"),
    ("GET", "/suggestions"), ("GET", "/suggestions/{suggestion_id}"),
    ("POST", "/suggestions/{suggestion_id}/complete"),
    ("GET", "/stats/coverage"), ("GET", "/stats/metrics"), ("GET", "/stats/rectification"),
    ("GET", "/plans"), ("GET", "/plans/{plan_id}"), ("POST", "/plans/{plan_id}/submit"),
    ("POST", "/plans/{plan_id}/accept"), ("POST", "/plans/{plan_id}/return"),
    ("GET", "/notifications"), ("POST", "/notifications/{notification_id}/read"),
    ("POST", "/clues/{clue_id}/sign-for"), ("POST", "/clues/{clue_id}/result"), ("POST", "/clues/{clue_id}/supervise"),
    ("GET", "/stats/clues"),
    ("GET", "/reports"), ("POST", "/reports"), ("GET", "/reports/{report_id}"), ("POST", "/reports/{report_id}/sort"),
    ("POST", "/reports/{report_id}/forward"), ("POST", "/reports/{report_id}/reply"),
    ("GET", "/talks"), ("POST", "/talks"), ("GET", "/talks/outlines"), ("GET", "/talks/{talk_id}"),
    ("POST", "/talks/{talk_id}/record"), ("POST", "/talks/{talk_id}/cancel"),
}


@pytest.mark.django_db
def test_openapi_lists_every_path_and_requires_auth(client: Client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    listed = {(method.upper(), path.removeprefix(API)) for path, ops in document["paths"].items()
              for method in ops}
    assert listed == REGISTERED
    for path, ops in document["paths"].items():
        for method, operation in ops.items():
            if (method.upper(), path.removeprefix(API)) == ("POST", "/auth/token"):
                assert not operation.get("security")
                continue
            assert operation.get("security") == [{"TokenAuth": []}], (method, path)
            # And the server agrees: without a token, nothing answers but 401.
            url = re.sub(r"\{[a-z_]+\}", "1", path)
            answer = getattr(client, method)(url, {}, content_type="application/json") if method != "get" \
                else client.get(url)
            assert answer.status_code == 401, (method, path, answer.status_code)
    assert document["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


@pytest.mark.django_db
def test_docs_page_is_served_locally(client: Client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
