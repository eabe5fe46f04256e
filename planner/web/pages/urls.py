"""The pages' URLs (web-pages owns this file; web-core's placeholder: the sign-in page only)."""

from django.urls import path

from planner.web.pages import views

urlpatterns = [
    path("sign-in", views.sign_in, name="sign-in"),
]
