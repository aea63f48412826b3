"""Widgets of the heraldtui TUI; each owns its bindings and its messages."""
