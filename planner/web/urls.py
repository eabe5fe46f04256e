"""The service's URLs: /healthz, the API, the feed, the API's documents, then the pages."""

from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_GET

from planner.web import api, feeds, openapi


@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/token", api.token, name="api-token"),
    path("api/me", api.me, name="api-me"),
    path("api/teams/<slug:team>", api.team, name="api-team"),
    path("api/teams/<slug:team>/plans", api.plans, name="api-plans"),
    path("api/teams/<slug:team>/visits", api.visits, name="api-visits"),
    path("api/teams/<slug:team>/record", api.record, name="api-record"),
    path("api/teams/<slug:team>/audit", api.audit, name="api-audit"),
    path("api/jobs/<int:job>", api.job, name="api-job"),
    path("api/plans/<int:plan>", api.plan, name="api-plan"),
    path("api/plans/<int:plan>/folder", api.folder, name="api-folder"),
    path("api/plans/<int:plan>/publish", api.publish, name="api-publish"),
    path("api/plans/<int:plan>/replan", api.replan, name="api-replan"),
    path("api/visits/<int:visit>/outcome", api.outcome, name="api-outcome"),
    path("api/visits/<int:visit>/pin", api.pin, name="api-pin"),
    path("api/openapi.json", openapi.document, name="api-openapi"),
    path("api/docs", openapi.docs, name="api-docs"),
    path("feeds/<str:token>.ics", feeds.feed, name="feed"),
    path("", include("planner.web.pages.urls")),
]

handler500 = "planner.web.errors.server_error"  # web-trust: request id, no traceback (errors.py)
