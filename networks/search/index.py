"""Writing the search index (filled in below)."""
