"""Build: split, embed and store what changed in the documents folder; watch it."""
