"""The Textual front end: a thin layer over `heraldtui.core.newsroom.Newsroom`."""
