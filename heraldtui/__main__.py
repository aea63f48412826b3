"""`python -m heraldtui` runs the same entry point as the `heraldtui` script."""

from heraldtui.cli import main

raise SystemExit(main())
