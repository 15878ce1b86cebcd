"""`python -m monitor` runs the CLI."""

from monitor.cli.app import main

main()
