"""`planner serve`: the team's planner as a web service (Django), over the planner library.

Module map in README.md beside this file. Django is imported only by the web commands.
"""
