"""Time the app as a user meets it: start to first answer, and one /ask over loopback.

    python -m bench.app_latency [--runs 3] [--calls 20]

Works on a temporary copy of seeds/ with its own index, built once before the timed runs, so
every timed start finds an existing, up-to-date index.
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "How much money does Anthropic make a year?"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(docs: Path, index: Path, base: Path):
    port = free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "GRADIO_TEMP_DIR": str(base / "g")}
    command = [sys.executable, str(ROOT / "app.py"), "--docs", str(docs), "--index", str(index)]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_until_up(process, url: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"app.py exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("app.py did not come up")


def stop(process) -> None:
    process.terminate()
    process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed starts (default 3)")
    parser.add_argument("--calls", type=int, default=20, help="timed /ask calls (default 20)")
    args = parser.parse_args()
    from gradio_client import Client

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        docs, index = base / "docs", base / "index"
        shutil.copytree(ROOT / "seeds", docs)
        process, url = start(docs, index, base)  # untimed: builds the index
        wait_until_up(process, url)
        stop(process)

        starts, round_trips = [], []
        for run in range(args.runs):
            began = time.perf_counter()
            process, url = start(docs, index, base)
            try:
                wait_until_up(process, url)
                up = time.perf_counter() - began
                client = Client(url, verbose=False)
                text, _ = client.predict(QUESTION, api_name="/ask")
                starts.append(time.perf_counter() - began)
                assert "$850" in text, text
                print(f"run {run + 1}: page up {up:.2f} s, first answer {starts[-1]:.2f} s")
                if run == 0:
                    for _ in range(args.calls):
                        t = time.perf_counter()
                        client.predict(QUESTION, api_name="/ask")
                        round_trips.append(time.perf_counter() - t)
            finally:
                stop(process)

    ms = sorted(1000 * t for t in round_trips)
    print(
        f"start to first answered question, median of {args.runs}: "
        f"{statistics.median(starts):.2f} s  (runs: {', '.join(f'{s:.2f}' for s in starts)})"
    )
    print(
        f"/ask round trip over loopback, {len(ms)} calls: median {statistics.median(ms):.0f} ms, "
        f"min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
