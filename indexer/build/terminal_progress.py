"""A build's progress on a terminal: tqdm bars, quiet when output is piped."""

from __future__ import annotations

import sys


class TerminalProgress:
    """Show build stages as tqdm bars on a terminal; stay quiet when output is piped."""

    def __enter__(self):
        self.bar, self.stage = None, None
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if stage != self.stage:
            self._close()
            if stage.startswith("Waiting"):  # said even when piped: a build that seems stuck
                print(f"{stage}…", file=sys.stderr, flush=True)
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage, unit="", disable=None, leave=False)
        self.bar.update(done - self.bar.n)

    def _close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def __exit__(self, *exc) -> None:
        self._close()
