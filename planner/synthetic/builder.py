"""Drawing a team: workers, schools, diaries, households and their due dates, kept feasible."""


import math
import random
from collections import Counter
from datetime import date, timedelta

from planner.synthetic.area import (AFTER_SCHOOL_SHARE, AGE_WEIGHTS, BOROUGH_BOX, CATEGORY_SHARES, CIRCUITY,
                                    COURT, EXTRA_CHILD_MINUTES, HERITAGE, HOME_MINUTES, HORIZON_WEEKS,
                                    INTERPRETER_FACTOR, INTERVAL_WD, LANGUAGE_HERITAGE, LANGUAGE_SHARE,
                                    LUNCH_MINUTES, MAX_TRAVEL_MINUTES, NEIGHBOURHOODS, OFFICE,
                                    PLACEMENT_BEARINGS, RECORDING_MINUTES, ROUTING_CATEGORY_SHARES, SCHOOLS,
                                    SIBLING_SHARE, SIBLING_WEIGHTS, SPEEDS, WEEKDAYS, WORKER_PATTERNS,
                                    clock_minutes, destination, distance_km, model_travel, wd_index, wd_shift)
from planner.synthetic.records import Appointment, Child, Household, School, Worker


class Builder:
    """Draws one synthetic team from a seeded random generator."""

    def __init__(self, rng: random.Random, week: date, routing_subset: bool):
        self.rng = rng
        self.week = week
        self.routing = routing_subset
        self.days = [week + timedelta(days=i) for i in range(7 * HORIZON_WEEKS) if i % 7 < 5]
        self.used_names: set[str] = set()
        self.workers: list[Worker] = []
        self.schools: list[School] = []
        self.households: list[Household] = []
        self.appointments: list[Appointment] = []
        self.budget: dict[str, int] = {}

    # ---- people and places

    def _heritage(self, prefer: str | None = None) -> str:
        """A heritage: `prefer` with some chance, else drawn by weight."""
        if prefer and self.rng.random() < 0.35:
            return prefer
        names = list(HERITAGE)
        return self.rng.choices(names, weights=[HERITAGE[n][0] for n in names])[0]

    def _full_name(self, heritage: str, surname: str | None = None) -> str:
        """A first name and surname not used before in this team."""
        _, (boys, girls), surnames, _ = HERITAGE[heritage]
        for _ in range(50):
            first = self.rng.choice(boys if self.rng.random() < 0.5 else girls)
            name = f"{first} {surname or self.rng.choice(surnames)}"
            if name not in self.used_names:
                break
        self.used_names.add(name)
        return name

    def _borough_point(self) -> tuple[float, float]:
        """A random home in the borough, near one of its neighbourhoods."""
        _, lat, lon, _ = self.rng.choices(NEIGHBOURHOODS, weights=[n[3] for n in NEIGHBOURHOODS])[0]
        lat_min, lat_max, lon_min, lon_max = BOROUGH_BOX
        lat = min(lat_max, max(lat_min, lat + self.rng.gauss(0, 0.0025)))
        lon = min(lon_max, max(lon_min, lon + self.rng.gauss(0, 0.004)))
        return round(lat, 5), round(lon, 5)

    def make_workers(self, n: int) -> None:
        """Workers W01.. following the patterns, with names and (outside the routing subset) leave."""
        for i in range(n):
            days_text, start, end, mode, languages, cap = WORKER_PATTERNS[i % len(WORKER_PATTERNS)]
            spoken = [lang for lang in languages.split(";") if lang != "English"]
            heritage = LANGUAGE_HERITAGE[spoken[0]] if spoken else self._heritage()
            days = tuple(range(5)) if days_text == "Mon-Fri" else \
                tuple(WEEKDAYS.index(d) for d in days_text.split(";"))
            self.workers.append(Worker(f"W{i + 1:02d}", self._full_name(heritage), days_text, days,
                                       clock_minutes(start), clock_minutes(end), mode, tuple(languages.split(";")),
                                       cap))
        if not self.routing:
            full_time = [w for w in self.workers if len(w.days) == 5]
            n_leave = 2 if n >= 4 else 1
            for w in self.rng.sample(full_time, min(n_leave, len(full_time))):
                w.leave.add(self.rng.randrange(len(self.days)))

    def make_schools(self) -> None:
        """Nine schools near neighbourhood centres, with their hours."""
        for i, (name, phase, where) in enumerate(SCHOOLS):
            _, lat, lon, _ = NEIGHBOURHOODS[where]
            start = self.rng.choice(("08:45", "08:50", "08:55"))
            end = self.rng.choice(("15:15", "15:20") if phase == "primary" else ("15:20", "15:25", "15:30"))
            self.schools.append(School(f"S{i + 1:02d}", name, phase,
                                       round(lat + self.rng.uniform(-0.002, 0.002), 5),
                                       round(lon + self.rng.uniform(-0.003, 0.003), 5),
                                       clock_minutes(start), clock_minutes(end)))

    def _school_for(self, age: int, loc: tuple[float, float]) -> School | None:
        """A near school of the right phase for a child of school age (5-16), else None."""
        if not 5 <= age <= 16:
            return None
        phase = "primary" if age <= 10 else "secondary"
        near = sorted((s for s in self.schools if s.phase == phase), key=lambda s: distance_km(loc, (s.lat, s.lon)))
        return near[1] if len(near) > 1 and self.rng.random() < 0.3 else near[0]

    def _ages(self, category: str, size: int, school_age: bool) -> list[int]:
        """Ages of the children of one household, eldest first (no pupils unless `school_age`)."""
        if category == "CL":
            return [self.rng.randint(18, 21)]
        allowed = [a for a in range(18) if school_age or not 5 <= a <= 16]
        weights = [AGE_WEIGHTS[category][a] or (0 if school_age else 1) for a in allowed]
        for _ in range(100):
            ages = sorted((self.rng.choices(allowed, weights=weights)[0] for _ in range(size)), reverse=True)
            if ages[0] - ages[-1] <= 12 and (len(set(ages)) == len(ages) or self.rng.random() < 0.1):
                break
        return ages

    def _dob(self, age: int) -> date:
        """A date of birth giving `age` on the first day of the horizon."""
        back = self.rng.randint(14 if age == 0 else 0, 364)
        birthday = self.week - timedelta(days=back)
        year = birthday.year - age
        if birthday.month == 2 and birthday.day == 29:
            return date(year, 2, 28)
        return birthday.replace(year=year)

    # ---- appointments (drawn before the caseload, so that due dates can avoid them)

    def make_appointments(self) -> None:
        """Leave, team meetings, court, conference, core group, training and supervision."""
        if self.routing:
            return
        for w in self.workers:
            self.appointments += [Appointment(w, i, "", "", "leave") for i in sorted(w.leave)]
        for i, d in enumerate(self.days):
            if d.weekday() == 1:
                for w in self.workers:
                    self._book(w, i, "11:30", "13:00", "team_meeting")
        scale = len(self.workers) / 8
        self._book_some("court", max(1, round(2 * scale)), (("10:00", "13:00"), ("10:00", "12:30")),
                        COURT, ("CP", "LAC"))
        self._book_some("conference", max(1, round(scale)), (("10:00", "12:00"), ("12:30", "14:30")),
                        None, ("CP",))
        if len(self.workers) >= 4:
            self._book_some("core_group", 1, (("13:00", "14:00"),), None, ("CP", "school"))
        training_day = self.rng.choice([i for i, d in enumerate(self.days) if d.weekday() != 1])
        early = [w for w in self.workers if w.start <= clock_minutes("09:30")]
        for w in self.rng.sample(early, min(3, len(early))):
            self._book(w, training_day, "09:30", "12:30", "training")
        options = (("10:00", "11:00"), ("11:30", "12:30"), ("13:00", "14:00"), ("13:30", "14:30"),
                   ("13:00", "14:30"))
        for w in self.workers:
            tries = [(i, o) for i in range(len(self.days)) for o in options]
            self.rng.shuffle(tries)
            for i, (start, end) in tries:
                if self._book(w, i, start, end, "supervision"):
                    break

    def _book(self, w: Worker, i: int, start: str, end: str, kind: str, loc=None, about=()) -> bool:
        """Book an appointment if the worker is free then, with at most one besides the team meeting."""
        s, e = clock_minutes(start), clock_minutes(end)
        travel = model_travel(OFFICE, loc, w.mode) if loc else 0
        if self.days[i].weekday() not in w.days or i in w.leave or s - travel < w.start or e + travel > w.end:
            return False
        same_day = [a for a in self.appointments if a.worker is w and a.day == i]
        if any(s < clock_minutes(a.end) + 45 and clock_minutes(a.start) < e + 45 for a in same_day):
            return False
        if kind != "team_meeting" and any(a.kind != "team_meeting" for a in same_day):
            return False
        self.appointments.append(Appointment(w, i, start, end, kind, loc, about))
        return True

    def _book_some(self, kind: str, count: int, times, loc, about) -> None:
        """Book `count` appointments of a kind for different workers, the least busy first, on random days."""
        workers = list(self.workers)
        self.rng.shuffle(workers)
        workers.sort(key=lambda w: sum(a.worker is w and a.kind != "team_meeting" for a in self.appointments)
                     / len(w.days))
        booked = 0
        for w in workers:
            start, end = self.rng.choice(times)
            days = list(range(len(self.days)))
            self.rng.shuffle(days)
            if booked < count and any(self._book(w, i, start, end, kind, loc, about) for i in days):
                booked += 1

    def _capacity(self, w: Worker) -> dict[str, list[int]]:
        """Rough visits the worker can make each day: after school, in school hours, and whole-day trips."""
        after, daytime, trip = [], [], []
        for i, d in enumerate(self.days):
            works = d.weekday() in w.days and i not in w.leave
            mine = [a for a in self.appointments if a.worker is w and a.day == i]
            after.append(w.after_school_per_day() if works else 0)
            daytime.append(min(w.daytime_per_day(), self._daytime_visits(w, mine)) if works else 0)
            trip.append(1 if works and not mine else 0)
        return {"after": after, "day": daytime, "trip": trip}

    @staticmethod
    def _daytime_visits(w: Worker, appointments: list[Appointment]) -> int:
        """Hour-long visits (with 20 minutes' travel each way) that fit between the day's appointments."""
        end = w.end if not w.after_school_per_day() else clock_minutes("15:15")
        busy = sorted((clock_minutes(a.start) - (30 if a.loc else 20), clock_minutes(a.end) + (30 if a.loc else 20))
                      for a in appointments)
        visits, free_from = 0, w.start
        for a, b in busy + [(end, end)]:
            visits += max(0, (min(a, end) - free_from - 20) // 80)
            free_from = max(free_from, b)
        return visits

    # ---- households

    def plan_households(self, children_per_worker: int) -> list[tuple[Worker, str, int, str]]:
        """Categories dealt from a shuffled team deck, grouped into households with roles."""
        total = len(self.workers) * children_per_worker
        shares = ROUTING_CATEGORY_SHARES if self.routing else CATEGORY_SHARES
        quotas = [(c, total * p) for c, p in shares]
        counts = {c: int(q) for c, q in quotas}
        by_remainder = sorted(quotas, key=lambda cq: cq[1] - int(cq[1]), reverse=True)
        for c, _ in by_remainder[: total - sum(counts.values())]:
            counts[c] += 1
        deck = [c for c, _ in shares for _ in range(counts[c])]
        self.rng.shuffle(deck)
        plans = []
        for k, w in enumerate(self.workers):
            dealt = deck[k * children_per_worker:(k + 1) * children_per_worker]
            units = self._sibling_groups(w, Counter(dealt))
            self.rng.shuffle(units)
            plans += units
        roles = [""] * len(plans)
        singles = {c: [i for i, (_, cat, size) in enumerate(plans) if cat == c and size == 1]
                   for c in ("CP", "LAC")}
        self.rng.shuffle(singles["CP"])
        self.rng.shuffle(singles["LAC"])
        n_lac = sum(size for _, cat, size in plans if cat == "LAC")
        for i in singles["LAC"][: max(1 if n_lac >= 5 else 0, round(0.1 * n_lac))]:
            roles[i] = "out"
        if not self.routing:
            scale = len(self.workers) / 8
            for i in [i for i in singles["LAC"] if not roles[i]][: max(1, round(1.5 * scale))]:
                roles[i] = "new"
            n_every5 = max(1, round(2 * scale))
            for i in singles["CP"][:n_every5]:
                roles[i] = "every5"
            if len(singles["CP"]) > n_every5:
                roles[singles["CP"][n_every5]] = "overdue"
            if len(self.workers) >= 2:
                cp_units = [i for i, (_, cat, _) in enumerate(plans) if cat == "CP" and not roles[i]]
                self.rng.shuffle(cp_units)
                for i in cp_units[: max(1, round(3 * scale))]:
                    roles[i] = "joint"
        return [(w, cat, size, roles[i]) for i, (w, cat, size) in enumerate(plans)]

    def _sibling_groups(self, w: Worker, counts: Counter) -> list[tuple[Worker, str, int]]:
        """A worker's households: about SIBLING_SHARE of the children in groups of 2-3, the rest alone."""
        units = []
        left = 0 if self.routing else int(SIBLING_SHARE * sum(counts.values()) + 0.5)
        while left >= 2:
            size = 3 if left >= 3 and self.rng.random() < 0.3 else 2
            options = [c for c in SIBLING_WEIGHTS if counts[c] >= size]
            if not options:
                break
            category = self.rng.choices(options, weights=[SIBLING_WEIGHTS[c] for c in options])[0]
            units.append((w, category, size))
            counts[category] -= size
            left -= size
        for category, _ in CATEGORY_SHARES:
            units += [(w, category, 1)] * counts[category]
        return units

    def _fits(self, w: Worker, loc: tuple[float, float], minutes: int,
              window: tuple[int, int] | None, school_end: int | None) -> bool:
        """Whether a home visit fits in a day of the worker (after school if `school_end`)."""
        lo = w.start + model_travel(OFFICE, loc, w.mode)
        hi = w.end - model_travel(loc, OFFICE, w.mode)
        if window:
            lo, hi = max(lo, window[0]), min(hi, window[1])
        if school_end is not None:
            lo = max(lo, school_end)
        return lo + minutes <= hi - 10  # ten minutes to spare

    def _need(self, h: Household) -> list[tuple[str, int, int]] | None:
        """What one round of the household's visits takes: (day resource, visits, units a visit).

        Resources: "trip" (a whole day), "after" (after school, or in a late home window),
        "day" (in school hours or an early home window), "any". A daytime visit of more
        than 75 minutes takes two units. None when a visit cannot fit in a day.
        """
        if h.role == "out":
            return [("trip", 1, 1)]
        pupils = [c for c in h.children if c.school]
        factor = INTERPRETER_FACTOR if h.language and h.language not in h.worker.languages else 1.0
        if h.category == "CIN":  # pupils seen at school, the others at home
            need = [("day", len(pupils), 1)] if pupils else []
            others = [c for c in h.children if not c.school]
            home = self._home_need(h, others, factor) if others else []
            return None if home is None else need + home
        return self._home_need(h, h.children, factor)

    def _home_need(self, h: Household, children: list[Child],
                   factor: float) -> list[tuple[str, int, int]] | None:
        """Home visits to some children of a household: together if it fits, else one by one."""
        pupils = [c for c in children if c.school]
        late = bool(pupils) or bool(h.window and h.window[0] >= clock_minutes("15:00"))
        kind = "after" if late else "day" if h.window and h.window[1] <= clock_minutes("15:30") else "any"
        together = math.ceil((HOME_MINUTES + EXTRA_CHILD_MINUTES * (len(children) - 1)) * factor)
        if self._fits(h.worker, h.loc, together, h.window, max((c.school.end for c in pupils), default=None)):
            return [(kind, 1, 1 if together <= 75 or late else 2)]
        one = math.ceil(HOME_MINUTES * factor)
        if all(self._fits(h.worker, h.loc, one, h.window, c.school.end if c.school else None)
               for c in children):
            return [(kind, len(children), 1 if one <= 75 or late else 2)]
        return None

    def _first_due(self, h: Household) -> int:
        """Draw the last-seen (or plan start) date of a household; return its deadline index."""
        if h.role == "new":
            h.plan_start = wd_shift(self.week, -self.rng.randint(1, 5))
            return wd_index(self.week, h.plan_start + timedelta(days=7))
        if h.role == "every5":
            h.last_seen = wd_shift(self.week, -self.rng.randint(1, 4))
            return wd_index(self.week, wd_shift(h.last_seen, 5))
        interval = INTERVAL_WD[h.category]
        if h.role == "overdue":
            back = interval + self.rng.randint(1, 2)
        elif h.category == "CP":
            back = self.rng.randint(1, len(self.days))
        else:
            back = self.rng.randint(1, interval)
        h.last_seen = wd_shift(self.week, -back)
        return interval - back

    def make_household(self, number: int, w: Worker, category: str, size: int, role: str) -> Household:
        """One household of `size` children of a category, fitted to its worker's hours."""
        h = Household(f"H{number:04d}", w, category, role)
        spoken = [lang for lang in w.languages if lang != "English"]
        h.heritage = self._heritage(LANGUAGE_HERITAGE[spoken[0]] if spoken else None)
        if w.wid not in self.budget:
            self.budget[w.wid] = int(AFTER_SCHOOL_SHARE * sum(self._capacity(w)["after"]))
        for attempt in range(12):
            school_age = attempt < 10 and not role  # special households have no pupils
            ages = self._ages(category, size, school_age)
            h.lat, h.lon = self._placement(w) if role == "out" else self._borough_point()
            schools = [None if role == "out" else self._school_for(a, h.loc) for a in ages]
            h.language = self._language(h.heritage)
            h.window = self._window(w, category, ages, h.loc)
            h.children = [Child("", "", date.min, a, s) for a, s in zip(ages, schools)]
            h.last_seen = h.plan_start = None
            due = self._first_due(h)
            need = self._need(h)
            if need is None and h.language and attempt >= 5:
                h.language = ""  # no interpreter then: the visit is shorter
                need = self._need(h)
            demand = sum(n for kind, n, _ in need or () if kind == "after") if due < len(self.days) else 0
            if need is not None and demand <= self.budget[w.wid]:
                break
        self.budget[w.wid] -= demand
        for c in h.children:
            c.dob = self._dob(c.age)
        return h

    def _placement(self, w: Worker) -> tuple[float, float]:
        """An out-of-borough placement 15-35 km away, reachable there and back in a day
        (with the policy's lunch break, recording time and daily travel cap, where on)."""
        one_way = (w.end - w.start - HOME_MINUTES * INTERPRETER_FACTOR - 30) / 2
        if not self.routing:
            one_way = min(one_way - (LUNCH_MINUTES + RECORDING_MINUTES) / 2, MAX_TRAVEL_MINUTES / 2)
        speed, overhead = SPEEDS[w.mode]
        reach = (one_way - overhead - 1) / 60 * speed / CIRCUITY
        low, high = self.rng.choice(PLACEMENT_BEARINGS)
        km = self.rng.uniform(15.0, max(15.0, min(35.0, reach)))
        lat, lon = destination(OFFICE, self.rng.uniform(low, high), km)
        return round(lat, 5), round(lon, 5)

    def _language(self, heritage: str) -> str:
        """The family's preferred language, if not English."""
        languages = HERITAGE[heritage][3]
        if self.routing or not languages or self.rng.random() >= LANGUAGE_SHARE:
            return ""
        return self.rng.choice(languages)

    def _window(self, w: Worker, category: str, ages: list[int],
                loc: tuple[float, float]) -> tuple[int, int] | None:
        """A home window for some households, only where a visit still fits in it."""
        if self.routing:
            return None
        r = self.rng.random()
        if category == "CL":
            window = (clock_minutes("12:00"), clock_minutes("19:00")) if r < 0.3 else None
        elif all(a < 5 for a in ages):
            window = (clock_minutes("09:30"), clock_minutes("15:00")) if r < 0.2 else None
        elif any(5 <= a <= 16 for a in ages) and w.end >= clock_minutes("18:00"):
            window = (clock_minutes("16:00"), clock_minutes("19:00")) if r < 0.25 else None
        else:
            window = None
        if window and not self._fits(w, loc, HOME_MINUTES + 30, window, None):
            return None
        return window

    # ---- due dates

    def _due(self, h: Household) -> int:
        """Deadline index of the household's first `seen` due date (negative when overdue)."""
        if h.last_seen is None:
            return wd_index(self.week, h.plan_start + timedelta(days=7))
        every = 5 if h.role == "every5" else INTERVAL_WD[h.category]
        return wd_index(self.week, wd_shift(h.last_seen, every))

    def spread_due_dates(self) -> None:
        """Earliest deadline first over the team: move last dates later until every due visit has a day.

        Each worker has, per day, a few after-school visits, a few visits in school hours
        and possibly a whole-day trip (see `_capacity`); a joint visit takes a daytime
        visit of a second worker too. A household whose visit only finds a day after its
        deadline has its last date moved later by the difference.
        """
        free = {w.wid: self._capacity(w) for w in self.workers}
        last = len(self.days) - 1
        queue = sorted(((self._due(h), n, h, 0, False) for n, h in enumerate(self.households)
                        if self._due(h) <= last), key=lambda item: item[:2])  # the overdue first
        while queue:
            deadline, n, h, release, repeat = queue.pop(0)
            deadline = max(deadline, 0)
            days = [self._take(free, h, kind, release, size) for kind, visits, size in self._need(h)
                    for _ in range(visits)]
            if None in days:
                if h.category != "CP" and not repeat:
                    self._shift(h, len(self.days) - deadline)  # no room: due after the horizon
                continue
            day = max(days)
            if day > deadline and not repeat and h.role != "overdue":
                self._shift(h, day - deadline)
            if h.role == "every5" and day + 5 <= last:
                queue.append((day + 5, n, h, day + 1, True))
                queue.sort(key=lambda item: item[:2])

    def _shift(self, h: Household, n: int) -> None:
        """Move the household's reference date (last seen, or plan start) n working days later."""
        if h.last_seen is None:  # a new placement: it stays in the past
            h.plan_start = min(wd_shift(h.plan_start, n), self.week - timedelta(days=1))
        else:
            h.last_seen = wd_shift(h.last_seen, n)

    def _take(self, free: dict, h: Household, kind: str, release: int, size: int) -> int | None:
        """Take `size` units of `kind` on the first day from `release` that has them; the day, or None."""
        mine = free[h.worker.wid]
        for i in range(release, len(self.days)):
            if kind == "trip":
                if mine["trip"][i]:
                    mine["trip"][i] = mine["day"][i] = mine["after"][i] = 0
                    return i
                continue
            if kind == "after":
                pool, size = "after", 1
            else:
                pool = "after" if kind == "any" and mine["day"][i] < size else "day"
                size = 1 if pool == "after" else size
            if mine[pool][i] < size:
                continue
            if h.role == "joint":
                partners = [w for w in self.workers if w is not h.worker and free[w.wid][pool][i] >= size]
                if not partners:
                    continue
                partner = max(partners, key=lambda w: (free[w.wid][pool][i], -self.workers.index(w)))
                free[partner.wid][pool][i] -= size
                free[partner.wid]["trip"][i] = 0
            mine[pool][i] -= size
            mine["trip"][i] = 0
            return i
        return None

    # ---- names and details

    def name_children(self) -> None:
        """Child ids in household order, names sharing the household's surname, and details."""
        number = 0
        for h in self.households:
            surname = self.rng.choice(HERITAGE[h.heritage][2])
            for c in h.children:
                number += 1
                c.cid = f"C{number:04d}"
                c.name = self._full_name(h.heritage, surname if self.rng.random() < 0.85 else None)
                self._details(h, c)
            if self.routing:
                h.hid = f"H{number:04d}"
            elif h.plan_start is None and h.last_seen and h.category != "CL":
                youngest = min(c.dob for c in h.children)
                start = wd_shift(h.last_seen, -self.rng.randint(15, 300))
                h.plan_start = max(start, wd_shift(youngest, 5))

    def _details(self, h: Household, c: Child) -> None:
        """Priorities, visit_every and which last dates are known for one child."""
        if h.role == "every5":
            c.visit_every = "5 working days"
        if self.routing:
            return
        c.last_alone = c.age >= 8 and h.category != "CL" and self.rng.random() < 0.6
        if h.category == "CIN" and c.school and self.rng.random() < 0.4:
            c.last_home_offset = self.rng.randint(10, 30)
        school = self.rng.choice("23") if c.school and self.rng.random() < 0.08 else ""
        creative = self.rng.choice("23") if c.age >= 8 and self.rng.random() < 0.08 else ""
        remote = self.rng.choice("12") if c.age >= 13 and self.rng.random() < 0.25 else ""
        c.priorities = (school, creative, remote)

    def attach_children(self) -> None:
        """Name the child each court hearing, conference and core group is about (a core group at school)."""
        for a in self.appointments:
            if not a.about:
                continue
            mine = [(h, c) for h in self.households if h.worker is a.worker for c in h.children]
            wanted = [(h, c) for h, c in mine
                      if h.category in a.about and ("school" not in a.about or c.school)]
            if "school" in a.about:
                wanted = wanted or [(h, c) for h, c in mine if c.school]
            _, child = self.rng.choice(wanted or mine)
            a.child = child.cid
            if "school" in a.about and child.school:
                a.loc = (child.school.lat, child.school.lon)

