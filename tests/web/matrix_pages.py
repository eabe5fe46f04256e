"""web-pages' rows of the roles x paths matrix (test_matrix.py): for each URL pattern of the
pages, the request made and the status each role gets, signed in with a session (pages never
take a Bearer token); signed out, every page but sign-in answers 302 to the sign-in page.

Roles and placeholders as in matrix_api.py, and {user}: the user id of w2 (the admin's
actions). A POST's body is JSON, which a page's form reads as empty: each answer is the
access check's (the forms' own tests are in test_pages_*.py).
"""

from __future__ import annotations

from web.matrix_api import ROLES


def statuses(manager, worker, other_team, other_worker, lead, admin, signed_out=302) -> dict:
    return dict(zip(ROLES, (manager, worker, other_team, other_worker, lead, admin, signed_out)))


EVERYONE = statuses(302, 302, 302, 302, 302, 302)
WHOLE_TEAM = statuses(200, 403, 404, 403, 200, 403)
TEAM_CHANGE = statuses(200, 403, 404, 403, 403, 403)
OWN_VISIT = statuses(302, 302, 404, 404, 403, 403)
ADMIN_POST = statuses(403, 403, 403, 403, 403, 302)

# pattern (as the URLconf spells it): (method, path, body, statuses)
PAGE_ROWS = {
    "": ("GET", "/", None, EVERYONE),
    "sign-in": ("GET", "/sign-in", None, statuses(200, 200, 200, 200, 200, 200, 200)),
    "sign-out": ("POST", "/sign-out", {}, EVERYONE),
    "teams": ("GET", "/teams", None, statuses(403, 403, 403, 403, 200, 403)),
    "teams/<slug:slug>": ("GET", "/teams/{team}", None, WHOLE_TEAM),
    "teams/<slug:slug>/import": ("GET", "/teams/{team}/import", None, TEAM_CHANGE),
    "teams/<slug:slug>/plan": ("GET", "/teams/{team}/plan", None, TEAM_CHANGE),
    "teams/<slug:slug>/visits": ("GET", "/teams/{team}/visits", None, WHOLE_TEAM),
    "teams/<slug:slug>/audit": ("GET", "/teams/{team}/audit", None, WHOLE_TEAM),
    "teams/<slug:slug>/audit.csv": ("GET", "/teams/{team}/audit.csv", None, WHOLE_TEAM),
    "jobs/<int:job_id>": ("GET", "/jobs/{job}", None, WHOLE_TEAM),
    "plans/<int:plan_id>": ("GET", "/plans/{plan}", None, WHOLE_TEAM),
    "plans/<int:plan_id>/publish": ("POST", "/plans/{plan}/publish", {}, statuses(302, 403, 404, 403, 403, 403)),
    "plans/<int:plan_id>/folder.zip": ("GET", "/plans/{plan}/folder.zip", None, WHOLE_TEAM),
    "plans/<int:plan_id>/plan.xlsx": ("GET", "/plans/{plan}/plan.xlsx", None, WHOLE_TEAM),
    "plans/<int:plan_id>/replan": ("GET", "/plans/{plan}/replan", None, TEAM_CHANGE),
    # the published plan is no replan: its review page sends the reader to the plan
    "plans/<int:plan_id>/review": ("GET", "/plans/{plan}/review", None, statuses(302, 403, 404, 403, 302, 403)),
    "visits/<int:visit_id>/outcome": ("POST", "/visits/{visit}/outcome", {}, OWN_VISIT),
    "visits/<int:visit_id>/pin": ("POST", "/visits/{visit}/pin", {}, OWN_VISIT),
    "me": ("GET", "/me", None, statuses(403, 200, 403, 200, 403, 403)),
    "me/feed": ("POST", "/me/feed", {}, statuses(403, 302, 403, 302, 403, 403)),
    "access": ("GET", "/access", None, statuses(403, 403, 403, 403, 403, 200)),
    "access/users/<int:user_id>/disable": ("POST", "/access/users/{user}/disable", {}, ADMIN_POST),
    "access/users/<int:user_id>/unlock": ("POST", "/access/users/{user}/unlock", {}, ADMIN_POST),
    "access/users/<int:user_id>/tokens": ("POST", "/access/users/{user}/tokens", {}, ADMIN_POST),
}
