"""Helpers shared by heraldtui's tests: a real local HTTP server, article-set loaders."""
