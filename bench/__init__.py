"""Quality benchmarks for verbatim: run `python -m bench.quality` from the checkout."""
