"""The made-up borough: the office, neighbourhoods, schools, names, worker patterns, and the
travel and calendar arithmetic the generator keeps its teams feasible with."""


import math
from datetime import date, timedelta

OFFICE_NAME = "Town Hall, Whitechapel"
OFFICE = (51.5185, -0.0596)
COURT = (51.5226, -0.0195)  # roughly the family court; appointments name it only by kind "court"
BOROUGH_BOX = (51.495, 51.530, -0.075, 0.005)  # lat min, lat max, lon min, lon max
HORIZON_WEEKS = 2
POLICY_FILE = "policy.toml"
FLEX_POLICY_FILE = "policy-flex.toml"  # london-flex with the same settings, for scenarios
# The optional working-time settings of the policy (README "Policies") the example turns on.
LUNCH_MINUTES, RECORDING_MINUTES, MAX_TRAVEL_MINUTES = 30, 45, 240
WORKING_TIME = (f'lunch_break = "{LUNCH_MINUTES} min between 12:00 and 14:00"   # kept free of visits and travel\n'
                f"recording_minutes = {RECORDING_MINUTES}                           # write-up per visit, same day\n"
                f"max_travel_minutes_per_day = {MAX_TRAVEL_MINUTES}                 # 4 hours\n")
DEFAULT_NAME = "Family Support and Protection Team 3 (synthetic)"

# Travel model and policy figures of the contract (policy "london"), used to keep
# the example feasible.
SPEEDS = {"walk": (4.5, 0), "cycle": (12.0, 2), "public_transport": (14.0, 8), "car": (18.0, 10)}
CIRCUITY = 1.3
TEAM_MODE = "public_transport"
HOME_MINUTES, EXTRA_CHILD_MINUTES, INTERPRETER_FACTOR = 60, 20, 1.5
# The `seen` interval of each category in working days (whole weeks x 5: the last
# dates are weekdays, and bank holidays are ignored here).
INTERVAL_WD = {"CP": 10, "CIN": 20, "LAC": 30, "CL": 40, "PF": 30}
CATEGORY_SHARES = (("CP", 0.35), ("CIN", 0.35), ("LAC", 0.15), ("CL", 0.08), ("PF", 0.07))
# The routing subset keeps only the categories whose requirement (policy "london") is met
# by a home visit alone, so that a requirement is one group of home visits and a school
# or creative visit is only ever optional: a pure routing solver then expresses it exactly.
ROUTING_CATEGORY_SHARES = (("CP", 0.45), ("LAC", 0.35), ("PF", 0.20))
AFTER_SCHOOL_SHARE = 0.6  # at most this share of a worker's after-school hours is due
SIBLING_SHARE = 0.25  # share of a caseload living with one or two siblings on it
SIBLING_WEIGHTS = {"CP": 3, "CIN": 3, "LAC": 1}  # categories of sibling groups

# Neighbourhoods of the borough: name, lat, lon, weight (rough share of homes).
NEIGHBOURHOODS = (
    ("Spitalfields", 51.5200, -0.0720, 2), ("Whitechapel", 51.5175, -0.0610, 4),
    ("Shadwell", 51.5120, -0.0560, 3), ("Wapping", 51.5050, -0.0600, 1),
    ("Stepney", 51.5180, -0.0440, 4), ("Bethnal Green", 51.5265, -0.0560, 4),
    ("Mile End", 51.5225, -0.0340, 3), ("Bow", 51.5275, -0.0200, 3),
    ("Limehouse", 51.5125, -0.0380, 2), ("Poplar", 51.5095, -0.0160, 4),
    ("Bromley-by-Bow", 51.5240, -0.0120, 2), ("Millwall", 51.4975, -0.0220, 2),
    ("Cubitt Town", 51.4985, -0.0080, 2), ("Blackwall", 51.5090, -0.0020, 1),
)
# Directions (compass bearings, degrees) of out-of-borough placements: Hertfordshire
# to the north, Essex to the north-east and east, Kent to the south-east.
PLACEMENT_BEARINGS = ((350, 15), (30, 80), (95, 125))

# name, phase (primary 5-10, secondary 11-16), neighbourhood index
SCHOOLS = (
    ("Kestrel Primary School", "primary", 1), ("Larkspur Primary School", "primary", 5),
    ("Heron Wharf Primary School", "primary", 11), ("Sorrel Lane Primary School", "primary", 9),
    ("Osprey Primary School", "primary", 7), ("Willowbrook Primary School", "primary", 8),
    ("Alder Academy", "secondary", 4), ("Hawthorn Secondary School", "secondary", 9),
    ("Rowan Park School", "secondary", 6),
)
OWN_TERMS_SCHOOL = 6  # Alder Academy keeps its own term dates (an INSET day)

# Heritage: weight, (boys' names, girls' names), surnames, languages a family may prefer.
HERITAGE = {
    "english": (25, (("Oliver", "Jack", "Harry", "George", "Charlie", "Alfie", "Freddie", "Leo",
                      "Thomas", "Noah", "Archie", "Ryan", "Kyle", "Callum"),
                     ("Amelia", "Olivia", "Lily", "Grace", "Ella", "Ruby", "Sophie", "Chloe",
                      "Jessica", "Poppy", "Evie", "Holly", "Megan", "Leah")),
                ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright",
                 "Hughes", "Green", "Clarke", "Hall", "Turner", "Cooper"), ()),
    "bengali": (35, (("Ayaan", "Rahim", "Tahmid", "Imran", "Arif", "Mahir", "Ishaq", "Sami",
                      "Rayan", "Zayan", "Nabil", "Faisal", "Jamal", "Tanvir"),
                     ("Zara", "Nusrat", "Sumaiya", "Fatema", "Ruksana", "Sadia", "Tasnim",
                      "Ayesha", "Maryam", "Nadia", "Halima", "Jannat", "Sabrina", "Rumana")),
                ("Ahmed", "Hossain", "Hussain", "Islam", "Miah", "Rahman", "Uddin", "Sheikh",
                 "Ali", "Chowdhury", "Hoque", "Khan", "Akhtar", "Karim", "Alam"),
                ("Sylheti", "Sylheti", "Bengali")),
    "somali": (7, (("Abdi", "Mohamed", "Yusuf", "Hamza", "Liban", "Abdirahman", "Guled", "Mahad"),
                   ("Hodan", "Amina", "Ayan", "Sagal", "Ifrah", "Nimco", "Fadumo", "Khadra")),
               ("Abdi", "Hassan", "Warsame", "Farah", "Jama", "Osman", "Mohamud", "Nur"),
               ("Somali",)),
    "polish": (6, (("Jakub", "Szymon", "Kacper", "Filip", "Antoni", "Mateusz", "Michał"),
                   ("Zofia", "Maja", "Julia", "Hanna", "Zuzanna", "Lena", "Wiktoria")),
               ("Nowak", "Wójcik", "Kaczmarek", "Mazur", "Krawczyk", "Zając", "Wróbel"),
               ("Polish",)),
    "west_african": (9, (("Kwame", "Chidi", "Tunde", "Kofi", "Emeka", "Kojo"),
                         ("Chidera", "Ama", "Nkechi", "Abena", "Adaeze", "Efua")),
                     ("Mensah", "Okafor", "Adeyemi", "Boateng", "Owusu", "Eze"), ()),
    "caribbean": (7, (("Marcus", "Dwayne", "Tyrone", "Jerome", "Andre"),
                      ("Keisha", "Shanice", "Jasmine", "Tiana", "Aaliyah")),
                  ("Campbell", "Thompson", "Williams", "Edwards", "Brown"), ()),
    "turkish": (3, (("Emre", "Mehmet", "Can"), ("Elif", "Esra", "Zeynep")),
                ("Yilmaz", "Demir", "Kaya", "Aydin"), ()),
    "romanian": (4, (("Andrei", "Mihai", "Darius"), ("Ioana", "Bianca", "Andreea")),
                 ("Popescu", "Ionescu", "Stan", "Dumitru"), ()),
    "portuguese": (4, (("Tiago", "Rafael", "Diogo"), ("Ana", "Mariana", "Beatriz")),
                   ("Silva", "Costa", "Ferreira", "Santos"), ()),
}
LANGUAGE_HERITAGE = {"Bengali": "bengali", "Sylheti": "bengali", "Somali": "somali", "Polish": "polish"}
LANGUAGE_SHARE = 0.4  # of families of a heritage with a language, the share preferring it

# Worker patterns, repeated for larger teams: working days, start, end, travel mode
# as written (empty = the team's public transport), languages, max visits a day.
WORKER_PATTERNS = (
    ("Mon-Fri", "09:00", "17:00", "", "English;Bengali;Sylheti", ""),
    ("Mon-Fri", "10:00", "18:00", "car", "English", "4"),
    ("Mon;Tue;Thu", "09:00", "17:00", "", "English;Polish", ""),
    ("Mon-Fri", "11:00", "19:00", "cycle", "English;Bengali;Sylheti", ""),
    ("Mon-Fri", "08:30", "16:30", "", "English;Somali", ""),
    ("Mon-Fri", "10:00", "18:00", "public_transport", "English", ""),
    ("Mon-Fri", "09:00", "17:00", "car", "English;Bengali", ""),
    ("Mon;Wed;Thu;Fri", "10:00", "18:00", "", "English", ""),
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Weights of ages 0-17 by category (care leavers are 18-21).
AGE_WEIGHTS = {
    "CP": (6, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 2, 1, 1),
    "CIN": (3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3),
    "LAC": (3, 3, 3, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 5, 5, 5),
    "PF": (0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 4, 4, 3),
}

# --------------------------------------------------------------------------- helpers

def clock_minutes(hhmm: str) -> int:
    """Minutes after midnight of an `HH:MM` time."""
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def clock_text(minutes: int) -> str:
    """`HH:MM` of minutes after midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km (the contract's haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def model_travel(a: tuple[float, float], b: tuple[float, float], mode: str) -> int:
    """Travel minutes between two points by the contract's default travel model."""
    distance = distance_km(a, b)
    if distance < 0.05:
        return 0
    speed, overhead = SPEEDS[mode]
    return math.ceil(distance * CIRCUITY / speed * 60) + overhead


def destination(origin: tuple[float, float], bearing: float, km: float) -> tuple[float, float]:
    """The point `km` from `origin` along a compass bearing (degrees)."""
    lat1, lon1 = math.radians(origin[0]), math.radians(origin[1])
    theta, delta = math.radians(bearing), km / 6371.0
    lat2 = math.asin(math.sin(lat1) * math.cos(delta) + math.cos(lat1) * math.sin(delta) * math.cos(theta))
    lon2 = lon1 + math.atan2(math.sin(theta) * math.sin(delta) * math.cos(lat1),
                             math.cos(delta) - math.sin(lat1) * math.sin(lat2))
    return math.degrees(lat2), math.degrees(lon2)


def wd_shift(day: date, n: int) -> date:
    """The n-th weekday after `day` (before it when n < 0); bank holidays are ignored."""
    step = 1 if n >= 0 else -1
    for _ in range(abs(n)):
        day += timedelta(days=step)
        while day.weekday() >= 5:
            day += timedelta(days=step)
    return day


def wd_index(week: date, day: date) -> int:
    """Index of the last weekday on or before `day`, counting `week` (a Monday) as 0."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    days = (day - week).days
    return days // 7 * 5 + days % 7


def _easter(year: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _weekday_on_or_after(day: date, weekday: int) -> date:
    """The first date on or after `day` falling on `weekday` (Mon=0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    """The last date on or before `day` falling on `weekday` (Mon=0)."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def london_terms(year: int) -> list[tuple[date, date]]:
    """Term periods of a typical London school year starting in September of `year`.

    For 2026-27: 2 Sep-23 Oct, 2 Nov-18 Dec, 5 Jan-12 Feb, 22 Feb-25 Mar, 12 Apr-28 May,
    7 Jun-21 Jul (half terms and holidays are the gaps).
    """
    autumn_start = date(year, 9, 2)
    if autumn_start.weekday() >= 5:
        autumn_start = _weekday_on_or_after(autumn_start, 0)
    october_half = _weekday_on_or_before(date(year, 10, 31), 0)
    autumn_end = _weekday_on_or_before(date(year, 12, 20), 4)
    spring_start = _weekday_on_or_after(date(year + 1, 1, 2), 0) + timedelta(days=1)
    february_half = _weekday_on_or_after(date(year + 1, 2, 12), 0)
    easter = _easter(year + 1)
    may_half = _weekday_on_or_before(date(year + 1, 5, 31), 0)
    summer_end = _weekday_on_or_before(date(year + 1, 7, 21), 4) if date(year + 1, 7, 21).weekday() >= 5 \
        else date(year + 1, 7, 21)
    return [
        (autumn_start, october_half - timedelta(days=3)),
        (october_half + timedelta(days=7), autumn_end),
        (spring_start, february_half - timedelta(days=3)),
        (february_half + timedelta(days=7), easter - timedelta(days=3)),
        (easter + timedelta(days=15), may_half - timedelta(days=3)),
        (may_half + timedelta(days=7), summer_end),
    ]


