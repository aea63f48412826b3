"""Text with no domain: sanitising untrusted input, Markdown escaping, HTML to Markdown, prose."""
