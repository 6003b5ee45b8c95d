"""`python -m flows` runs the `clerkships` command line."""

from flows.cli import app

app()
