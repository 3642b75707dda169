"""The app under load: 32 callers asking while files are uploaded and two rebuilds are asked."""

import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("GRADIO_TEMP_DIR", tempfile.mkdtemp(prefix="verbatim-gradio-"))

import httpx  # noqa: E402
import pytest  # noqa: E402
from gradio_client import handle_file  # noqa: E402

from .test_app_client import REVENUE  # noqa: E402

pytestmark = pytest.mark.model

CALL_SECONDS = 120  # a call slower than this counts as one that never returned
EXPECTED = {REVENUE: "$850", "What is a jailbreak in the context of AI models?": "safety filters"}


def ask_over_http(url: str, question: str) -> list[dict]:
    """Ask /ask over Gradio's REST API (POST, then the call's own event stream); return sources."""
    with httpx.Client(base_url=url, timeout=CALL_SECONDS) as http:
        posted = http.post("/gradio_api/call/ask", json={"data": [question, ""]})
        stream = http.get(f"/gradio_api/call/ask/{posted.json()['event_id']}").text
    lines = stream.splitlines()
    event = next(line[7:].strip() for line in lines if line.startswith("event: "))
    data = next(line[6:] for line in lines if line.startswith("data: "))
    assert event == "complete", (event, data)
    return json.loads(data)[1]


@pytest.mark.parametrize("run", range(1, 6))
def test_thirty_two_callers_during_an_upload_and_two_rebuilds(app_server, tmp_path, run):
    """Every call returns and both rebuilds report, run after run (5 runs in a row)."""
    note = tmp_path / f"ferry-timetable-{run}.txt"
    note.write_text(
        "\n\n".join(
            f"Ferry {i} leaves the north quay at {i % 12 + 1} o'clock on run {run}."
            for i in range(300)
        ),
        encoding="utf-8",
    )
    uploading = app_server.client().submit([handle_file(note)], api_name="/upload")
    first = app_server.client().submit(api_name="/rebuild")
    second = app_server.client().submit(api_name="/rebuild")
    latencies, errors, wrong = [], [], []

    def caller(number: int) -> None:
        question = list(EXPECTED)[number % 2]
        for _ in range(3):
            began = time.monotonic()
            try:
                sources = ask_over_http(app_server.url, question)
            except Exception as error:  # counted, then failed on below
                errors.append(repr(error))
                continue
            latencies.append(time.monotonic() - began)
            if not any(EXPECTED[question] in s["text"] for s in sources):
                wrong.append(question)

    with ThreadPoolExecutor(32) as pool:
        list(pool.map(caller, range(32)))
    # The upload indexes its file; both rebuilds report, waiting their turn, never failing.
    assert "answerable now" in uploading.result(timeout=600)
    outcomes = [job.result(timeout=600)[0] for job in (first, second)]
    latencies.sort()
    print(
        f"\nrun {run}: {len(latencies)} of 96 calls returned, {len(errors)} errors, "
        f"{len(wrong)} wrong; latency p50 {latencies[len(latencies) // 2]:.2f} s, "
        f"p95 {latencies[int(len(latencies) * 0.95)]:.2f} s, max {latencies[-1]:.2f} s; "
        f"rebuilds: {[outcome.splitlines()[0][:60] for outcome in outcomes]}"
    )
    assert errors == [] and wrong == [] and len(latencies) == 96
    assert any(note.name in outcome for outcome in outcomes), outcomes
    assert all("Index updated" in outcome for outcome in outcomes), outcomes
    assert "Traceback" not in app_server.log.read_text()


CLIENT_GAP = """
import os, sys, time
from gradio_client import Client
client = Client(sys.argv[1], verbose=False)
client.predict(sys.argv[2], api_name="/ask")  # opens the Client's event stream; it stays open
post = client.send_data
def post_then_pause(*args, **kwargs):
    event_id = post(*args, **kwargs)
    time.sleep(2)  # the answer arrives on the open stream before the event is registered
    return event_id
client.send_data = post_then_pause
try:
    client.submit(sys.argv[2], api_name="/ask").result(timeout=15)
    print("returned", flush=True)
except TimeoutError:
    print("never returned", flush=True)
os._exit(0)  # the stuck call's thread would keep any interpreter from exiting
"""


def test_gradio_client_drops_a_reply_that_lands_before_it_registers_the_call(app_server):
    """The client's limit, not the server's: why the load test asks over plain HTTP.

    gradio_client 2.5 posts a call, and only when the POST has returned registers the call's
    event to collect its messages from the event stream its Client keeps open. An answer
    streamed back in between (ours take ~20 ms; a loaded machine can pause a thread longer)
    is dropped and the call waits forever: 3 of 96 calls in one load run. The gap is widened
    here to make it certain (in a process of its own: a stuck call keeps a process from
    exiting); the same question on the same server returns over HTTP.
    """
    result = subprocess.run(
        [sys.executable, "-c", CLIENT_GAP, app_server.url, REVENUE],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
    )
    assert result.stdout.strip() == "never returned", (result.stdout, result.stderr[-2000:])
    assert any("$850" in s["text"] for s in ask_over_http(app_server.url, REVENUE))
