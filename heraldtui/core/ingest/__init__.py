"""From feeds.toml to parsed, cleaned articles: config, fetch, parse, full text, refresh."""
