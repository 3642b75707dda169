"""Quality benchmarks for verbatim: run `python bench/quality.py` from the checkout."""
