"""Article extraction: body paragraphs without boilerplate, the densest-text fallback, and dates."""
