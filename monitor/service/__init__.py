"""The long-running service: schedules, the job runner, lifecycle, health and logs.

`bubble-monitor serve` wires these together (monitor/cli/cmd_serve.py). The modules are
imported lazily by the command, so the one-off CLI commands never load APScheduler.
"""
