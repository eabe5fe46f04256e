"""The pages as their own Django app (label `pages`), so their templates and static files are found."""

from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "planner.web.pages"
    label = "pages"
    verbose_name = "planner pages"
