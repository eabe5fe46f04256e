"""`planner serve`, `planner team import|export`, `planner user add|disable|unlock`.

Django is imported only when one of these runs (`setup(db)`), so `planner plan` does not
pay for it. Every command takes `--db` (a SQLite path, default planner.sqlite3 here, or a
postgresql:// URL); exit codes as elsewhere: 0 fine, 2 bad input (nothing written).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from planner.cli.common import BadInput, show_warnings
from planner.web.db_commands import db

DEFAULT_DB = "planner.sqlite3"
db_option = click.option("--db", default=DEFAULT_DB, show_default=True, envvar="PLANNER_DB",
                         help="SQLite file (created on first use) or postgresql://user:pass@host:port/name URL.")


def settings_module() -> str:
    """planner.web.settings, or planner's own other settings already chosen (settings_production)."""
    chosen = os.environ.get("DJANGO_SETTINGS_MODULE", "")
    return chosen if chosen.startswith("planner.web.settings") else "planner.web.settings"


def setup(db: str, migrate: bool = True) -> None:
    """Django configured for `db`, its schema brought up to date (already configured, as in
    the test suite, it is left as it is)."""
    from django.conf import settings
    if settings.configured:
        return
    os.environ["PLANNER_DB"] = db
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module()
    if "://" not in db and not Path(db).exists():  # a new SQLite file: readable by its owner only
        Path(db).parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    import django
    django.setup()
    if migrate:
        from django.core.management import call_command
        call_command("migrate", interactive=False, verbosity=0)


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Make plans on this Dask distributed scheduler (e.g. tcp://host:8786), as planner plan does.")
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True, help="Web server threads.")
def serve(db: str, host: str, port: int, scheduler: str | None, threads: int) -> None:
    """Serve the team's planner: migrate the database, run the plan worker, serve the pages and API."""
    setup(db)
    from planner.web.serve import run
    try:
        code = run(db, host, port, scheduler, threads)
    except OSError as error:  # the address is taken or not ours
        raise BadInput(f"cannot listen on {host}:{port} ({error.strerror or error}): choose another --port") from None
    sys.exit(code)


@click.group()
def team() -> None:
    """The teams in the service's database."""


@team.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
def import_team(folder: Path, db: str) -> None:
    """Create or update the team named after FOLDER from it (checked as planner validate checks it)."""
    from planner.model.errors import InputError
    try:
        from planner.web.bridge import read_import
        read_import(folder)  # before the database is touched: bad input writes nothing
    except InputError as error:
        raise BadInput(str(error)) from None
    setup(db)
    from planner.web import actions, bridge
    read = bridge.read_import(folder)
    show_warnings(read.read.warnings)
    found = actions.import_team(None, folder)
    click.echo(f"Imported {folder} as team {found.slug}: {len(read.read.team.workers)} workers, "
               f"{len(read.read.team.children)} children, {len(read.record)} recorded visits.")
    click.echo(found.slug)


@team.command("export")
@click.argument("slug")
@click.argument("out", type=click.Path(path_type=Path))
@db_option
def export_team(slug: str, out: Path, db: str) -> None:
    """Write team SLUG's folder as it stands (visits.csv: the whole record) into OUT."""
    setup(db)
    from planner.web import bridge
    from planner.web.models import Team
    found = Team.objects.filter(slug=slug).first()
    if found is None:
        raise BadInput(f"no team {slug} in {db}: planner team import FOLDER first")
    try:
        bridge.export_team(found, out)
    except FileExistsError as error:
        raise BadInput(str(error)) from None
    click.echo(f"Team {slug} written to {out} ({found.record.count()} rows in visits.csv).")


@click.group()
def user() -> None:
    """The people who sign in."""


@user.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["manager", "worker", "lead", "admin"]))
@click.option("--team", "team_slug", default=None, help="The team of a manager or worker.")
@click.option("--worker", "worker_id", default=None, help="A worker's worker_id in the team.")
@click.option("--no-otp", is_flag=True, help="No second factor for a manager or admin (not advised).")
@db_option
def add_user(username: str, role: str, team_slug: str | None, worker_id: str | None, no_otp: bool,
             db: str) -> None:
    """Add a user; the password is read from standard input (one line). For a user who signs
    in with a second factor, the last line is the authenticator's otpauth:// URI (shown once)."""
    password = sys.stdin.readline().rstrip("\r\n")
    setup(db)
    from planner.web import actions
    from planner.web.models import Team
    found = None
    if team_slug:
        found = Team.objects.filter(slug=team_slug).first()
        if found is None:
            raise BadInput(f"no team {team_slug}: planner team import FOLDER first")
    try:
        _, uri = actions.add_user(None, username, password, role, found, worker_id, otp=False if no_otp else None)
    except actions.ActionError as error:
        raise BadInput(str(error)) from None
    click.echo(f"Added {role} {username}" + (f" of team {found.slug}" if found else "")
               + (f" (worker {worker_id})" if worker_id else "") + ".")
    if uri:
        click.echo("Add this to the authenticator app (shown once):")
        click.echo(uri)


@user.command("disable")
@click.argument("username")
@db_option
def disable_user(username: str, db: str) -> None:
    """Disable a user: their sessions, API tokens and calendar feed stop working now."""
    setup(db)
    from django.contrib.auth import get_user_model

    from planner.web import actions
    found = get_user_model().objects.filter(username=username).first()
    if found is None:
        raise BadInput(f"no user {username}")
    actions.disable_user(None, found)
    click.echo(f"Disabled {username}.")


@user.command("unlock")
@click.argument("username")
@db_option
def unlock_user(username: str, db: str) -> None:
    """Let a user throttled after failed sign-ins try again now."""
    setup(db)
    from planner.web import actions
    actions.unlock_user(None, username)
    click.echo(f"Unlocked {username}.")


COMMANDS = (serve, team, user, db)  # db: web-trust's db_commands.py
