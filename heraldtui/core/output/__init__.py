"""Digests of merged stories: wording, JSON, Markdown, ICS."""
