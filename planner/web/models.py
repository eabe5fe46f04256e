"""The service's tables: teams and their files, the record, plans and their visits, jobs,
people's roles, tokens, and the append-only audit trail.

A team is kept as the files of its folder (`TeamFile`, as imported) plus the record of
visits (`RecordRow`, what was imported from visits.csv and every outcome recorded since),
so a plan is made from exactly the folder `planner plan` would read (`bridge.team_folder`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Team(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    imported = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.slug

    def published_plan(self) -> Plan | None:
        return self.plans.filter(status=Plan.PUBLISHED).first()


class TeamFile(models.Model):
    """One file of the team folder as imported (everything but visits.csv, which is RecordRow)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200)
    content = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="one_file_per_name")]


class Plan(models.Model):
    DRAFT, PUBLISHED, SUPERSEDED = "draft", "published", "superseded"
    STATUSES = [(s, s) for s in (DRAFT, PUBLISHED, SUPERSEDED)]

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="plans")
    week = models.DateField()
    status = models.CharField(max_length=12, choices=STATUSES, default=DRAFT)
    replanned_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="replans")
    from_day = models.DateField(null=True, blank=True)  # a replan's first day
    summary = models.JSONField(default=dict)
    folder_zip = models.BinaryField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["team"], condition=models.Q(status="published"),
                                               name="one_published_plan_per_team")]


class PlanVisit(models.Model):
    """One row of the plan's plan.csv (a joint visit is two rows, one per worker)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="visits")
    row = models.PositiveIntegerField()  # its row in plan.csv (header = 1)
    uid = models.CharField(max_length=100)  # the calendar event's UID (planner.outputs.ics.visit_uids)
    worker_id = models.CharField(max_length=50)
    date = models.DateField()
    start = models.CharField(max_length=5)
    end = models.CharField(max_length=5)
    visit_type = models.CharField(max_length=20)
    child_ids = models.JSONField(default=list)
    joint_with = models.CharField(max_length=50, blank=True, default="")
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)
    pinned = models.BooleanField(default=False)  # "time agreed with the family": a replan keeps it

    class Meta:
        ordering = ["date", "start", "worker_id", "row"]
        indexes = [models.Index(fields=["plan", "worker_id", "date"])]


class RecordRow(models.Model):
    """One row of the team's record (visits.csv): imported, or an outcome recorded here."""

    IMPORT, OUTCOME = "import", "outcome"
    OUTCOMES = [(o, o) for o in ("made", "no_access", "cancelled")]

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="record")
    child_id = models.CharField(max_length=50)
    date = models.DateField()
    visit_type = models.CharField(max_length=20)
    worker_id = models.CharField(max_length=50, blank=True, default="")
    outcome = models.CharField(max_length=12, choices=OUTCOMES, default="made")
    seen_alone = models.BooleanField(default=False)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    visit = models.ForeignKey(PlanVisit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=8, choices=[(IMPORT, IMPORT), (OUTCOME, OUTCOME)], default=IMPORT)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "child_id", "visit_type", "id"]
        indexes = [models.Index(fields=["team", "child_id", "date", "visit_type"])]

    def recorded(self):
        """The row as the library's RecordedVisit (planner.model.domain)."""
        from planner.model.domain import RecordedVisit
        return RecordedVisit(child_id=self.child_id, date=self.date, visit_type=self.visit_type,
                             worker_id=self.worker_id or None, outcome=self.outcome, seen_alone=self.seen_alone,
                             plan=(self.plan.summary.get("plan_id") or None) if self.plan_id else None)


class PlanJob(models.Model):
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [(s, s) for s in (QUEUED, RUNNING, DONE, FAILED)]
    PLAN, REPLAN = "plan", "replan"

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="jobs")
    kind = models.CharField(max_length=8, choices=[(PLAN, PLAN), (REPLAN, REPLAN)])
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=STATUSES, default=QUEUED)
    progress = models.TextField(blank=True, default="")
    error = models.TextField(null=True, blank=True)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    task_id = models.CharField(max_length=64, blank=True, default="")
    heartbeat = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created", "-id"]


class Profile(models.Model):
    """A person's role (roles.ROLE_RULES), team and, for a worker, their worker id."""

    ROLES = [(r, r) for r in ("manager", "worker", "lead", "admin")]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=10, choices=ROLES)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    worker_id = models.CharField(max_length=50, blank=True, default="")
    last_sign_in = models.DateTimeField(null=True, blank=True)


class ApiToken(models.Model):
    """An API token, kept as its HMAC-SHA256 digest (the token itself is shown once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    revoked = models.BooleanField(default=False)


class FeedToken(models.Model):
    """A worker's calendar feed token, kept as its digest; rotating revokes the previous one.

    The token is HMAC(SECRET_KEY, salt): the database alone cannot give it, yet the service
    can show the worker their feed's address again (`tokens.feed_token`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens")
    salt = models.CharField(max_length=64)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    revoked = models.BooleanField(default=False)


class AuditRefused(Exception):
    """The audit trail is append-only: rows are never changed or deleted."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditRefused("audit rows cannot be changed")

    def delete(self):
        raise AuditRefused("audit rows cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise AuditRefused("audit rows cannot be changed")


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                             db_constraint=False, related_name="+")
    username = models.CharField(max_length=150, blank=True, default="")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                             related_name="+")
    action = models.CharField(max_length=30, db_index=True)
    object = models.CharField(max_length=200, blank=True, default="")
    detail = models.JSONField(default=dict)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditRefused("audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditRefused("audit rows cannot be deleted")
