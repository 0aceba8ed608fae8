"""eventsourcing helpers: the projection mechanism and the SQLite views it feeds."""
