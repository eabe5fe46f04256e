"""The `planner` command: thin Click commands over the library, one module per group of commands.

Exit codes: 0 all well; 1 the plan has violations or unmet requirements (the plan is
still written); 2 bad input (nothing written).
"""

import click

from planner import __version__
from planner.cli import (plan_commands, recommend_command, record_command, replan_command, scenario_command,
                         show_commands, travel_command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planner")
def main() -> None:
    """Plan the visits of a children's social work team, and check plans."""


for command in (plan_commands.validate, plan_commands.plan, plan_commands.check, record_command.record,
                replan_command.replan, show_commands.show, show_commands.explain, scenario_command.scenario,
                recommend_command.recommend, travel_command.travel):
    main.add_command(command)


def _web_commands() -> None:
    """`planner serve`, `planner team ...`, `planner user ...` (their modules import Django lazily)."""
    from planner.web.cli import COMMANDS
    for command in COMMANDS:
        main.add_command(command)


_web_commands()
