"""What tests (and the benchmarks) build their inputs with: published envelopes and histories of
tickets (builders.py), a generated multi-site history (generated.py), and stored events as an older
version of a service wrote them (stored.py)."""
