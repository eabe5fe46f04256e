"""The one Django app of the service."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "planner.web"
    label = "web"
    verbose_name = "planner"
    default_auto_field = "django.db.models.BigAutoField"
