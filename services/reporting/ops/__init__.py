"""Operating the views: which projections exist, rebuilding, switching and repairing a view."""
