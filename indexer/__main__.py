"""Run the command line: `python -m indexer --help`."""

from .cli import main

raise SystemExit(main())
