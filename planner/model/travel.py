"""Travel times: the times listed in travel.csv first, else the contract's travel model
(haversine distance, circuity, speed and a fixed overhead); 0 between places under 50 m apart."""

from __future__ import annotations

import math

from planner.model.domain import TRAVEL_MODES, Location, Team, TravelKey, TravelSettings

EARTH_RADIUS_KM = 6371.0
SAME_PLACE_KM = 0.05
PLACE_DECIMALS = 5  # travel.csv's coordinates are compared after rounding to this many decimals


def haversine_km(a: Location, b: Location) -> float:
    """Great-circle distance between two points, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def place_key(lat: float, lon: float) -> tuple[float, float]:
    """A place as travel.csv's times are looked up by: its coordinates rounded to 5 decimals."""
    return round(lat, PLACE_DECIMALS), round(lon, PLACE_DECIMALS)


def travel_key(mode: str, a: Location, b: Location) -> TravelKey:
    """The key of the listed time from a to b by `mode`."""
    return (mode, *place_key(a.lat, a.lon), *place_key(b.lat, b.lon))


def travel_minutes(a: Location, b: Location, mode: str, settings: TravelSettings) -> int:
    """Minutes to travel from a to b by `mode`: the listed time, else the model's; 0 under 50 m."""
    distance = haversine_km(a, b)
    if distance < SAME_PLACE_KM:
        return 0
    if settings.times:
        listed = settings.times.get(travel_key(mode, a, b))
        if listed is not None:
            return listed
    speed = settings.modes[mode]
    return math.ceil(distance * settings.circuity / speed.speed_kmh * 60) + speed.overhead_min


# ---------------------------------------------------------------- the places a team travels between


def team_places(team: Team) -> dict[tuple[float, float], tuple[Location, str]]:
    """Every place the team's workers may travel between, once each (by `place_key`), with
    where it comes from: the office, bases, homes, schools and located appointments."""
    found: dict[tuple[float, float], tuple[Location, str]] = {}

    def add(location: Location, what: str) -> None:
        found.setdefault(place_key(location.lat, location.lon), (location, what))
    add(team.office, "the office (team.toml)")
    for worker in team.workers:
        add(worker.base, f"{worker.id}'s base (workers.csv)")
    for school in team.schools:
        add(school.location, f"school {school.id} (schools.csv)")
    for child in team.children:
        add(child.home, f"{child.id}'s home (children.csv)")
    for appointment in team.appointments:
        if appointment.location is not None:
            add(appointment.location, f"{appointment.worker_id}'s {appointment.kind or 'appointment'} "
                f"on {appointment.date.isoformat()} (appointments.csv)")
    return found


def team_modes(team: Team) -> tuple[str, ...]:
    """The travel modes the team's workers use, in the contract's order."""
    used = {worker.travel_mode for worker in team.workers}
    return tuple(mode for mode in TRAVEL_MODES if mode in used)


def places_without_times(team: Team) -> int:
    """How many of the team's places have some trip, by a mode its workers use, to or from
    another place (50 m or more away) that travel.csv does not list."""
    places = [location for location, _ in team_places(team).values()]
    times, lacking = team.travel.times, set()
    for mode in team_modes(team):
        for i, a in enumerate(places):
            for j, b in enumerate(places[i + 1:], i + 1):
                if haversine_km(a, b) < SAME_PLACE_KM:
                    continue
                if travel_key(mode, a, b) not in times or travel_key(mode, b, a) not in times:
                    lacking.update((i, j))
    return len(lacking)
