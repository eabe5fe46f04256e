"""The plan worker process of `planner serve`: sweep stale jobs, then run django_tasks_db's worker.

It runs at a lower CPU priority (nice 10) than the web server: on a small machine the pages
and the outcomes people record come first, and a plan takes the cores they leave."""

from __future__ import annotations

import os


WORKER_NICENESS = 10


def main() -> None:
    os.nice(WORKER_NICENESS)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.web.settings")
    import django
    django.setup()
    from django.core.management import call_command

    from planner.web.tasks import sweep_stale
    sweep_stale()
    call_command("db_worker", interval=0.5, startup_delay=False, reload=False, verbosity=0)


if __name__ == "__main__":
    main()
