"""The SQLite store and atomic file writes: what heraldtui remembers between runs."""
