"""The pages' URLs (included at the root by planner.web.urls)."""

from django.urls import path

from planner.web.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in", views.sign_in, name="sign-in"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("teams", views.teams, name="teams"),
    path("teams/<slug:slug>", views.team, name="team"),
    path("teams/<slug:slug>/import", views.import_team, name="import"),
    path("teams/<slug:slug>/plan", views.plan_new, name="plan-new"),
    path("teams/<slug:slug>/visits", views.visits, name="visits"),
    path("teams/<slug:slug>/audit", views.audit, name="audit"),
    path("teams/<slug:slug>/audit.csv", views.audit_csv, name="audit-csv"),
    path("jobs/<int:job_id>", views.job, name="job"),
    path("plans/<int:plan_id>", views.plan, name="plan"),
    path("plans/<int:plan_id>/publish", views.publish, name="publish"),
    path("plans/<int:plan_id>/folder.zip", views.plan_zip, name="plan-zip"),
    path("plans/<int:plan_id>/plan.xlsx", views.plan_workbook, name="plan-xlsx"),
    path("plans/<int:plan_id>/replan", views.replan, name="replan"),
    path("plans/<int:plan_id>/review", views.review, name="review"),
    path("visits/<int:visit_id>/outcome", views.outcome, name="outcome"),
    path("visits/<int:visit_id>/pin", views.pin, name="pin"),
    path("me", views.my_week, name="my-week"),
    path("me/feed", views.feed_rotate, name="feed"),
    path("access", views.access_review, name="access"),
    path("access/users/<int:user_id>/disable", views.user_disable, name="user-disable"),
    path("access/users/<int:user_id>/unlock", views.user_unlock, name="user-unlock"),
    path("access/users/<int:user_id>/tokens", views.user_tokens, name="user-tokens"),
]
