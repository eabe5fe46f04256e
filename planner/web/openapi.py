"""The API's OpenAPI 3.1 document (/api/openapi.json), hand-written from service.md, and
/api/docs: a plain page listing every path (no script, nothing from the network)."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.views.decorators.http import require_GET

VISIT = {"type": "object", "properties": {
    "id": {"type": "integer"}, "worker_id": {"type": "string"}, "date": {"type": "string", "format": "date"},
    "start": {"type": "string", "example": "09:30"}, "end": {"type": "string"},
    "visit_type": {"type": "string", "enum": ["home", "school", "creative", "remote"]},
    "child_ids": {"type": "array", "items": {"type": "string"}}, "joint_with": {"type": ["string", "null"]},
    "outcome": {"type": ["string", "null"], "enum": ["made", "no_access", "cancelled", None]},
    "seen_alone": {"type": ["boolean", "null"]}, "pinned": {"type": "boolean"}}}
PLAN = {"type": "object", "properties": {
    "id": {"type": "integer"}, "team": {"type": "string"}, "week": {"type": "string", "format": "date"},
    "status": {"type": "string", "enum": ["draft", "published", "superseded"]},
    "replanned_from": {"type": ["integer", "null"]}, "summary": {"type": "object", "description": "summary.json"}}}
JOB = {"type": "object", "properties": {
    "status": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
    "plan": {"type": ["integer", "null"]}, "error": {"type": ["string", "null"]}, "progress": {"type": "string"}}}
JOB_STARTED = {"type": "object", "properties": {"job": {"type": "integer"}}}
SOLVE = {"time_limit": {"type": "number", "minimum": 0.1}, "seed": {"type": "integer", "default": 0}}
TEXTS = {"type": "array", "items": {"type": "string"}}

# (method, path, summary, request body properties or None, answer status, answer schema)
PATHS = [
    ("post", "/api/token", "Sign in: a Bearer token (5 failures in 15 minutes: 429)",
     {"username": {"type": "string"}, "password": {"type": "string"}, "otp": {"type": "string"}}, "200",
     {"type": "object", "properties": {"token": {"type": "string"}, "expires": {"type": "string"}}}),
    ("get", "/api/me", "Who I am; `feed` is a worker's calendar feed path", None, "200",
     {"type": "object", "properties": {k: {"type": ["string", "null"]}
                                       for k in ("username", "role", "team", "worker_id", "feed")}}),
    ("get", "/api/teams/{team}", "The team: name, counts of workers and children, the published plan", None, "200",
     {"type": "object", "properties": {"team": {"type": "string"}, "name": {"type": "string"},
                                       "workers": {"type": "integer"}, "children": {"type": "integer"},
                                       "published_plan": {"type": ["integer", "null"]}}}),
    ("post", "/api/teams/{team}/plans", "Make a plan in the background, as planner plan does",
     {"week": {"type": "string", "format": "date"}, **SOLVE}, "202", JOB_STARTED),
    ("get", "/api/jobs/{job}", "A plan job's state and progress", None, "200", JOB),
    ("get", "/api/plans/{plan}", "A plan and its summary.json", None, "200", PLAN),
    ("get", "/api/plans/{plan}/folder", "The plan folder as a zip, exactly as planner plan writes it", None,
     "200", {"type": "string", "format": "binary"}),
    ("post", "/api/plans/{plan}/publish", "Publish; the plan published before becomes superseded", None, "200",
     PLAN),
    ("post", "/api/plans/{plan}/replan", "Replan the published plan from a day, as planner replan does",
     {"from": {"type": "string", "format": "date"}, "absent": TEXTS, "add": TEXTS, "cancel": TEXTS, **SOLVE},
     "202", JOB_STARTED),
    ("get", "/api/teams/{team}/visits", "The published plan's visits (?from, ?to, ?worker); a worker's own only",
     None, "200", {"type": "array", "items": VISIT}),
    ("post", "/api/visits/{id}/outcome", "Record a visit's outcome (idempotent; corrects; 422 for a future visit)",
     {"outcome": {"type": "string", "enum": ["made", "no_access", "cancelled"]}, "seen_alone": {"type": "boolean"}},
     "200", VISIT),
    ("post", "/api/visits/{id}/pin", "Pin (or unpin) a visit: its time was agreed with the family",
     {"pinned": {"type": "boolean", "default": True}}, "200", VISIT),
    ("get", "/api/teams/{team}/record", "The record as CSV with visits.csv's columns", None, "200",
     {"type": "string", "format": "text/csv"}),
    ("get", "/api/teams/{team}/audit", "The audit trail, newest first (?action, ?username)", None, "200",
     {"type": "array", "items": {"type": "object", "properties": {
         k: {"type": "string"} for k in ("at", "user", "action", "object")} | {"detail": {"type": "object"}}}}),
    ("get", "/feeds/{token}.ics", "A worker's calendar feed (the token is the key; unknown: 404)", None, "200",
     {"type": "string", "format": "text/calendar"}),
]


def spec() -> dict:
    paths: dict = {}
    for method, route, summary, request, status, answer in PATHS:
        operation = {"summary": summary, "responses": {
            status: {"description": "fine", "content": {"application/json": {"schema": answer}}},
            "401": {"description": "no valid Bearer token"}, "403": {"description": "the role does not allow it"},
            "404": {"description": "not found, or not yours to see"}}}
        if request is not None:
            operation["requestBody"] = {"content": {"application/json": {"schema": {
                "type": "object", "properties": request}}}}
        if route in ("/api/token",) or route.startswith("/feeds"):
            operation["security"] = []
        paths.setdefault(route, {})[method] = operation
    return {"openapi": "3.1.0", "info": {"title": "planner serve", "version": "3"},
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearer": []}], "paths": paths}


@require_GET
def document(request):
    return JsonResponse(spec())


@require_GET
def docs(request):
    rows = "".join(f"<tr><td>{m.upper()}</td><td><code>{escape(p)}</code></td><td>{escape(s)}</td></tr>"
                   for m, p, s, *_ in PATHS)
    return HttpResponse(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>planner API</title></head><body>"
        "<h1>planner serve: the JSON API</h1><p>Send <code>Authorization: Bearer TOKEN</code> "
        "(from <code>POST /api/token</code>). The OpenAPI document: <a href=\"/api/openapi.json\">"
        f"/api/openapi.json</a>.</p><table><tr><th>method</th><th>path</th><th>what</th></tr>{rows}</table>"
        "</body></html>")
