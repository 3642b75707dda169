"""Read: find documents, decode their formats, split them into passages, sentences and terms."""
