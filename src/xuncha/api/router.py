"""The /api/v1/ API (django-ninja). Endpoints live in the api package's modules.

Every operation except POST /auth/token needs "Authorization: Bearer <token>"; there is no session
authentication on the API (so no CSRF). Reads go through the scoped selectors (out of scope → 404),
writes through the services (one audited transaction each).
"""

from ninja import NinjaAPI

from xuncha.api import auth, errors, fieldwork, findings, once, org, plans, rectification, reports, rounds, stats
from xuncha.api.docs import LocalSwagger

api = NinjaAPI(
    title="Xuncha 巡察工作平台 API",
    version="1",
    description="Read and write the inspection records you may see in the web interface. "
                "Get a token with POST /api/v1/auth/token, then send it in the header `Authorization: Bearer <token>`.",
    urls_namespace="api",
    auth=auth.TokenAuth(),
    docs=LocalSwagger(),
)
errors.install(api)
once.install(api)

api.add_router("/auth", auth.router)
api.add_router("/", org.router)
api.add_router("/", rounds.router)
api.add_router("/", findings.router)
api.add_router("/", rectification.router)
api.add_router("/", plans.router)
api.add_router("/", stats.router)
api.add_router("/", reports.router)
api.add_router("/", fieldwork.router)
