"""Road-network travel times from Valhalla, for `planner travel`.

An OpenStreetMap extract (and, for public transport, a GTFS timetable) is built once into
Valhalla's routing tiles (`tiles`, `timetable`); the times between every pair of the team's
places are then asked of Valhalla in batches (`matrix`) and written to the team folder's
travel.csv (`run`). Everything runs on this computer: Valhalla is a library here, not a
service, and nothing is fetched.
"""
