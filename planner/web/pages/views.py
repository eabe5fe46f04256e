"""Placeholder pages (web-pages replaces this): sign-in with the throttle and second factor."""

from django.contrib.auth import login
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from planner.web import throttle


@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.method == "GET":
        return render(request, "web/sign_in.html", {})
    outcome, user = throttle.check_sign_in(request, request.POST.get("username", ""),
                                           request.POST.get("password", ""), request.POST.get("otp"), "page")
    if outcome != throttle.OK:
        status = 429 if outcome == throttle.LOCKED else 401
        return render(request, "web/sign_in.html", {"error": outcome}, status=status)
    login(request, user)
    import time
    request.session["signed_in_at"] = time.time()
    return HttpResponse("Signed in.")
