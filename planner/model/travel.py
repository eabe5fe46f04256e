"""The contract's travel model: haversine distance, circuity, speed and a fixed overhead."""

from __future__ import annotations

import math

from planner.model.domain import Location, TravelSettings

EARTH_RADIUS_KM = 6371.0
SAME_PLACE_KM = 0.05


def haversine_km(a: Location, b: Location) -> float:
    """Great-circle distance between two points, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def travel_minutes(a: Location, b: Location, mode: str, settings: TravelSettings) -> int:
    """Minutes to travel from a to b by `mode`: ceil(d x circuity / speed x 60) + overhead."""
    distance = haversine_km(a, b)
    if distance < SAME_PLACE_KM:
        return 0
    speed = settings.modes[mode]
    return math.ceil(distance * settings.circuity / speed.speed_kmh * 60) + speed.overhead_min
