"""SQLite views of the projections: rows and stream position in one transaction."""
