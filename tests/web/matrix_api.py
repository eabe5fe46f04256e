"""web-core's rows of the roles x paths matrix (test_matrix.py): for each URL pattern of the
API, the feed, /healthz and the API's documents, the request made and the status each role gets.

Roles: manager (of team tiny), worker (w1 = W1 of tiny, whose visit {visit} is), other_team
(the manager of team other), other_worker (w2 = W2 of tiny), lead, admin, signed_out.
Placeholders: {team} tiny, {plan} its published plan, {job} a plan job of tiny, {visit} a
past visit of W1, {feed} W1's feed token.
"""

ROLES = ("manager", "worker", "other_team", "other_worker", "lead", "admin", "signed_out")


def statuses(manager, worker, other_team, other_worker, lead, admin, signed_out=401) -> dict:
    return dict(zip(ROLES, (manager, worker, other_team, other_worker, lead, admin, signed_out)))


EVERYONE_200 = statuses(200, 200, 200, 200, 200, 200, 200)
WHOLE_TEAM_READ = statuses(200, 403, 404, 403, 200, 403)
MANAGER_WRITES = statuses(200, 403, 404, 403, 403, 403)
OWN_VISIT = statuses(200, 200, 404, 404, 403, 403)

# pattern (as the URLconf spells it): (method, path, body, statuses)
API_ROWS = {
    "healthz": ("GET", "/healthz", None, EVERYONE_200),
    "api/token": ("POST", "/api/token", "credentials", statuses(200, 200, 200, 200, 200, 200, 401)),
    "api/me": ("GET", "/api/me", None, statuses(200, 200, 200, 200, 200, 200)),
    "api/teams/<slug:team>": ("GET", "/api/teams/{team}", None, statuses(200, 200, 404, 200, 200, 403)),
    "api/teams/<slug:team>/plans": ("POST", "/api/teams/{team}/plans", {"week": "2026-12-07"},
                                    statuses(202, 403, 404, 403, 403, 403)),
    "api/teams/<slug:team>/visits": ("GET", "/api/teams/{team}/visits", None,
                                     statuses(200, 200, 404, 200, 200, 403)),
    "api/teams/<slug:team>/record": ("GET", "/api/teams/{team}/record", None,
                                     statuses(200, 200, 404, 200, 200, 403)),
    "api/teams/<slug:team>/audit": ("GET", "/api/teams/{team}/audit", None, WHOLE_TEAM_READ),
    "api/jobs/<int:job>": ("GET", "/api/jobs/{job}", None, WHOLE_TEAM_READ),
    "api/plans/<int:plan>": ("GET", "/api/plans/{plan}", None, WHOLE_TEAM_READ),
    "api/plans/<int:plan>/folder": ("GET", "/api/plans/{plan}/folder", None, WHOLE_TEAM_READ),
    "api/plans/<int:plan>/publish": ("POST", "/api/plans/{plan}/publish", {}, MANAGER_WRITES),
    "api/plans/<int:plan>/replan": ("POST", "/api/plans/{plan}/replan", {"from": "2026-12-02"},
                                    statuses(202, 403, 404, 403, 403, 403)),
    "api/visits/<int:visit>/outcome": ("POST", "/api/visits/{visit}/outcome", {"outcome": "made"}, OWN_VISIT),
    "api/visits/<int:visit>/pin": ("POST", "/api/visits/{visit}/pin", {"pinned": True}, OWN_VISIT),
    "api/openapi.json": ("GET", "/api/openapi.json", None, EVERYONE_200),
    "api/docs": ("GET", "/api/docs", None, EVERYONE_200),
    "feeds/<str:token>.ics": ("GET", "/feeds/{feed}.ics", None, EVERYONE_200),
}

# the placeholder pages' rows, used until web-pages' matrix_pages.py exists
PLACEHOLDER_PAGE_ROWS = {
    "sign-in": ("GET", "/sign-in", None, EVERYONE_200),
}
