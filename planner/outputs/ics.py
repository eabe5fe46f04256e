"""Worker calendars: `calendars/<worker_id>.ics`, one event per visit (RFC 5545).

Each worker's file holds only that worker's visits, for the whole horizon: the
committed week as CONFIRMED events, the look-ahead as TENTATIVE ones. Outlook and
Google Calendar import them; times carry the Europe/London time zone (with its
VTIMEZONE).

An event carries what the visit needs and no more, since phone and cloud calendars keep
and map what they are given: the place by name ("Child's home", the school's name,
"Remote"), never coordinates unless asked for (`with_locations`: "lat,lon place" and a
GEO property), the children by initials and id, the interpreter's language and the joint
partner; not the child's category or anything else of their record.

Every visit has a stable UID built from what identifies it across plans (worker,
visit type, children, ISO week and its order among such visits that week), not from
its day or time. Importing next week's plan, or a re-plan of this one, therefore
updates an event that moved instead of adding a second one; SEQUENCE grows with the
time the file was written so clients accept the update.

Children appear by initials and id unless `full_names`. `visit_event` builds one event
from a visit and `EventStyle`.

A replan's calendars (`replanned`) tell everyone: every visit of the published plan that
left a worker's calendar comes back as a cancellation (its UID, STATUS:CANCELLED, a higher
SEQUENCE), so importing the new file removes the old event in Outlook and Google Calendar;
a visit the replan changed says how and why in its description.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from planner.model.domain import Team
from planner.model.plan import Plan, ReplanNotes, Visit, hhmm
from planner.outputs.views import TYPE_LABELS, child_label, interpreter_language, place_of, worker_label

LONDON = ZoneInfo("Europe/London")
PRODID = "-//planner//children's social work visit planner//EN"
UID_DOMAIN = "visits.planner.invalid"
SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
HOME_PLACE = "Child's home"  # home and creative visits: the place's name, never its address


def visit_uids(visits: list[Visit]) -> dict[Visit, str]:
    """A UID for each visit that survives re-planning as long as the visit stays in its week."""
    groups: dict[tuple, list[Visit]] = defaultdict(list)
    for visit in visits:
        year, week, _ = visit.date.isocalendar()
        groups[(visit.worker_id, visit.visit_type, visit.child_ids, year, week)].append(visit)
    uids = {}
    for (worker_id, visit_type, child_ids, year, week), members in groups.items():
        for number, visit in enumerate(sorted(members, key=lambda v: (v.date, v.start)), start=1):
            identity = f"{worker_id}|{visit_type}|{';'.join(child_ids)}|{year}-W{week:02d}|{number}"
            digest = hashlib.sha256(identity.encode()).hexdigest()[:24]
            uids[visit] = f"visit-{digest}@{UID_DOMAIN}"
    return uids


@dataclass(frozen=True)
class EventStyle:
    """What every event of one writing shares: the names and places shown, the stamp."""

    full_names: bool = False
    with_locations: bool = False  # coordinates in LOCATION and GEO
    now: datetime = SEQUENCE_EPOCH  # DTSTAMP; SEQUENCE grows with it so clients take updates

    @property
    def sequence(self) -> int:
        return int((self.now - SEQUENCE_EPOCH).total_seconds())  # seconds: a replan minutes later is higher


def worker_calendar(team: Team, plan: Plan, worker_id: str, full_names: bool = False,
                    now: datetime | None = None, with_locations: bool = False,
                    replanned: ReplanNotes | None = None) -> Calendar:
    """The calendar of one worker's visits (with a replan's cancellations)."""
    style = EventStyle(full_names, with_locations, now or datetime.now(timezone.utc))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Visits: {worker_label(team, worker_id)}")
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add_component(london_timezone())
    visits = plan.visits_of(worker_id)
    uids = visit_uids(visits)
    changed = _changes_by_visit(replanned)
    for visit in visits:
        calendar.add_component(visit_event(team, visit, uids[visit], style, note=changed.get(visit)))
    if replanned is not None:
        kept = set(uids.values())
        for visit, uid in visit_uids(replanned.published.visits_of(worker_id)).items():
            if uid not in kept:
                event = visit_event(team, visit, uid, style, status="CANCELLED",
                                    note=changed.get(visit, "Removed by the replan"))
                calendar.add_component(event)
    return calendar


def _changes_by_visit(replanned: ReplanNotes | None) -> dict[Visit, str]:
    """What a replan says of each visit it changed, by the new visit (and a removed one by the old)."""
    notes: dict[Visit, str] = {}
    for change in replanned.changes if replanned else ():
        text = f"Changed by the replan ({change.kind}): {change.why}"
        for visit in (change.now, change.was):
            if visit is not None:
                notes.setdefault(visit, text)
    return notes


def london_timezone() -> Timezone:
    """Europe/London as Outlook writes it: BST from the last Sunday of March, GMT from
    the last Sunday of October."""
    zone = Timezone()
    zone.add("tzid", "Europe/London")
    for part, name, start, offsets, month in (
            (TimezoneDaylight(), "BST", datetime(1970, 3, 29, 1), (0, 1), 3),
            (TimezoneStandard(), "GMT", datetime(1970, 10, 25, 2), (1, 0), 10)):
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        part.add("tzoffsetto", timedelta(hours=offsets[1]))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(part)
    return zone


def visit_event(team: Team, visit: Visit, uid: str, style: EventStyle, status: str | None = None,
                note: str | None = None) -> Event:
    """One visit as an event; `status` defaults to CONFIRMED (committed) or TENTATIVE (look-ahead);
    `note` (a replan's word on the visit) ends the description."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", style.now)
    event.add("sequence", style.sequence)
    event.add("dtstart", _at(visit.date, visit.start))
    event.add("dtend", _at(visit.date, visit.end))
    children = ", ".join(child_label(team.child(c), style.full_names) for c in visit.child_ids)
    kind = TYPE_LABELS.get(visit.visit_type, visit.visit_type.capitalize())
    joint = " (joint)" if visit.joint_with else ""
    cancelled = "Cancelled: " if status == "CANCELLED" else ""
    event.add("summary", f"{cancelled}{kind} visit{joint}: {children}")
    location, place = place_of(team, visit)
    if visit.visit_type in ("home", "creative"):
        place = HOME_PLACE
    if location is not None and style.with_locations:
        event.add("location", f"{location.lat:.6f},{location.lon:.6f} {place}")
        event.add("geo", (location.lat, location.lon))
    else:
        event.add("location", place)
    event.add("description", _description(team, visit, style.full_names) + (f"\n{note}" if note else ""))
    event.add("categories", [kind])
    event.add("status", status or ("CONFIRMED" if visit.committed else "TENTATIVE"))
    event.add("transp", "OPAQUE")
    event.add("class", "PRIVATE")
    return event


def _description(team: Team, visit: Visit, full_names: bool) -> str:
    lines = [f"Visit type: {visit.visit_type}",
             f"Time: {hhmm(visit.start)}-{hhmm(visit.end)} ({visit.end - visit.start} min)"]
    for child_id in visit.child_ids:
        lines.append(f"Child: {child_label(team.child(child_id), full_names)}")
    language = interpreter_language(team, visit)
    lines.append(f"Interpreter: book one ({language})" if language else "Interpreter: not needed")
    if visit.joint_with:
        lines.append(f"Joint visit with: {worker_label(team, visit.joint_with)}")
    if visit.travel_minutes:
        lines.append(f"Travel before: {visit.travel_minutes} min")
    lines.append("Committed (this week)" if visit.committed else "Look-ahead (may change)")
    return "\n".join(lines)


def _at(day, minutes: int) -> datetime:
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=LONDON)


def write_calendars(team: Team, plan: Plan, folder: Path, full_names: bool = False,
                    with_locations: bool = False, replanned: ReplanNotes | None = None,
                    now: datetime | None = None) -> list[Path]:
    """Write `<worker_id>.ics` for every worker of the team into `folder` (stamped `now`, default the clock)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    paths = []
    for worker in team.workers:
        path = folder / f"{_safe_file_name(worker.id)}.ics"
        path.write_bytes(worker_calendar(team, plan, worker.id, full_names, now, with_locations,
                                         replanned).to_ical())
        paths.append(path)
    return paths


def _safe_file_name(worker_id: str) -> str:
    name = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in worker_id).lstrip(".")
    return name or "worker"
