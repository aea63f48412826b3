"""heraldtui: a terminal reader for local policing news."""

__version__ = "0.1.0"
