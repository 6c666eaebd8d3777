"""The error pages speak Chinese and point the way back; a failed CSRF check explains itself."""

from __future__ import annotations

from django.test import Client


def test_a_page_outside_the_viewers_scope_is_a_chinese_404_that_mentions_the_pledge(world, login):
    client = login(world.user("inspector_a"))
    response = client.get(f"/inspections/{world.inspection_b1.pk}/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在，或您无权查看" in text and "保密承诺" in text and "返回工作台" in text
    assert "Not Found" not in text


def test_an_expired_form_is_explained_in_chinese(world, password):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "t_office_a", "password": password})
    text = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in text and "内容未提交" in text
    assert "Forbidden" not in text
