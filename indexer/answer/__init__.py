"""Answer: the question's path from checked question to quoted answer or refusal."""
