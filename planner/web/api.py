"""The JSON API of service.md, path by path. Thin: access helper, then actions/bridge, then JSON.

Every path but /api/token needs `Authorization: Bearer TOKEN` (401 without a valid one);
the API takes no session cookie, so it needs no CSRF token. 404/403 come from access.py
and carry none of the data; a wrong method answers 405.
"""

from __future__ import annotations

import json
from datetime import date
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from planner.model.errors import InputError
from planner.web import access, actions, bridge, roles, throttle, tokens
from planner.web.reads import visit_rows
from planner.web.models import AuditEntry, Plan, PlanVisit


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def api(*methods: str, signed_in: bool = True):
    """An API view: its methods (else 405), the Bearer token's user (else 401), errors as JSON."""
    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                response = error(405, f"{request.method} is not allowed here")
                response["Allow"] = ", ".join(methods)
                return response
            if signed_in:
                user = tokens.user_of_api_token(tokens.bearer(request))
                if user is None or roles.profile(user) is None:
                    return error(401, "sign in: POST /api/token, then send Authorization: Bearer TOKEN")
                request.user = user
            try:
                return view(request, *args, **kwargs)
            except Http404:
                return error(404, "not found")
            except PermissionDenied:
                return error(403, "your role does not allow this")
            except (BadRequest, actions.ActionError) as problem:
                return error(problem.status, str(problem))
            except InputError as problem:
                return error(400, str(problem))
        return wrapper
    return decorate


def body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the body is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the body must be a JSON object")
    return data


def day(text, name: str) -> date:
    try:
        return date.fromisoformat(str(text))
    except (TypeError, ValueError):
        raise BadRequest(f"{name} '{text}' is not a date; write YYYY-MM-DD") from None


def monday(text) -> date:
    from planner.model.calendar import parse_monday
    try:
        return parse_monday(str(text), "week")
    except (TypeError, ValueError) as problem:
        raise BadRequest(str(problem)) from None


def solve_options(data: dict) -> dict:
    limit, seed = data.get("time_limit"), data.get("seed", 0)
    if limit is not None and (not isinstance(limit, (int, float)) or isinstance(limit, bool) or limit < 0.1):
        raise BadRequest("time_limit must be a number of seconds, at least 0.1")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise BadRequest("seed must be a whole number")
    return {"time_limit": float(limit) if limit is not None else None, "seed": seed}


# ---------------------------------------------------------------- signing in

@api("POST", signed_in=False)
def token(request):
    data = body(request)
    username, password = str(data.get("username") or ""), str(data.get("password") or "")
    outcome, user = throttle.check_sign_in(request, username, password, data.get("otp"), "api")
    if outcome == throttle.LOCKED:
        return error(429, "too many failed sign-ins: wait 15 minutes or ask an admin to unlock you")
    if outcome != throttle.OK:
        return error(401, "wrong username, password or code")
    text, row = actions.issue_token(user)
    return JsonResponse({"token": text, "expires": row.expires.isoformat()})


@api("GET")
def me(request):
    found = roles.profile(request.user)
    feed = tokens.feed_path(request.user) if roles.can(request.user, "feed") else None
    return JsonResponse({"username": request.user.get_username(), "role": found.role,
                         "team": found.team.slug if found.team else None, "worker_id": found.worker_id or None,
                         "feed": feed})


# ---------------------------------------------------------------- teams and plans

@api("GET")
def team(request, team):
    found = access.team_for(request.user, team)
    counts = team_counts(found)
    published = found.published_plan()
    return JsonResponse({"team": found.slug, "name": found.name, **counts,
                         "published_plan": published.pk if published else None})


def team_counts(team) -> dict:
    """How many workers and children the team's folder holds (as the reader reads it)."""
    loaded = bridge.loaded_team(team)
    return {"workers": len(loaded.workers), "children": len(loaded.children)}


@api("POST")
def plans(request, team):
    found = access.team_for(request.user, team, change=True)
    data = body(request)
    job = actions.start_plan(request.user, found, monday(data.get("week")), **solve_options(data))
    return JsonResponse({"job": job.pk}, status=202)


@api("GET")
def job(request, job):
    found = access.job_for(request.user, job)
    return JsonResponse({"id": found.pk, "kind": found.kind, "status": found.status, "plan": found.plan_id,
                         "error": found.error, "progress": found.progress})


def plan_json(plan: Plan) -> dict:
    return {"id": plan.pk, "team": plan.team.slug, "week": plan.week.isoformat(), "status": plan.status,
            "replanned_from": plan.replanned_from_id, "summary": plan.summary}


@api("GET")
def plan(request, plan):
    return JsonResponse(plan_json(access.plan_for(request.user, plan)))


@api("GET")
def folder(request, plan):
    found = access.plan_for(request.user, plan)
    response = HttpResponse(bytes(found.folder_zip), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{found.team.slug}-plan-{found.pk}.zip"'
    return response


@api("POST")
def publish(request, plan):
    found = access.plan_for(request.user, plan, change=True)
    return JsonResponse(plan_json(actions.publish(request.user, found)))


@api("POST")
def replan(request, plan):
    found = access.plan_for(request.user, plan, change=True)
    if found.status != Plan.PUBLISHED:
        raise BadRequest(f"plan {found.pk} is {found.status}: replan the published plan", status=409)
    data = body(request)
    lists = {}
    for name in ("absent", "add", "cancel"):
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise BadRequest(f"{name} must be a list of texts, as planner replan's --{name} takes them")
        lists[name] = value
    check_replan_texts(lists)
    first_day = day(data.get("from"), "from")
    end = found.summary.get("horizon_end")
    if not found.week <= first_day or (end and first_day.isoformat() > end):
        raise BadRequest(f"from {first_day} is outside the plan's horizon {found.week} to {end}")
    job = actions.start_replan(request.user, found, first_day, **lists, **solve_options(data))
    return JsonResponse({"job": job.pk}, status=202)


def check_replan_texts(lists: dict) -> None:
    """Each text reads as `planner replan`'s option reads it (else 400 now, not a failed job)."""
    from planner import week as repair
    parsers = {"absent": repair.parse_absence, "add": repair.parse_added, "cancel": repair.parse_cancel}
    for name, texts in lists.items():
        for text in texts:
            try:
                parsers[name](text)
            except ValueError as problem:
                raise BadRequest(f"{name} '{text}': {problem}") from None


# ---------------------------------------------------------------- visits and the record

@api("GET")
def visits(request, team):
    found = access.team_for(request.user, team)
    worker = access.worker_filter(request.user, found, request.GET.get("worker"))
    published = found.published_plan()
    if published is None:
        return JsonResponse([], safe=False)
    rows = PlanVisit.objects.filter(plan=published)
    if request.GET.get("from"):
        rows = rows.filter(date__gte=day(request.GET["from"], "from"))
    if request.GET.get("to"):
        rows = rows.filter(date__lte=day(request.GET["to"], "to"))
    if worker:
        rows = rows.filter(worker_id=worker)
    return JsonResponse(visit_rows(rows.order_by("date", "start", "worker_id", "row"), found), safe=False)


@api("POST")
def outcome(request, visit):
    found = access.visit_for(request.user, visit, change=True)
    data = body(request)
    alone = data.get("seen_alone")  # not given: as planned (the library's default for the type)
    if alone is not None and not isinstance(alone, bool):
        raise BadRequest("seen_alone must be true or false")
    actions.record_outcome(request.user, found, str(data.get("outcome")), alone)
    return JsonResponse(visit_rows([found], found.plan.team)[0])


@api("POST")
def pin(request, visit):
    """Pin (or with {"pinned": false} unpin) a published visit: its time was agreed with the family."""
    found = access.visit_for(request.user, visit, change=True)
    pinned = body(request).get("pinned", True)
    if not isinstance(pinned, bool):
        raise BadRequest("pinned must be true or false")
    actions.pin_visit(request.user, found, pinned)
    return JsonResponse(visit_rows([found], found.plan.team)[0])


@api("GET")
def record(request, team):
    found = access.team_for(request.user, team)
    worker = access.worker_filter(request.user, found, None)
    rows = found.record.select_related("plan").order_by("date", "child_id", "visit_type", "id")
    if worker:
        rows = rows.filter(worker_id=worker)
    response = HttpResponse(bridge.record_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}-visits.csv"'
    return response


@api("GET")
def audit(request, team):
    found = access.team_for(request.user, team)
    if not roles.sees_whole_team(request.user):
        access.refuse(request.user, PermissionDenied, f"team {team} audit", "the role may not see the audit", found)
    rows = AuditEntry.objects.filter(team=found)
    for name in ("action", "username"):
        if request.GET.get(name):
            rows = rows.filter(**{name: request.GET[name]})
    return JsonResponse([{"at": r.at.isoformat(), "user": r.username, "action": r.action, "object": r.object,
                          "detail": r.detail} for r in rows.order_by("-at", "-id")], safe=False)
