"""A whole service at once: several team folders planned in parallel (`planner plan TEAM TEAM ...`).

- `pool`: independent tasks on a local process pool or a Dask cluster (shared with the scenario sweep);
- `run`: one team's plan (the function the pool calls) and the service's runs;
- `table`: the service's figures, a row per team and the totals, computed once (service.csv, terminal);
- `page`: service.html, the table with a link to each team's rota page;
- `cli`: the body of `planner plan` with several teams.
"""
