"""The facts of a story: grades, quotes, meetings, people, merged across its articles."""
