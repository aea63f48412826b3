"""Grouping articles into stories: the rules, the grouper, the story index."""
