"""What tests (and the benchmarks) build their inputs with: published envelopes and histories of
tickets (builders.py), and a generated multi-site history (generated.py)."""
