"""Benchmarks (`make bench`): measured here, never in timed tests."""
