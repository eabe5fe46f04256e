"""The pages' forms. Every choice a manager makes is offered from the team's own data
(workers, children, the plan's days and visits): nothing is typed as an id. The replan
form turns its choices into `planner replan`'s notation (`W01:2026-12-02..2026-12-03`,
`C0012:home:2026-12-03`, `C0012;C0013:school:2026-12-03`), which the action passes on."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms

from planner.model.domain import VISIT_TYPES
from planner.outputs.views import TYPE_LABELS, long_day, short_day

OUTCOMES = [("made", "Made"), ("no_access", "No access"), ("cancelled", "Cancelled")]


class SignInForm(forms.Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username",
                                                                              "autofocus": True}))
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    otp = forms.CharField(label="Six-digit code", required=False, max_length=6,
                          help_text="Managers and admins: the code from your authenticator app.",
                          widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                        "pattern": "[0-9]{6}"}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ImportForm(forms.Form):
    files = MultipleFileField(label="The team's sheets", help_text=(
        "Choose every file of the team folder at once: team.toml and workers, children, schools, "
        "term_dates, appointments (CSV or Excel), or one team.xlsx with a sheet per table and team.toml."))


def mondays(today: date, before: int = 1, after: int = 4) -> list[date]:
    """The Mondays around today: the week before, this week and the next few."""
    this = today - timedelta(days=today.weekday())
    return [this + timedelta(weeks=n) for n in range(-before, after + 1)]


class PlanForm(forms.Form):
    week = forms.ChoiceField(label="Week", help_text="The plan starts on this Monday; its first week is committed.")
    seed = forms.IntegerField(required=False, min_value=0, initial=0, label="Seed (optional)",
                              help_text="The same team, week and seed give the same plan.")
    time_limit = forms.FloatField(required=False, min_value=1, label="Time limit in seconds (optional)",
                                  help_text="Without one, planning stops on a fixed amount of work (about "
                                            "18 s for eight workers).")

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        weeks = mondays(today)
        self.fields["week"].choices = [(w.isoformat(), f"Week of {long_day(w)}") for w in weeks]
        self.fields["week"].initial = weeks[2].isoformat()  # next week

    def params(self) -> dict:
        data = self.cleaned_data
        out = {"week": data["week"]}
        if data.get("seed") is not None:
            out["seed"] = data["seed"]
        if data.get("time_limit") is not None:
            out["time_limit"] = data["time_limit"]
        return out


def _day_choices(days: list[date], blank: str | None = None) -> list[tuple[str, str]]:
    out = [("", blank)] if blank else []
    return out + [(d.isoformat(), short_day(d)) for d in days]


class ReplanForm(forms.Form):
    """A mid-week replan: from a day of the plan, with absences, urgent visits and cancellations."""

    from_day = forms.ChoiceField(label="Replan from", help_text="Visits before this day are history and stay.")
    absent_worker = forms.ChoiceField(label="Worker absent", required=False)
    absent_from = forms.ChoiceField(label="from", required=False)
    absent_to = forms.ChoiceField(label="to", required=False)
    add_child = forms.ChoiceField(label="Urgent visit to", required=False)
    add_type = forms.ChoiceField(label="visit type", required=False,
                                 choices=[(t, TYPE_LABELS.get(t, t)) for t in VISIT_TYPES], initial="home")
    add_by = forms.ChoiceField(label="by", required=False)
    cancel = forms.MultipleChoiceField(label="Cancel visits", required=False,
                                       help_text="The published visits not to make (hold Ctrl to choose several).")

    def __init__(self, *args, days: list[date], workers, children, visits, **kwargs):
        super().__init__(*args, **kwargs)
        self.last_day = days[-1].isoformat()
        self.fields["from_day"].choices = _day_choices(days)
        self.fields["absent_worker"].choices = [("", "nobody")] + list(workers)
        self.fields["absent_from"].choices = _day_choices(days, "the replan's first day")
        self.fields["absent_to"].choices = _day_choices(days, "the end of the plan")
        self.fields["add_child"].choices = [("", "no urgent visit")] + list(children)
        self.fields["add_by"].choices = _day_choices(days, "as soon as possible")
        self.fields["cancel"].choices = list(visits)
        self.fields["cancel"].widget.attrs["size"] = 12

    def clean(self):
        data = super().clean()
        first, last = data.get("absent_from"), data.get("absent_to")
        if first and last and last < first:
            self.add_error("absent_to", "The absence ends before it starts.")
        if first and data.get("from_day") and first < data["from_day"]:
            self.add_error("absent_from", "An absence before the replan's first day is history: choose a later day.")
        if (first or last) and not data.get("absent_worker"):
            self.add_error("absent_worker", "Choose the worker who is absent.")
        if not (data.get("absent_worker") or data.get("add_child") or data.get("cancel")):
            raise forms.ValidationError("Say what changed: a worker absent, an urgent visit or a visit cancelled.")
        return data

    def notation(self) -> dict:
        """The replan's changes in `planner replan`'s notation: from, absent, add, cancel."""
        data = self.cleaned_data
        absent, add = [], []
        if worker := data.get("absent_worker"):
            if data.get("absent_from") or data.get("absent_to"):
                first = data.get("absent_from") or data["from_day"]
                absent.append(f"{worker}:{first}..{data.get('absent_to') or self.last_day}")
            else:
                absent.append(worker)  # from the replan's first day on
        if child := data.get("add_child"):
            add.append(f"{child}:{data.get('add_type') or 'home'}" + (f":{data['add_by']}" if data.get("add_by") else ""))
        return {"from": data["from_day"], "absent": absent, "add": add, "cancel": list(data.get("cancel") or [])}


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=OUTCOMES)
    seen_alone = forms.BooleanField(required=False)


class AuditFilterForm(forms.Form):
    user = forms.ChoiceField(required=False, label="Who")
    action = forms.ChoiceField(required=False, label="What")
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, users: list[str], actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "everyone")] + [(u, u) for u in users]
        self.fields["action"].choices = [("", "every action")] + [(a, a) for a in actions]
