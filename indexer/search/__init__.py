"""Search: a loaded version searched by meaning and by keywords, the rankings fused."""
