"""The /api/v1/ API (django-ninja). Endpoints live in the api package's modules."""

from ninja import NinjaAPI

api = NinjaAPI(title="Xuncha 巡察工作平台 API", version="1", urls_namespace="api")
