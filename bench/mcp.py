"""From an assistant's start to its first answer over MCP stdio, against a cold `indexer ask`.

    python -m bench.mcp [--runs 3] [--work /tmp/verbatim-mcp]

The seeds are indexed once; then, alternately, a cold `python -m indexer ask QUESTION` and the
SDK's stdio client starting `python -m indexer mcp` and calling `ask` once (from launching the
server to the answer in hand). Medians of --runs each, in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "How much money does Anthropic make a year?"


def main() -> int:
    """Index the seeds, time both ways of asking, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-mcp"))
    args = parser.parse_args()
    index_dir = args.work / "index"
    shutil.rmtree(args.work, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERBATIM_")}
    env["PYTHONPATH"] = str(ROOT)
    indexer = [sys.executable, "-m", "indexer"]
    build = [*indexer, "build", str(ROOT / "seeds"), "--index", str(index_dir)]
    subprocess.run(build, env=env, check=True, capture_output=True)
    cli, mcp = [], []
    for _ in range(args.runs):
        began = time.perf_counter()
        ask = [*indexer, "ask", QUESTION, "--index", str(index_dir)]
        subprocess.run(ask, env=env, check=True, capture_output=True)
        cli.append(time.perf_counter() - began)
        mcp.append(asyncio.run(first_answer(index_dir, env)))
    cli_s, mcp_s = statistics.median(cli), statistics.median(mcp)
    print("| measure | median of runs |\n|---|---|")
    print(f"| cold `python -m indexer ask` | {cli_s:.2f} s |")
    print(f"| MCP stdio: client starts the server, initialises, calls `ask` | {mcp_s:.2f} s "
          f"({mcp_s / cli_s:.2f}× the cold CLI) |")  # fmt: skip
    return 0


async def first_answer(index_dir: Path, env: dict, question: str = QUESTION) -> float:
    """Return the seconds from launching `python -m indexer mcp` to its first answer in hand."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    server = StdioServerParameters(
        command=sys.executable, args=["-m", "indexer", "mcp", "--index", str(index_dir)], env=env
    )
    began = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        async with (
            stdio_client(server, errlog=quiet) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            result = await session.call_tool("ask", {"question": question})
            seconds = time.perf_counter() - began
    assert not result.isError, result
    return seconds


if __name__ == "__main__":
    raise SystemExit(main())
