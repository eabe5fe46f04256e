"""The pages people use: thin views, each starting with the access helper for its object,
writing only through `planner.web.actions`, and showing what `show` reads of the library.

Pages work without JavaScript (forms POST and redirect, links are real hrefs); with htmx,
the job's progress is polled (`HttpResponseStopPolling` when the job ends) and a worker's
outcome buttons swap their visit's row.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from planner.model.errors import InputError
from planner.outputs.views import TYPE_LABELS, figure_text, short_day
from planner.web import access, actions, bridge, reads, roles
from planner.web.models import AuditEntry, FeedToken, Plan, PlanJob, PlanVisit, Team
from planner.web.pages import forms, progress, show
from planner.web.pages.signin import sign_in, sign_out  # noqa: F401  (the sign-in views, in their own module)

# The plan page draws the rota's timeline, whose blocks are placed by style attributes: it
# alone allows inline styles (no script: scripts still need the page's nonce).
ROTA_CSP = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE],
            "style-src": [CSP.SELF, CSP.UNSAFE_INLINE], "img-src": [CSP.SELF, "data:"],
            "object-src": [CSP.NONE], "base-uri": [CSP.NONE], "frame-ancestors": [CSP.NONE],
            "form-action": [CSP.SELF]}


# ---------------------------------------------------------------- the frame of every page

def nav(request, current: str) -> list[dict]:
    """The tabs the user's role has, the current one marked."""
    found = roles.profile(request.user)
    if found is None:
        return []
    items: list[tuple[str, str, str]] = []
    if found.role == "manager" and found.team:
        slug = found.team.slug
        items = [("team", "Team", reverse("pages:team", args=[slug])),
                 ("visits", "Visits", reverse("pages:visits", args=[slug])),
                 ("plan", "Plan a week", reverse("pages:plan-new", args=[slug])),
                 ("import", "Import", reverse("pages:import", args=[slug])),
                 ("audit", "Audit", reverse("pages:audit", args=[slug]))]
    elif found.role == "worker":
        items = [("week", "My visits", reverse("pages:my-week"))]
    elif found.role == "lead":
        items = [("teams", "Teams", reverse("pages:teams"))]
    elif found.role == "admin":
        items = [("access", "Access review", reverse("pages:access"))]
    return [{"key": k, "label": label, "url": url, "current": k == current} for k, label, url in items]


def page(request, template: str, current: str = "", status: int = 200, **context) -> HttpResponse:
    context.update(nav=nav(request, current), profile=roles.profile(request.user))
    return render(request, template, context, status=status)


def _whole_team(request, slug: str, change: bool = False) -> Team:
    """The team, for a role that sees the whole team (a worker: 403)."""
    team = access.team_for(request.user, slug, change=change)
    if not roles.sees_whole_team(request.user):
        access.refuse(request.user, PermissionDenied, f"team {slug}", "the role sees only its own visits", team)
    return team


@require_GET
@login_required
def home(request):
    """Each role's first page."""
    found = roles.profile(request.user)
    if found is None:
        raise PermissionDenied("no role")
    if found.role == "manager":
        return redirect("pages:team", found.team.slug)
    if found.role == "worker":
        return redirect("pages:my-week")
    if found.role == "lead":
        return redirect("pages:teams")
    return redirect("pages:access")


# ---------------------------------------------------------------- the manager's team

@require_GET
@login_required
def teams(request):
    """The lead's page: every team, its published plan and the plan's figures."""
    found = roles.profile(request.user)
    if found is None or roles.ROLE_RULES[found.role]["see"] != "all":
        access.refuse(request.user, PermissionDenied, "teams", "only a lead sees every team")
    rows = []
    for team in Team.objects.order_by("name"):
        published = team.published_plan()
        summary = published.summary if published else {}
        rows.append({"team": team, "plan": published, "summary": summary,
                     "travel": figure_text(summary.get("travel_minutes"), "minutes")})
    return page(request, "pages/teams.html", "teams", rows=rows)


def _plan_figures(plan: Plan | None) -> dict:
    if plan is None:
        return {}
    headings, rows = show.figures(plan.summary)
    return {"headings": headings, "rows": rows}


@require_GET
@login_required
def team(request, slug: str):
    """The team's home: workers, children, the published plan and its figures, recent plans and jobs."""
    team = _whole_team(request, slug)
    published = team.published_plan()
    library = show.library_team(team, published.week if published else timezone.localdate())
    return page(request, "pages/team.html", "team", team=team, published=published,
                workers=_worker_rows(library), children=len(library.children),
                figures=_plan_figures(published), plans=team.plans.all()[:12], jobs=team.jobs.all()[:8],
                can_plan=roles.can(request.user, "plan", team))


def _worker_rows(library) -> list[dict]:
    from planner.model.plan import hhmm
    allocated: dict[str, int] = {}
    for child in library.children:
        allocated[child.allocated_worker] = allocated.get(child.allocated_worker, 0) + 1
    return [{"id": w.id, "name": w.name, "hours": f"{hhmm(w.start)}-{hhmm(w.end)}",
             "mode": w.travel_mode.replace("_", " "), "children": allocated.get(w.id, 0)} for w in library.workers]


@require_http_methods(["GET", "POST"])
@login_required
def import_team(request, slug: str):
    """Upload the team's sheets; every problem listed with file, row and column; nothing
    changed unless the whole folder the upload makes is valid."""
    team = _whole_team(request, slug, change=True)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems, warnings = [], []
    if request.method == "POST" and form.is_valid():
        uploaded = {f.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]: f.read() for f in form.cleaned_data["files"]}
        keep = request.POST.get("keep") == "on"
        try:
            with bridge.private_folder() as work:
                folder = _upload_folder(team, uploaded, keep, work / team.slug)
                actions.import_team(request.user, folder)
            messages.success(request, f"Imported {', '.join(sorted(uploaded))}: the team is up to date.")
            return redirect("pages:team", team.slug)
        except InputError as error:
            problems = error.problems
    return page(request, "pages/import.html", "import", status=400 if problems else 200, team=team,
                form=form, problems=problems, warnings=warnings, files=sorted(f.name for f in team.files.all()))


KEPT_ALWAYS = ("team.toml",)


def _upload_folder(team: Team, uploaded: dict[str, bytes], keep: bool, folder):
    """The folder the import reads: the uploaded files and (with `keep`) the team's other files,
    those of a table not uploaded (a file's table is its name before the first dot)."""
    folder.mkdir(parents=True, mode=0o700)
    stems = {name.split(".", 1)[0].lower() for name in uploaded}
    if keep:
        for stored in team.files.all():
            if stored.name.split(".", 1)[0].lower() not in stems:
                (folder / stored.name).write_bytes(bytes(stored.content))
    for name, data in uploaded.items():
        if name and not name.startswith("."):
            (folder / name).write_bytes(data)
    return folder


# ---------------------------------------------------------------- plans and jobs

@require_http_methods(["GET", "POST"])
@login_required
def plan_new(request, slug: str):
    """'Plan next week': the week (a Monday), optional seed and time limit; starts a job."""
    team = _whole_team(request, slug, change=True)
    form = forms.PlanForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        params = form.params()
        job = actions.start_plan(request.user, team, date.fromisoformat(params["week"]),
                                 params.get("time_limit"), params.get("seed", 0))
        return redirect("pages:job", job.pk)
    return page(request, "pages/plan_new.html", "plan", team=team, form=form,
                running=team.jobs.filter(status__in=[PlanJob.QUEUED, PlanJob.RUNNING]))


@require_GET
@login_required
def job(request, job_id: int):
    """A plan job: a progress bar from the solver's own progress lines, polled by htmx (a
    meta refresh without JavaScript); when it ends, the plan (or the reason it failed)."""
    job = access.job_for(request.user, job_id)
    context = {"job": job, "stage": progress.stage(job), "finished": job.status in (PlanJob.DONE, PlanJob.FAILED)}
    if request.htmx:
        response = render(request, "pages/job.html#progress", context)
        if context["finished"]:
            stop = HttpResponseStopPolling(response.content)
            return stop
        return response
    return page(request, "pages/job.html", "plan", **context)


@require_GET
@login_required
@csp_override(ROTA_CSP)
def plan(request, plan_id: int):
    """The plan as the rota page shows it (its own sections), with publish and downloads."""
    plan = access.plan_for(request.user, plan_id)
    body = show.rota_body(plan)
    return page(request, "pages/plan.html", "team", plan=plan, team=plan.team, rota=body,
                can_plan=roles.can(request.user, "plan", plan),
                published=plan.team.published_plan())


@require_POST
@login_required
def publish(request, plan_id: int):
    """Publish the plan (the one published before is superseded)."""
    plan = access.plan_for(request.user, plan_id, change=True)
    try:
        actions.publish(request.user, plan)
    except actions.ActionError as error:
        messages.error(request, str(error))
        return redirect("pages:plan", plan.pk)
    messages.success(request, f"Published the plan for the week of {short_day(plan.week)}: workers see it now.")
    return redirect("pages:plan", plan.pk)


@require_GET
@login_required
def plan_zip(request, plan_id: int):
    """The plan folder as `planner plan` wrote it, zipped."""
    plan = access.plan_for(request.user, plan_id)
    response = HttpResponse(bytes(plan.folder_zip), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.team.slug}-{plan.week}-{plan.pk}.zip"'
    return response


@require_GET
@login_required
def plan_workbook(request, plan_id: int):
    """The plan's workbook (plan.xlsx of its folder)."""
    plan = access.plan_for(request.user, plan_id)
    data = show.folder_file(plan, "plan.xlsx")
    if data is None:
        raise Http404("this plan has no workbook")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.team.slug}-{plan.week}-{plan.pk}.xlsx"'
    return response


# ---------------------------------------------------------------- mid-week

def _replan_form(plan: Plan, data=None) -> forms.ReplanForm:
    library = show.library_plan(plan)
    team = show.library_team(plan.team, library.week)
    last = library.week + timedelta(days=7 * team.horizon_weeks - 1)
    days = [library.week + timedelta(n) for n in range((last - library.week).days + 1)
            if (library.week + timedelta(n)).weekday() < 5]
    lines = show.visit_lines(plan, plan.visits.all())
    visits = [(_cancel_text(line.visit), f"{short_day(line.visit.date)} {line.visit.start} {line.visit.worker_id} "
               f"{line.type_label}: {line.children} ({', '.join(line.visit.child_ids)})") for line in lines]
    today = timezone.localdate()
    form = forms.ReplanForm(data, days=days, workers=show.worker_choices(team), children=show.child_choices(team),
                            visits=list(dict.fromkeys(visits)))
    if data is None:
        form.fields["from_day"].initial = next((d.isoformat() for d in days if d >= today), days[0].isoformat())
    return form


def _cancel_text(visit: PlanVisit) -> str:
    """`planner replan --cancel`'s notation for this visit: CHILD[;CHILD]:TYPE:DATE."""
    return f"{';'.join(visit.child_ids)}:{visit.visit_type}:{visit.date.isoformat()}"


@require_http_methods(["GET", "POST"])
@login_required
def replan(request, plan_id: int):
    """Mid-week: a worker absent, an urgent visit, visits cancelled; starts a replan job."""
    plan = access.plan_for(request.user, plan_id, change=True)
    if plan.status != Plan.PUBLISHED:
        messages.error(request, "Only the published plan can be replanned.")
        return redirect("pages:plan", plan.pk)
    form = _replan_form(plan, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes = form.notation()
        job = actions.start_replan(request.user, plan, date.fromisoformat(changes["from"]), changes["absent"],
                                   changes["add"], changes["cancel"])
        return redirect("pages:job", job.pk)
    return page(request, "pages/replan.html", "team", status=400 if form.errors else 200, plan=plan,
                team=plan.team, form=form, pinned=plan.visits.filter(pinned=True),
                unrecorded=_history_without_outcome(plan, timezone.localdate()))


@require_GET
@login_required
def review(request, plan_id: int):
    """A replan beside the published plan: its changes.csv and cover.csv, the published
    visits each change touches, and the history visits without an outcome; publish."""
    plan = access.plan_for(request.user, plan_id)
    if plan.replanned_from_id is None:
        return redirect("pages:plan", plan.pk)
    before = plan.replanned_from
    history = _history_without_outcome(before, plan.from_day)
    return page(request, "pages/review.html", "team", plan=plan, before=before, team=plan.team,
                changes=show.csv_rows(plan, "changes.csv"), cover=show.csv_rows(plan, "cover.csv"),
                added=show.csv_rows(plan, "added.csv"), history=history,
                figures_before=_plan_figures(before), figures_after=_plan_figures(plan),
                can_plan=roles.can(request.user, "plan", plan))


def _history_without_outcome(plan: Plan, from_day: date | None) -> list:
    """The published plan's visits before the replan's first day with no outcome recorded."""
    if from_day is None:
        return []
    return show.visit_lines(plan, reads.history_without_outcome(plan, from_day))


# ---------------------------------------------------------------- the published visits

@require_GET
@login_required
def visits(request, slug: str):
    """The published plan's visits day by day, with outcomes, pins and (for the manager) the
    buttons to record and pin."""
    team = _whole_team(request, slug)
    published = team.published_plan()
    day = request.GET.get("day") or ""
    worker = request.GET.get("worker") or ""
    rows, days, workers = [], [], []
    if published is not None:
        query = published.visits.all()
        days = sorted({v.date for v in query})
        workers = sorted({v.worker_id for v in query})
        if day:
            query = query.filter(date=day)
        if worker:
            query = query.filter(worker_id=worker)
        rows = _with_outcomes(published, show.visit_lines(published, query))
    return page(request, "pages/visits.html", "visits", team=team, published=published, rows=rows, days=days,
                workers=workers, day=day, worker=worker, can_record=roles.can(request.user, "record", team),
                today=timezone.localdate())


def _with_outcomes(plan: Plan, lines: list) -> list[dict]:
    """Each visit line with the outcome recorded for it (`planner.web.reads`, as the API gives it)."""
    record = reads.outcomes(plan.team, [line.visit.date for line in lines])
    return [{"line": line, "record": reads.outcome_of(line.visit, record)} for line in lines]


def _back(request, fallback: str) -> str:
    """Where a form posted from a page returns to: its `next` when it is one of ours."""
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else fallback


@require_POST
@login_required
def pin(request, visit_id: int):
    """Pin (or, with pinned=no, unpin) a published visit: the time agreed with the family."""
    visit = access.visit_for(request.user, visit_id, change=True)
    pinned = request.POST.get("pinned", "yes") != "no"
    actions.pin_visit(request.user, visit, pinned)
    messages.success(request, ("Pinned: a replan keeps this visit as it is." if pinned else "Unpinned."))
    if request.htmx:
        return _visit_row(request, visit.pk)
    return redirect(_back(request, reverse("pages:home")))


@require_POST
@login_required
def outcome(request, visit_id: int):
    """Record a visit's outcome (made, no access, cancelled; seen alone): htmx swaps the row,
    without JavaScript a normal POST and redirect."""
    visit = access.visit_for(request.user, visit_id, change=True)
    form = forms.OutcomeForm(request.POST)
    error = None
    if not form.is_valid():
        error = "Choose made, no access or cancelled."
    else:
        try:
            actions.record_outcome(request.user, visit, form.cleaned_data["outcome"], form.cleaned_data["seen_alone"])
        except actions.ActionError as failure:
            error = str(failure)
    if request.htmx:
        return _visit_row(request, visit.pk, error, status=422 if error and "after today" in error else 200)
    if error:
        messages.error(request, error)
    return redirect(_back(request, reverse("pages:my-week")))


def _visit_row(request, visit_id: int, error: str | None = None, status: int = 200):
    visit = PlanVisit.objects.select_related("plan", "plan__team").get(pk=visit_id)
    entry = _with_outcomes(visit.plan, show.visit_lines(visit.plan, [visit]))[0]
    return render(request, "pages/visit_row.html", {
        "entry": entry, "error": error, "today": timezone.localdate(),
        "can_record": roles.can(request.user, "record", visit), "next": request.POST.get("next", "")}, status=status)


# ---------------------------------------------------------------- the worker's week

@require_GET
@login_required
def my_week(request):
    """A worker's own published visits, day by day, with one-tap outcomes and the feed."""
    found = roles.profile(request.user)
    if found is None or found.role != "worker":
        access.refuse(request.user, PermissionDenied, "my visits", "only a worker has their own visits")
    team = found.team
    published = team.published_plan()
    days, removed = [], []
    if published is not None:
        mine = published.visits.filter(worker_id=found.worker_id)
        entries = _with_outcomes(published, show.visit_lines(published, mine))
        changed, removed = _same_day(published, found.worker_id)
        by_day: dict[date, list] = {}
        for entry in entries:
            entry["changed"] = changed.get(entry["line"].visit.uid)
            by_day.setdefault(entry["line"].visit.date, []).append(entry)
        days = [{"day": d, "entries": by_day.get(d, [])} for d in _weekdays(published)]
    feed = FeedToken.objects.filter(user=request.user, revoked=False).first()
    return page(request, "pages/my_week.html", "week", published=published, days=days, removed=removed, feed=feed,
                new_feed=request.session.pop("new_feed_url", None), today=timezone.localdate())


def _weekdays(plan: Plan) -> list[date]:
    """The committed week's weekdays, then any later day holding one of the plan's visits."""
    days = [plan.week + timedelta(n) for n in range(5)]
    later = sorted({v.date for v in plan.visits.all() if v.date > days[-1]})
    return days + later


def _same_day(plan: Plan, worker_id: str) -> tuple[dict[str, str], list[str]]:
    """What a replan published today changed of the worker's visits: by calendar UID, 'New
    today' or 'Changed today (was ...)'; and the visits it took away, in words."""
    since = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if plan.replanned_from_id is None or plan.published_at is None or plan.published_at < since:
        return {}, []
    before = {v.uid: v for v in plan.replanned_from.visits.filter(worker_id=worker_id)}
    now = {v.uid: v for v in plan.visits.filter(worker_id=worker_id)}
    changed = {}
    for uid, visit in now.items():
        was = before.get(uid)
        if was is None:
            changed[uid] = "New today"
        elif (was.date, was.start, was.end) != (visit.date, visit.start, visit.end):
            changed[uid] = f"Changed today (was {short_day(was.date)} {was.start})"
    removed = [f"{short_day(v.date)} {v.start}-{v.end} {TYPE_LABELS.get(v.visit_type, v.visit_type)}"
               for uid, v in sorted(before.items(), key=lambda item: (item[1].date, item[1].start)) if uid not in now]
    return changed, removed


@require_POST
@login_required
def feed_rotate(request):
    """A new calendar feed address (the previous one stops working); shown once."""
    found = roles.profile(request.user)
    if found is None or not roles.can(request.user, "feed"):
        access.refuse(request.user, PermissionDenied, "feed", "only a worker has a calendar feed")
    token = actions.rotate_feed(request.user)
    request.session["new_feed_url"] = request.build_absolute_uri(f"/feeds/{token}.ics")
    return redirect("pages:my-week")


# ---------------------------------------------------------------- who did what

def _audit_rows(request, team: Team):
    entries = AuditEntry.objects.filter(team=team)
    form = forms.AuditFilterForm(request.GET or None,
                                 users=sorted(set(entries.values_list("username", flat=True)) - {""}),
                                 actions=sorted(set(entries.values_list("action", flat=True))))
    if form.is_valid():
        data = form.cleaned_data
        if data.get("user"):
            entries = entries.filter(username=data["user"])
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        zone = timezone.get_current_timezone()
        if data.get("since"):
            entries = entries.filter(at__gte=datetime.combine(data["since"], time.min, zone))
        if data.get("until"):
            entries = entries.filter(at__lt=datetime.combine(data["until"] + timedelta(days=1), time.min, zone))
    return form, entries.order_by("-at", "-id")


@require_GET
@login_required
def audit(request, slug: str):
    """The team's audit trail, newest first, with filters (who, what, dates) and CSV download."""
    team = _whole_team(request, slug)
    form, entries = _audit_rows(request, team)
    shown = [{"entry": entry, "detail": _detail(entry)} for entry in entries[:500]]
    return page(request, "pages/audit.html", "audit", team=team, form=form, entries=shown,
                total=entries.count(), query=request.GET.urlencode())


@require_GET
@login_required
def audit_csv(request, slug: str):
    """The audit rows the filters choose, as CSV."""
    team = _whole_team(request, slug)
    _, entries = _audit_rows(request, team)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "user", "action", "object", "detail"])
    for entry in entries:
        writer.writerow([entry.at.isoformat(), entry.username, entry.action, _cell(entry.object),
                         _cell(_detail(entry))])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{team.slug}.csv"'
    return response


def _detail(entry: AuditEntry) -> str:
    """An audit row's detail as JSON text (as the API gives it)."""
    return json.dumps(entry.detail, sort_keys=True, ensure_ascii=False)


def _cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    from planner.io.cells import neutralise_formula
    return neutralise_formula(text)


# ---------------------------------------------------------------- the access review

def _admin(request):
    if not roles.can(request.user, "users"):
        access.refuse(request.user, PermissionDenied, "access review", "only an admin manages users")


@require_GET
@login_required
def access_review(request):
    """Users, roles, teams and last sign-in: the review councils run for joiners and leavers."""
    _admin(request)
    users = get_user_model().objects.select_related("profile", "profile__team").order_by("username")
    locked = _locked_usernames([u.username for u in users])
    return page(request, "pages/access.html", "access", users=users, locked=locked,
                new_token=request.session.pop("new_api_token", None))


def _locked_usernames(usernames: list[str]) -> set[str]:
    try:
        from planner.web import throttle
    except ImportError:
        return set()
    return {u for u in usernames if throttle.locked(u)}


def _target(user_id: int):
    found = get_user_model().objects.filter(pk=user_id).first()
    if found is None:
        raise Http404("no such user")
    return found


@require_POST
@login_required
def user_disable(request, user_id: int):
    _admin(request)
    target = _target(user_id)
    actions.disable_user(request.user, target)
    messages.success(request, f"Disabled {target.username}: their sessions, API tokens and feed ended.")
    return redirect("pages:access")


@require_POST
@login_required
def user_unlock(request, user_id: int):
    _admin(request)
    target = _target(user_id)
    actions.unlock_user(request.user, target.username)
    messages.success(request, f"Unlocked {target.username}: they can sign in again.")
    return redirect("pages:access")


@require_POST
@login_required
def user_tokens(request, user_id: int):
    """Rotate a user's tokens: their API tokens end (a new one is shown once) and a worker's
    feed address changes."""
    _admin(request)
    target = _target(user_id)
    actions.rotate_tokens(request.user, target)
    messages.success(request, f"Rotated {target.username}'s tokens: the old API tokens and feed address "
                              "no longer work; they ask for a new API token, and a worker makes a new feed "
                              "address on their page.")
    return redirect("pages:access")
