"""A made-up street map and timetable of the synthetic borough, for `planner travel`.

No real map can be fetched here, so the bundled example's travel times come from this
one: a grid of named streets about 200 m apart over the borough, with what makes travel
in Tower Hamlets uneven: the Isle of Dogs, reached only over two bridges across the West
India Dock and cut off from the west by the Thames; a railway crossed at one street in
four; the A13 as a fast trunk road; a one-way street in Whitechapel; and roads (with a
railway line each) out to the placements beyond the borough, over the Lea or the Thames.
The timetable (GTFS) runs buses along a few streets and trains along the railways, every
few minutes on weekdays.

`write_osm` writes any such network as an OpenStreetMap extract (.osm.pbf) with osmium;
the tests use it for their own small networks. The same places always give the same bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from planner.roads.timetable import feed_text
from planner.synthetic.area import BOROUGH_BOX, destination, distance_km

GRID_LAT = (51.4940, 0.0018, 22)  # first row, step, rows (about 200 m apart)
GRID_LON = (-0.0760, 0.0029, 29)  # first column, step, columns
DOCK_ROW, ISLAND_COLUMN = 6, 16  # the dock lies south of row 6; the island east of column 16
BRIDGES = {18: "Heron Swing Bridge", 23: "Larkspur Lift Bridge"}  # columns crossing the dock
RAIL_ROW, RAIL_CROSSINGS = 16, 4  # the railway lies south of row 16, crossed by every 4th column
A13_ROW, ONE_WAY = 10, (14, 0, 12)  # row of the A13; one-way row and its columns (eastbound)
STREET_WORDS = ("Kestrel", "Larkspur", "Heron", "Sorrel", "Osprey", "Willow", "Alder", "Hawthorn",
                "Rowan", "Bramble", "Linnet", "Thistle", "Plover", "Juniper", "Wren", "Hazel",
                "Teasel", "Sparrow", "Campion", "Starling", "Yarrow", "Finch", "Aspen", "Clover",
                "Swift", "Poppy", "Curlew", "Elder", "Mallow", "Tansy")
LINES = ((("15", 3), "row", A13_ROW), (("25", 3), "row", 14), (("277", 3), "row", 18),
         (("D3", 3), "column", 6), (("D6", 3), "column", 12), (("D7", 3), "column", 18),
         (("309", 3), "column", 23))  # ((name, GTFS route type), along, which)
BUS_SECONDS, BUS_HEADWAY, TRAIN_HEADWAY = 90, 300, 600  # between stops 400 m apart; every 5 / 10 min
SERVICE = ("20260101", "20301231")  # weekdays from 2026 to 2030
AGENCY_TIMEZONE = "Europe/London"
OSM_TIME = "2026-01-01T00:00:00Z"


@dataclass
class Network:
    """Nodes (id: lat, lon), ways (node ids, tags) and the lines of a timetable."""

    nodes: dict[int, tuple[float, float]] = field(default_factory=dict)
    ways: list[tuple[list[int], dict[str, str]]] = field(default_factory=list)
    lines: list[tuple[str, int, list[int], list[int]]] = field(default_factory=list)
    # each line: name, GTFS route type (3 bus, 2 rail), its stops (node ids), seconds between them

    def node(self, lat: float, lon: float) -> int:
        self.nodes[len(self.nodes) + 1] = (round(lat, 7), round(lon, 7))
        return len(self.nodes)

    def way(self, nodes: list[int], **tags: str) -> None:
        if len(nodes) > 1:
            self.ways.append((nodes, tags))


def write_osm(path: Path, network: Network) -> Path:
    """Write the network as an OpenStreetMap extract (.osm.pbf), replacing `path`."""
    import osmium
    from osmium.osm.mutable import Node, Way
    path.unlink(missing_ok=True)
    writer = osmium.SimpleWriter(str(path))
    try:
        meta = {"version": 1, "visible": True, "changeset": 1, "timestamp": OSM_TIME, "uid": 1,
                "user": "synthetic"}
        for node_id, (lat, lon) in sorted(network.nodes.items()):
            writer.add_node(Node(id=node_id, location=(lon, lat), tags={}, **meta))
        for way_id, (nodes, tags) in enumerate(network.ways, 1):
            writer.add_way(Way(id=way_id, nodes=nodes, tags=tags, **meta))
    finally:
        writer.close()
    return path


def write_map(folder: Path, places: list[tuple[float, float]],
              name: str = "tower-hamlets") -> tuple[Path, Path]:
    """Write the borough's street map (NAME.osm.pbf) and timetable (NAME-gtfs.zip) into `folder`,
    with roads and railway lines out to the `places` that lie beyond the borough."""
    folder.mkdir(parents=True, exist_ok=True)
    network = borough_network(places)
    osm, gtfs = folder / f"{name}.osm.pbf", folder / f"{name}-gtfs.zip"
    write_osm(osm, network)
    gtfs.write_bytes(feed_text(timetable_files(network)))
    return osm, gtfs


# ---------------------------------------------------------------- the borough


def _lat(row: int) -> float:
    return GRID_LAT[0] + GRID_LAT[1] * row


def _lon(column: int) -> float:
    return GRID_LON[0] + GRID_LON[1] * column


def borough_network(places: list[tuple[float, float]]) -> Network:
    """The grid of streets with its barriers, the bus and train lines, and the roads out."""
    network = Network()
    grid = {(r, c): network.node(_lat(r), _lon(c)) for r in range(GRID_LAT[2]) for c in range(GRID_LON[2])}
    for row in range(GRID_LAT[2]):
        _street(network, [grid[row, c] for c in range(GRID_LON[2])],
                [_row_tags(row, c) for c in range(GRID_LON[2] - 1)])
    for column in range(GRID_LON[2]):
        _street(network, [grid[r, column] for r in range(GRID_LAT[2])],
                [_column_tags(r, column) for r in range(GRID_LAT[2] - 1)])
    _water_and_rail(network)
    _bus_lines(network, grid)
    east_end = grid[A13_ROW, GRID_LON[2] - 1]
    for number, place in enumerate(sorted(p for p in places if not _in_borough(p)), 1):
        _road_out(network, grid, east_end, place, number)
    return network


def _street(network: Network, nodes: list[int], tags: list[dict | None]) -> None:
    """Ways along `nodes`, one per run of segments with the same tags (None: no segment there)."""
    start = 0
    for end in range(1, len(tags) + 1):
        if end == len(tags) or tags[end] != tags[start]:
            if tags[start] is not None:
                network.way(nodes[start:end + 1], **tags[start])
            start = end


def _row_tags(row: int, column: int) -> dict | None:
    """The street from (row, column) east to the next column."""
    if row < DOCK_ROW and column == ISLAND_COLUMN - 1:
        return None  # the Thames between the Isle of Dogs and the west
    if row == A13_ROW:
        return {"highway": "trunk", "maxspeed": "40 mph", "name": "Dockside Road", "ref": "A13"}
    tags = {"highway": "secondary" if row % 4 == 2 else "residential",
            "maxspeed": "30 mph" if row % 4 == 2 else "20 mph", "name": f"{STREET_WORDS[row]} Street"}
    if row == ONE_WAY[0] and ONE_WAY[1] <= column < ONE_WAY[2]:
        tags["oneway"] = "yes"
    return tags


def _column_tags(row: int, column: int) -> dict | None:
    """The street from (row, column) north to the next row."""
    if row == DOCK_ROW - 1 and column >= ISLAND_COLUMN:
        if column not in BRIDGES:
            return None  # the West India Dock
        return {"highway": "secondary", "maxspeed": "30 mph", "bridge": "yes", "layer": "1",
                "name": BRIDGES[column]}
    if row == RAIL_ROW - 1 and column % RAIL_CROSSINGS != 2:
        return None  # the railway
    return {"highway": "secondary" if column % 4 == 2 else "residential",
            "maxspeed": "30 mph" if column % 4 == 2 else "20 mph", "name": f"{STREET_WORDS[column]} Road"}


def _water_and_rail(network: Network) -> None:
    """The Thames, the dock, the Lea and the railway, for the map's reader (nothing routes on them)."""
    half_row, half_column = GRID_LAT[1] / 2, GRID_LON[1] / 2
    west, south = _lon(ISLAND_COLUMN) - half_column, _lat(0) - half_row
    dock, east = _lat(DOCK_ROW) - half_row, _lon(GRID_LON[2] - 1) + half_column
    network.way([network.node(dock, west), network.node(south, west), network.node(south, east)],
                waterway="river", name="River Thames")
    corners = [network.node(dock - 0.0003, west), network.node(dock - 0.0003, east),
               network.node(dock + 0.0003, east), network.node(dock + 0.0003, west)]
    network.way(corners + corners[:1], natural="water", water="dock", name="West India Dock")
    network.way([network.node(_lat(GRID_LAT[2] - 1), east), network.node(dock, east)],
                waterway="river", name="River Lea")
    rail = _lat(RAIL_ROW) - half_row
    network.way([network.node(rail, _lon(0)), network.node(rail, east)], railway="rail", name="Eastern Line")


def _bus_lines(network: Network, grid: dict) -> None:
    """Buses along a few streets, a stop every other crossing; a train along the railway."""
    for (name, kind), along, which in LINES:
        if along == "row":
            stops = [grid[which, c] for c in range(0, GRID_LON[2], 2)]
        else:
            stops = [grid[r, which] for r in range(GRID_LAT[2] - 1, -1, -2)]
        network.lines.append((name, kind, stops, [BUS_SECONDS] * (len(stops) - 1)))
    stations = [grid[RAIL_ROW, c] for c in range(0, GRID_LON[2], 5)]
    network.lines.append(("Eastern", 2, stations, [120] * (len(stations) - 1)))


def _in_borough(place: tuple[float, float]) -> bool:
    lat_min, lat_max, lon_min, lon_max = BOROUGH_BOX
    return lat_min <= place[0] <= lat_max and lon_min <= place[1] <= lon_max


def _road_out(network: Network, grid: dict, east_end: int, place: tuple[float, float], number: int) -> None:
    """A road from the borough to a place beyond it (over a bridge), and a railway line along it."""
    if place[1] > BOROUGH_BOX[3]:
        start = east_end  # eastwards by the A13, over the Lea
    else:
        start = min(grid.values(), key=lambda n: distance_km(network.nodes[n], place))
    origin = network.nodes[start]
    km = distance_km(origin, place)
    bearing = _bearing(origin, place)
    steps = max(2, math.ceil(km))
    points = [destination(origin, bearing, km * k / steps) for k in range(1, steps)]
    nodes = [start] + [network.node(*p) for p in points] + [network.node(*place)]
    word = STREET_WORDS[(number * 7) % len(STREET_WORDS)]
    road = {"highway": "primary", "maxspeed": "40 mph", "name": f"{word} Road", "ref": f"A1{number:02d}"}
    network.way(nodes[:2], **road, bridge="yes", layer="1")
    network.way(nodes[1:-1], **road)
    beyond = network.node(*destination(place, bearing, 0.2))  # the place is not at a dead end
    network.way(nodes[-2:] + [beyond], highway="residential", maxspeed="20 mph", name=f"{word} Close")
    stations = nodes[::4] if nodes[::4][-1] == nodes[-1] else nodes[::4] + nodes[-1:]
    gaps = [round(distance_km(network.nodes[a], network.nodes[b]) / 60 * 3600) + 60
            for a, b in zip(stations, stations[1:])]  # 60 km/h and a minute at each station
    network.lines.append((f"L{number}", 2, stations, gaps))


def _bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Compass bearing from a to b, in degrees."""
    lat1, lat2, dlon = math.radians(a[0]), math.radians(b[0]), math.radians(b[1] - a[1])
    y = math.sin(dlon) * math.cos(lat2)
    x = math.cos(lat1) * math.sin(lat2) - math.sin(lat1) * math.cos(lat2) * math.cos(dlon)
    return math.degrees(math.atan2(y, x)) % 360


def timetable_files(network: Network) -> dict[str, str]:
    """The network's lines as the text files of a GTFS feed: each way and back, all day, weekdays."""
    stops, trips, times, frequencies = {}, [], [], []
    for name, kind, nodes, seconds in network.lines:
        headway = BUS_HEADWAY if kind == 3 else TRAIN_HEADWAY
        for direction, (order, gaps) in enumerate(((nodes, seconds), (nodes[::-1], seconds[::-1]))):
            trip = f"{name}-{direction}"
            trips.append(f"{name},weekdays,{trip},{direction}")
            for sequence, node in enumerate(order):
                stops.setdefault(node, network.nodes[node])
                clock = 6 * 3600 + sum(gaps[:sequence])
                text = f"{clock // 3600:02d}:{clock % 3600 // 60:02d}:{clock % 60:02d}"
                times.append(f"{trip},{text},{text},S{node},{sequence + 1}")
            frequencies.append(f"{trip},06:00:00,22:00:00,{headway},0")
    routes = [f"{name},A,{name},{'Bus' if kind == 3 else 'Line'} {name},{kind}"
              for name, kind, _, _ in network.lines]
    return {
        "agency.txt": f"agency_id,agency_name,agency_url,agency_timezone\nA,Synthetic Transport,"
                      f"https://example.invalid,{AGENCY_TIMEZONE}\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n" + "".join(
            f"S{node},Stop {node},{lat},{lon}\n" for node, (lat, lon) in sorted(stops.items())),
        "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\n" + _lines(routes),
        "trips.txt": "route_id,service_id,trip_id,direction_id\n" + _lines(trips),
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + _lines(times),
        "frequencies.txt": "trip_id,start_time,end_time,headway_secs,exact_times\n" + _lines(frequencies),
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
                        f"end_date\nweekdays,1,1,1,1,1,0,0,{SERVICE[0]},{SERVICE[1]}\n",
    }


def _lines(rows: list[str]) -> str:
    return "".join(row + "\n" for row in rows)
