"""The unit library (被巡察单位), as far as the viewer may see it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router

from xuncha.api.auth import viewer
from xuncha.api.errors import ErrorOut
from xuncha.api.pagination import PageQuery, page_of, paginate
from xuncha.api.schemas import UnitDetailOut, UnitOut, unit_detail_out, unit_out
from xuncha.org.models import UnitKind
from xuncha.org.selectors import cadre_list, unit_get, unit_list

router = Router(tags=["units"])


class UnitQuery(PageQuery):
    committee: int | None = Field(None, description="Only units managed by this committee.")
    kind: UnitKind | None = None
    q: str | None = Field(None, description="Search in name, parent name and code.")


@router.get("/units", response=page_of(UnitOut), summary="Units in the viewer's scope")
def units(request: HttpRequest, query: Query[UnitQuery]):
    qs = unit_list(viewer=viewer(request), kind=query.kind, search=(query.q or "").strip() or None)
    if query.committee:
        qs = qs.filter(committee_id=query.committee)
    return paginate(qs, query, unit_out)


@router.get("/units/{unit_id}", response={200: UnitDetailOut, 404: ErrorOut}, summary="One unit with its leadership")
def unit_detail(request: HttpRequest, unit_id: int):
    user = viewer(request)
    unit = unit_get(viewer=user, pk=unit_id)
    return unit_detail_out(unit, list(cadre_list(viewer=user, unit=unit)))
