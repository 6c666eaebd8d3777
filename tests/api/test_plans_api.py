"""The plans, notifications and rectification figures over the API, scoped as the pages are."""

from __future__ import annotations

from tests.world import World
from xuncha.notifications.models import Notification
from xuncha.rectification.reminders import send_deadline_reminders


def test_the_office_returns_a_plan_and_the_unit_resubmits_it(world: World, as_user):
    plan = world.task_a1.plan
    office, unit = as_user("office_a"), as_user("unit_a")
    listed = unit.get("/plans").json()
    assert [p["id"] for p in listed["items"]] == [plan.pk] and listed["items"][0]["status"] == "accepted"
    assert as_user("office_b").get(f"/plans/{plan.pk}").status_code == 404
    assert unit.post(f"/plans/{plan.pk}/return", {"version": plan.version, "comment": "x"}).status_code == 422
    assert office.post(f"/plans/{plan.pk}/return", {"version": plan.version}).status_code == 422  # no comment
    returned = office.post(f"/plans/{plan.pk}/return", {"version": plan.version, "comment": "请补充长效机制。"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    stale = unit.post(f"/plans/{plan.pk}/submit", {"version": plan.version})
    assert stale.status_code == 409
    submitted = unit.post(f"/plans/{plan.pk}/submit", {"version": returned.json()["version"]})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"


def test_notifications_are_the_callers_own(world: World, as_user):
    send_deadline_reminders()
    mine = as_user("unit_b").get("/notifications").json()
    assert mine["count"] >= 1 and all("建立公务用车使用登记制度" in n["title"] for n in mine["items"]
                                      if n["kind"] == "overdue")
    other = Notification.objects.filter(recipient=world.user("unit_b")).first()
    assert as_user("unit_a").post(f"/notifications/{other.pk}/read").status_code == 404
    read = as_user("unit_b").post(f"/notifications/{other.pk}/read")
    assert read.status_code == 200 and read.json()["read_at"]


def test_rectification_figures(world: World, as_user):
    figures = as_user("office_b").get("/stats/rectification").json()
    assert figures["tasks"] == 1 and figures["tasks_overdue"] == 1 and figures["rectification_rate"] == "0.00"
    assert as_user("office_b").get("/stats/rectification", committee=world.county_a.pk).status_code == 404
