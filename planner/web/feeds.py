"""`/feeds/{token}.ics`: a worker's published visits as a calendar feed (no sign-in: the token).

The events are planner.outputs.ics's, from the team's published plan: the same UIDs and
the same least content as the plan's calendar files. A visit a replan removed is gone at
the next fetch; an unknown, rotated or revoked token (or a disabled worker) answers 404.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from planner.web import bridge, roles, tokens


@require_GET
def feed(request, token: str):
    user = tokens.user_of_feed_token(token)
    found = roles.profile(user)
    if found is None or not roles.can(user, "feed", found.team) or found.team is None:
        raise Http404("no such feed")
    plan = found.team.published_plan()
    if plan is None:
        data = bridge.empty_calendar(found.team, found.worker_id)
    else:
        data = bridge.feed_calendar(found.team, plan, found.worker_id)
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
