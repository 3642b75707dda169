"""Helpers the benchmark scripts share: corpora, baselines, runs and metrics."""
