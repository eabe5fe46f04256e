"""Feasible day routes of one worker: every order of up to `max_visits` candidate visits
that fits the day (rule 1: base, travel, appointments, working hours), cheapest first.

A route starts at the worker's base, takes the day's visits and appointments in time
order and ends at the base. Each visit starts as early as it can (for a fixed order that
is optimal: nothing in a day rewards finishing later), so one depth-first search over
orders finds every feasible set of visits; for each set only its least-travel order is
kept. Remote visits have no place: the worker stays where they are.

The search's hot path (`_DaySearch._extend` and what it calls) is also compiled, in
`_routes.cpp`, built by `pip install` where a C++ compiler is found: the same steps in the
same order and the same floating-point sums, so the same routes and step counts, about
20 times faster a step. This module prepares every input either way and stays the reference; it
searches in Python where the extension is not built, or with `PLANNER_ROUTES=python`.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from constraints import working_time
from planner.solve.candidates import DayContext, FixedItem, Task, WorkerDay

BASE = 0
MASK_WORDS = (1, 2, 4, 8)  # the compiled search's bit masks: up to 512 visits a day
UNLIMITED = 1 << 62  # the compiled search's steps where the Python search has no limit


def _load_kernel():
    """The compiled search (`_routes`), unless `PLANNER_ROUTES=python` asks for the Python
    one or it was not built; `PLANNER_ROUTES=compiled` requires it."""
    choice = os.environ.get("PLANNER_ROUTES", "").strip().lower()
    if choice == "python":
        return None
    try:
        from planner.solve import _routes
    except ImportError:
        if choice == "compiled":
            raise
        return None
    return _routes


KERNEL = _load_kernel()


def search_kind() -> str:
    """Which day-route search runs: "compiled" or "python"."""
    return "python" if KERNEL is None else "compiled"


@dataclass(frozen=True)
class Stop:
    """A visit at its time in a route, with the travel that leads to it."""

    task: Task
    start: int
    end: int
    travel: int


@dataclass(frozen=True)
class Route:
    """A worker's whole day: the visits it makes and the day's total travel."""

    worker_id: str
    day: date
    stops: tuple[Stop, ...]
    travel: int

    @property
    def task_keys(self) -> tuple[str, ...]:
        return tuple(stop.task.key for stop in self.stops)


def route_key(route: Route) -> tuple:
    """What makes two routes the same: the worker-day and the set of visits (a set's route
    is its least-travel order, so the order adds nothing)."""
    return route.worker_id, route.day, frozenset(route.task_keys)


class RoutePool:
    """Routes without repeats (`route_key`), in the order first added."""

    def __init__(self, routes: list[Route] = ()) -> None:
        self.routes: list[Route] = []
        self._keys: set = set()
        for route in routes:
            self.add(route)

    def add(self, route: Route) -> bool:
        """Add `route` unless the pool has it; whether it was added."""
        key = route_key(route)
        if key in self._keys:
            return False
        self._keys.add(key)
        self.routes.append(route)
        return True


class _DaySearch:
    """Depth-first search over the orders of one worker-day's visits.

    With `gains` (what each visit is worth to the current master solution) it only
    follows orders that could still beat `floor` on gain minus travel, and keeps the
    `keep` best sets: the pricing step of column generation. A search stopped by its
    `nodes` limit keeps in `frontier` the best score a route it did not reach could have,
    so that `most()` bounds the score of every route of the day (`planner.solve.bound`).
    """

    def __init__(self, instance: DayContext, worker_day: WorkerDay, gains: dict[str, float] | None = None,
                 floor: float = float("-inf"), keep: int | None = None, nodes: int | None = None,
                 every_visit: bool = False):
        self.worker = worker_day.worker
        self.worker_day = worker_day
        self.cap = instance.max_visits(self.worker)
        self.floor, self.keep = floor, keep
        self.nodes_left = float("inf") if nodes is None else nodes
        self.pruning = gains is not None
        tasks = list(worker_day.tasks)
        if gains is not None:
            # A visit that gains nothing cannot improve a route: leaving it out saves travel.
            tasks = sorted((t for t in tasks if every_visit or gains.get(t.key, 0.0) > 1e-9),
                           key=lambda t: -gains.get(t.key, 0.0))
        self.tasks = tasks
        self.gain = [0.0 if gains is None else gains.get(t.key, 0.0) for t in tasks]
        self.appointments = worker_day.appointments
        table = instance.travel_table(worker_day)
        self.task_place = [table.place(t.location) for t in tasks]
        self.travel = table.matrix
        self.appointment_place = list(range(1, 1 + len(self.appointments)))
        self.durations = [t.duration for t in tasks]
        self.windows = [t.windows for t in tasks]
        # travel from each place to each appointment's place, by appointment
        self.next_appointment_travel = [[row[there] for row in self.travel] for there in self.appointment_place]
        self.clashes = _clash_masks(instance, tasks)
        # The working-time settings (policy keys, off by default): a lunch break, recording
        # time per visit, a cap on the day's travel.
        policy = instance.team.policy
        self.lunch = working_time.lunch_of(self.worker, policy)
        self.recording = policy.recording_minutes
        self.max_travel = policy.max_travel_minutes_per_day
        self.working_time_set = self.lunch is not None or self.recording > 0 or self.max_travel is not None
        self.recording_room = (working_time.recording_room(self.worker, policy, self.appointments)
                               if self.recording else 0)
        if self.pruning:  # only a pruned search (pricing) bounds what more visits can add
            self._completion_order()
        self.best: dict[int, tuple[int, float, tuple, int]] = {}  # visits -> travel, gain, stops, lateness
        self.scores: list[float] = []  # a min-heap of the best `keep` scores recorded
        self.frontier = float("-inf")
        self.found: float | None = None  # the compiled search's best score recorded
        self.max_routes: int | None = None  # pruned: more routes than this are not returned
        self.too_many = False  # the pruned search found more than `max_routes`
        self._stop = stop_maker(self.tasks.__getitem__)  # (index, start, end, leg) -> Stop

    def _completion_order(self) -> None:
        """What `_rest` reads to bound the most more visits can add to a route.

        Each visit adds its gain less the least travel that can lead to its place (`net`:
        none where the base, an appointment or a visit it may follow is at the same place);
        visits of one type to the same children exclude one another, so each such group
        counts once. `by_net` lists the visits, best net first, for `_rest`.
        """
        sources = {BASE, *self.appointment_place}
        places: dict[int, list[int]] = {}
        for index, there in enumerate(self.task_place):
            if there is not None:
                places.setdefault(there, []).append(index)
        every = set(sources) | set(places)
        self.net, self.group, self.minutes = [], [], []
        groups: dict[tuple, int] = {}
        for index, task in enumerate(self.tasks):
            there = self.task_place[index]
            shared = there is None or there in sources or any(
                not self.clashes[index] >> other & 1 for other in places[there])
            least = 0 if shared else min((self.travel[p][there] for p in every if p != there), default=0)
            self.net.append(self.gain[index] - least)
            self.minutes.append(task.duration + least)
            self.group.append(groups.setdefault((task.visit_type, task.child_ids), len(groups)))
        self.by_net = sorted((i for i in range(len(self.tasks)) if self.net[i] > 0), key=lambda i: -self.net[i])
        self.last_start = [max(high for _, high in task.windows) for task in self.tasks]
        # For pruning: the most any k more visits can add (the best k nets), whatever the
        # route holds. (`_rest` is tighter, but the search's steps go further with this one:
        # over the step limit, the routes it finds make better plans.)
        least = [0 if there is None else min((row[there] for p, row in enumerate(self.travel) if p != there),
                                             default=0) for there in self.task_place]
        loose = sorted((self.gain[i] - least[i] for i in range(len(self.tasks))), reverse=True)
        self.best_more = [0.0]
        for value in loose[: self.cap]:
            self.best_more.append(self.best_more[-1] + max(0.0, value))
        self.best_more += [self.best_more[-1]] * (self.cap + 1 - len(self.best_more))
        self.by_rate = sorted(self.by_net, key=lambda i: -self.net[i] / max(1, self.minutes[i]))
        self.recorded = [m + self.recording for m in self.minutes]
        self.by_rate_recorded = sorted(self.by_net, key=lambda i: -self.net[i] / max(1, self.recorded[i]))
        self.day_end = max([self.worker.end] + [item.end for item in self.appointments])

    def _rest(self, count: int, used: int, clock: int, longest: int | None) -> float:
        """The most `count` more visits can add to a partial route holding `used` at `clock`: the
        best nets, a group's once, of the visits that may still follow (no clash, a start still ahead, not
        longer than the time left)."""
        total, taken, groups = 0.0, 0, set()
        clashes, last_start, tasks, group = self.clashes, self.last_start, self.tasks, self.group
        for index in self.by_net:
            if used & clashes[index] or last_start[index] < clock or group[index] in groups:
                continue
            if longest is not None and tasks[index].duration > longest:
                continue
            groups.add(group[index])
            total += self.net[index]
            taken += 1
            if taken == count:
                break
        return total

    def _rest_in_time(self, used: int, clock: int, room: int | None) -> float:
        """The most more visits can add to a partial route holding `used` at `clock` in the
        minutes left of the day, and (with recording time) in the `room` left for visits,
        travel and recording: each visit takes its duration and the least travel to it (and
        its recording), and the best net a minute fill the minutes (the last in part)."""
        most = self._knapsack(self.by_rate, self.minutes, used, clock, self.day_end - clock)
        if room is not None:
            most = min(most, self._knapsack(self.by_rate_recorded, self.recorded, used, clock, room))
        return most

    def _knapsack(self, order: list[int], weights: list[int], used: int, clock: int, left: int) -> float:
        total, clashes, last_start, net = 0.0, self.clashes, self.last_start, self.net
        for index in order:
            if used & clashes[index] or last_start[index] < clock:
                continue
            if weights[index] >= left:
                return total + net[index] * max(0, left) / max(1, weights[index])
            total += net[index]
            left -= weights[index]
        return total

    def most(self) -> float:
        """The best score (gain less travel) of any route of the day: exact when the search
        ran to its end, else bounded by the routes beyond its node limit."""
        found = self.found if self.found is not None else max(
            (gain - travel for travel, gain, _, _ in self.best.values()), default=float("-inf"))
        return max(found, self.frontier)

    def _keeps_working_time(self, clock: int, place: int, day_travel: int, visits: int, minutes: int,
                            lunched: bool) -> bool:
        """The day's travel is within the cap, the recording time fits the working time left,
        and a lunch break fits in a gap of the day, clear of visits and travel: an earlier
        gap (`lunched`, tracked by the search) or the last one, from `clock` at `place` home."""
        if self.max_travel is not None and day_travel > self.max_travel:
            return False
        if self.recording and self.recording_room - minutes - day_travel - visits * self.recording < 0:
            return False
        return self.lunch is None or lunched or working_time.lunch_fits(self.lunch, clock, self.worker.end,
                                                              self.travel[place][BASE])

    def run(self) -> list[Route]:
        if KERNEL is not None and len(self.tasks) <= 64 * MASK_WORDS[-1]:
            return self._run_compiled()
        self._extend(self.worker.start, BASE, 0, 0, 0, "none", (), 0.0, False, 0, 0)
        if self.pruning:
            scored = [(gain - travel, -used, travel, stops) for used, (travel, gain, stops, _)
                      in self.best.items() if gain - travel > self.floor]
            chosen = heapq.nlargest(self.keep or len(scored), scored)
            return [self._route(travel, stops) for _, _, travel, stops in chosen]
        routes = [self._route(travel, stops) for travel, _, stops, _ in self.best.values()]
        return sorted(routes, key=lambda r: (r.travel, r.task_keys))

    def _run_compiled(self) -> list[Route]:
        """`run` in compiled code (`_routes.search`): pruned, the kept routes best first as
        `run` returns them; else `best` as `run` leaves it, in the order first recorded."""
        words = next(w for w in MASK_WORDS if len(self.tasks) <= 64 * w)
        clashes = [mask >> (64 * k) & 0xFFFFFFFFFFFFFFFF for mask in self.clashes for k in range(words)]
        lunch = None if self.lunch is None else (self.lunch.minutes, self.lunch.earliest, self.lunch.latest)
        completion = (self.net, self.group, self.minutes, self.by_net, self.last_start, self.best_more,
                      self.by_rate, self.recorded, self.by_rate_recorded, self.day_end) if self.pruning else None
        unlimited = self.nodes_left == float("inf")
        found, nodes_left, self.frontier, self.found = KERNEL.search(
            words, self.gain, self.task_place, self.durations, self.windows, clashes, self.travel,
            [a.start for a in self.appointments], [a.end for a in self.appointments], self.cap,
            self.worker.start, self.worker.end, self.pruning, self.working_time_set, self.floor,
            -1 if self.keep is None else self.keep, UNLIMITED if unlimited else int(self.nodes_left), lunch,
            self.recording, -1 if self.max_travel is None else self.max_travel, self.recording_room, completion,
            -1 if self.max_routes is None else self.max_routes)
        self.nodes_left = float("inf") if unlimited else nodes_left
        if self.pruning:
            self.too_many = found is None
            return [] if found is None else [self._route(travel, stops) for travel, stops in found]
        self.best = {used: (travel, gain, stops, lateness) for used, travel, gain, stops, lateness in found}
        routes = [self._route(travel, stops) for travel, _, stops, _ in self.best.values()]
        return sorted(routes, key=lambda r: (r.travel, r.task_keys))

    def _route(self, travel: int, stops: tuple) -> Route:
        return Route(self.worker.id, self.worker_day.day, tuple(map(self._stop, stops)), travel)

    def _out_of_steps(self, clock: int, used: int, travel: int, stops: tuple, gain: float, minutes: int) -> None:
        """A partial route past the step limit: nothing from here on is searched, so with
        pruning, `frontier` takes the most it could have scored."""
        if self.pruning:
            room = (self.recording_room - minutes - travel - len(stops) * self.recording
                    if self.recording else None)
            rest = min(self._rest(self.cap - len(stops), used, clock, None), self._rest_in_time(used, clock, room))
            self.frontier = max(self.frontier, gain + rest - travel)

    def _extend(self, clock: int, place: int, next_appointment: int, used: int, travel: int, previous: str,
                stops: tuple, gain: float, lunched: bool, minutes: int, lateness: int) -> None:
        """Every route that continues this partial one: `minutes` of visits so far, starting
        at minutes summing to `lateness`."""
        self.nodes_left -= 1
        if self.nodes_left < 0:
            self._out_of_steps(clock, used, travel, stops, gain, minutes)
            return
        lunch = self.lunch
        if lunch is not None and not lunched and clock + lunch.minutes > lunch.latest:
            return  # no gap from here on can hold the lunch break, and none before did
        appointments = len(self.appointments)
        if next_appointment == appointments and stops:
            self._record(clock, place, used, travel, previous, stops, gain, lunched, minutes, lateness)
        if next_appointment < appointments:
            self._place_appointment(clock, place, next_appointment, used, travel, previous, stops, gain,
                                    lunched, minutes, lateness)
        room = self.cap - len(stops)
        if room <= 0:
            return
        threshold = None
        if self.pruning:
            threshold = self.floor
            if self.keep is not None and len(self.scores) >= self.keep and self.scores[0] > threshold:
                threshold = self.scores[0]
        row = self.travel[place]
        # A visit longer than the time left for it and its recording cannot follow (the
        # visits, travel and recording of a route only grow).
        longest = (self.recording_room - minutes - travel - (len(stops) + 1) * self.recording
                   if self.recording else None)
        if threshold is not None:  # what the next visit's gain, less its travel, must beat
            threshold += travel - gain - self.best_more[room - 1]
        clashes, task_place, task_gain, durations = self.clashes, self.task_place, self.gain, self.durations
        max_travel, windows = self.max_travel, self.windows
        before = self.appointments[next_appointment].start if next_appointment < appointments else None
        to_next = self.next_appointment_travel[next_appointment] if before is not None else None
        lunch_open = lunch is not None and not lunched  # the break is still to place
        # The search's hot loop: each visit that may come next, timed as early as it can
        # start, the route extended with it (inline: with a call or two a visit, as before,
        # the same routes took 8-9% longer on three teams' worker-days).
        for index in range(len(durations)):
            if used & clashes[index]:
                continue
            duration = durations[index]
            if longest is not None and duration > longest:
                continue
            there = task_place[index]
            if threshold is not None:
                if task_gain[index] <= threshold:
                    break  # visits are sorted by gain: no later one can do better
                if there is not None and task_gain[index] - row[there] <= threshold:
                    continue
            leg = 0 if there is None else row[there]
            if max_travel is not None and travel + leg > max_travel:
                continue
            start = _earliest_start(windows[index], clock + leg)
            then_lunched = lunched
            if lunch_open:
                if start is not None and working_time.lunch_fits(lunch, clock, start, leg):
                    then_lunched = True  # the gap before the visit already holds the break
                else:
                    self._after_lunch(index, start, clock, place, next_appointment, used, travel, leg, stops,
                                      gain, minutes, lateness)
            if start is None:
                continue
            end = start + duration
            after = place if there is None else there
            if before is not None and end + to_next[after] > before:
                continue  # too late to reach the next appointment
            then_used, then_travel, then_stops = used | 1 << index, travel + leg, stops + ((index, start, end, leg),)
            then_gain, then_minutes, then_lateness = gain + task_gain[index], minutes + duration, lateness + start
            if room > 1:
                self._extend(end, after, next_appointment, then_used, then_travel, "visit", then_stops, then_gain,
                             then_lunched, then_minutes, then_lateness)
                continue
            # The route is full: `_extend`'s steps for it, inline (over half the steps are these).
            self.nodes_left -= 1
            if self.nodes_left < 0:
                self._out_of_steps(end, then_used, then_travel, then_stops, then_gain, then_minutes)
            elif lunch_open and not then_lunched and end + lunch.minutes > lunch.latest:
                continue  # no gap from here on can hold the lunch break, and none before did
            elif before is None:
                self._record(end, after, then_used, then_travel, "visit", then_stops, then_gain, then_lunched,
                             then_minutes, then_lateness)
            else:
                self._place_appointment(end, after, next_appointment, then_used, then_travel, "visit", then_stops,
                                        then_gain, then_lunched, then_minutes, then_lateness)

    def _record(self, clock: int, place: int, used: int, travel: int, previous: str, stops: tuple,
                gain: float, lunched: bool, minutes: int, lateness: int) -> None:
        """Keep the route of these visits if it is the day's first, or has less travel.

        Of two timings of the same visits with the same travel the earlier (the lower
        `lateness`, the sum of the visits' starts) is kept, so that a day reads like a
        working day (visits as early as the rules allow, the lunch break between them rather
        than before the first). A tie-break only: the set of visits and its travel, hence the
        plan's value, are the same either way."""
        home = self.travel[place][BASE]
        if previous == "visit" and clock + home > self.worker.end:
            return
        total = travel + home
        known = self.best.get(used)
        if known is not None and (total, lateness) >= (known[0], known[3]):
            return  # this set of visits is already known with no more travel, no later in the day
        if not self.working_time_set or self._keeps_working_time(clock, place, total, len(stops), minutes,
                                                                 lunched):
            if known is not None and known[0] == total:
                # The same visits and travel, earlier in the day. Its score is counted, and
                # the gain summed in the first order found is kept, so that the search goes
                # on exactly as without the tie-break (floating sums differ by order).
                self.best[used] = (total, known[1], stops, lateness)
                return
            self.best[used] = (total, gain, stops, lateness)
            if self.keep is not None:
                score = gain - total
                if score > self.floor:
                    if len(self.scores) < self.keep:
                        heapq.heappush(self.scores, score)
                    elif score > self.scores[0]:
                        heapq.heapreplace(self.scores, score)

    def _place_appointment(self, clock, place, index, used, travel, previous, stops, gain, lunched,
                           minutes, lateness) -> None:
        item: FixedItem = self.appointments[index]
        there = self.appointment_place[index]
        leg = self.travel[place][there]
        if previous == "visit" and clock + leg > item.start:
            return
        if self.lunch is not None and not lunched:
            lunched = working_time.lunch_fits(self.lunch, clock, item.start, leg)
        self._extend(max(clock, item.end), there, index + 1, used, travel + leg, "appointment", stops,
                     gain, lunched, minutes, lateness)

    def _after_lunch(self, index, start, clock, place, next_appointment, used, travel, leg, stops, gain,
                     minutes, lateness) -> None:
        """Also try the visit after a lunch break taken on arrival (or before leaving), where
        that moves its start (`start`: the earliest without the break, or None)."""
        lunch = self.lunch
        arrival = max(clock + leg, lunch.earliest) + lunch.minutes
        if arrival > lunch.latest:
            arrival = max(clock, lunch.earliest) + lunch.minutes + leg
            if arrival - leg > lunch.latest:
                return
        later = _earliest_start(self.windows[index], arrival)
        if later is None or later == start:
            return
        end = later + self.durations[index]
        there = self.task_place[index]
        after = place if there is None else there
        if next_appointment < len(self.appointments) and (
                end + self.next_appointment_travel[next_appointment][after] > self.appointments[next_appointment].start):
            return  # too late to reach the next appointment
        self._extend(end, after, next_appointment, used | 1 << index, travel + leg, "visit",
                     stops + ((index, later, end, leg),), gain + self.gain[index], True,
                     minutes + self.durations[index], lateness + later)


def stop_maker(task_of: Callable[[object], Task]) -> Callable[[tuple], Stop]:
    """A maker of the `Stop` of (task id, start, end, leg), `task_of` giving the task of an id:
    one frozen `Stop` for every route that makes that visit at that time (a new one for each
    route took most of a large enumeration's time; shared, a quarter of that)."""
    made: dict[tuple, Stop] = {}

    def stop(plain: tuple) -> Stop:
        found = made.get(plain)
        if found is None:
            task, start, end, leg = plain
            found = made[plain] = Stop(task_of(task), start, end, leg)
        return found
    return stop


def _clash_masks(instance: DayContext, tasks: list[Task]) -> list[int]:
    """For each visit, the bit mask of the visits (itself included) a route may not also
    make (`tasks_clash`): only visits that share a child can clash, so only those are asked."""
    sharing: dict[str, list[int]] = {}
    for index, task in enumerate(tasks):
        for child_id in task.child_ids:
            sharing.setdefault(child_id, []).append(index)
    masks = []
    for index, task in enumerate(tasks):
        mask = 1 << index
        for child_id in task.child_ids:
            for other in sharing[child_id]:
                if not mask >> other & 1 and instance.tasks_clash(task, tasks[other]):
                    mask |= 1 << other
        masks.append(mask)
    return masks


def _earliest_start(windows, arrival: int) -> int | None:
    for low, high in windows:
        if arrival <= high:
            return low if low > arrival else arrival
    return None


def day_routes(instance: DayContext, worker_day: WorkerDay) -> list[Route]:
    """Every feasible set of visits for the worker-day, each in its least-travel order."""
    return _DaySearch(instance, worker_day).run()


def best_routes(instance: DayContext, worker_day: WorkerDay, gains: dict[str, float],
                floor: float, keep: int, nodes: int | None = None) -> list[Route]:
    """Up to `keep` routes whose total gain minus travel exceeds `floor`, best first.

    The search visits the most promising visits first and stops after `nodes` steps
    (None: no limit), so a limited search still returns good routes, deterministically.
    """
    return price_day(instance, worker_day, gains, floor, keep, nodes)[0]


def price_day(instance: DayContext, worker_day: WorkerDay, gains: dict[str, float],
              floor: float, keep: int, nodes: int | None = None,
              every_visit: bool = False) -> tuple[list[Route], float]:
    """`best_routes`, and the most gain less travel any route of the day of visits with a
    positive gain (`every_visit`: of any visits) could have: at most `floor` or the
    search's `most()`, whichever is higher."""
    search = _DaySearch(instance, worker_day, gains, floor, keep, nodes, every_visit)
    routes = search.run()
    return routes, max(floor, search.most())


def enumerate_day(instance: DayContext, worker_day: WorkerDay, gains: dict[str, float], floor: float,
                  nodes: int, max_routes: int | None = None) -> list[Route] | None:
    """Every route of the day whose gain less travel exceeds `floor`, each set of visits in its
    least-travel order, visits that gain nothing (or lose) included; None when the search
    needs more than `nodes` steps or finds more than `max_routes` (None: no limit; over it,
    the compiled search builds none of them). The pruning holds whatever the travel times:
    travel so far is exact, and each further visit adds at most its gain less the least travel to it."""
    search = _DaySearch(instance, worker_day, gains, floor, None, nodes, every_visit=True)
    search.max_routes = max_routes
    routes = search.run()
    too_many = search.too_many or (max_routes is not None and len(routes) > max_routes)
    return None if search.nodes_left < 0 or too_many else routes


def single_visit_routes(instance: DayContext, worker_day: WorkerDay) -> list[Route]:
    """Each candidate visit alone, where it fits the day: a starting set of columns."""
    search = _DaySearch(instance, worker_day)
    search.cap = 1
    return search.run()


def route_through(instance: DayContext, worker_day: WorkerDay, tasks: list[Task]) -> Route | None:
    """The least-travel route of the worker-day that makes exactly `tasks`, if one fits."""
    if len(tasks) > instance.max_visits(worker_day.worker):
        return None
    probe = WorkerDay(worker_day.worker, worker_day.day, worker_day.appointments, list(tasks))
    search = _DaySearch(instance, probe)
    search.run()
    whole = search.best.get((1 << len(tasks)) - 1)
    if whole is None:
        return None
    travel, _, stops, _ = whole
    return Route(worker_day.worker.id, worker_day.day, tuple(
        Stop(search.tasks[i], start, end, leg) for i, start, end, leg in stops), travel)


def earliest_timing(instance: DayContext, worker_day: WorkerDay, route: Route) -> Route:
    """The route's visits with no more travel, timed as early as the rules allow.

    A search stopped on its node limit may have kept a later timing of a set of visits
    (say, the first visit after a lunch break taken at base); this finds the set's
    least-travel route again, without a limit, earliest timing first (`_DaySearch._record`).
    The plan's value is never lower: the visits are the same and the travel no more.
    """
    again = route_through(instance, worker_day, [stop.task for stop in route.stops])
    return route if again is None or again.travel > route.travel else again
