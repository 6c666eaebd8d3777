"""Page-number pagination: every list answers {"count", "page", "page_size", "items"}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import create_model

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                           description=f"Items per page (at most {MAX_PAGE_SIZE}).")


_page_schemas: dict[type, type[Schema]] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The response schema of a page of `item`s (one class per item schema, for the OpenAPI document)."""
    if item not in _page_schemas:
        _page_schemas[item] = create_model(
            f"{item.__name__}Page", __base__=Schema,
            count=(int, ...), page=(int, ...), page_size=(int, ...), items=(list[item], ...),
        )
    return _page_schemas[item]


def paginate(qs: QuerySet, query: PageQuery, build: Callable[[Any], Any]) -> dict:
    """Slice a scoped queryset into one page. Ordering gets the primary key as a tie-breaker."""
    ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
    if not {"pk", "-pk", "id", "-id"} & set(ordering):
        ordering.append("pk")
    qs = qs.order_by(*ordering)
    start = (query.page - 1) * query.page_size
    return {
        "count": qs.count(),
        "page": query.page,
        "page_size": query.page_size,
        "items": [build(obj) for obj in qs[start:start + query.page_size]],
    }
