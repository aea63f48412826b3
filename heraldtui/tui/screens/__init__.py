"""Screens of the heraldtui TUI: main (list + story), article, feeds, help, export, error."""
