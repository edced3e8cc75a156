"""`python -m scamlab`: the command line."""

from scamlab.cli import main

raise SystemExit(main())
