"""Soak: questions and incremental rebuilds interleaved in one app process, each answer checked.

    python -m bench.soak [--questions 2000] [--rebuilds 100] [--docs 300] [--seed 13]

A generated folder of real formats (bench/common/real_files.py) is built as `python app.py`
builds it at startup, through the page's own live index (indexer/page/live_index.py), which
then serves every question through the call the chat handler makes, rendered as the page
renders it. Between questions, files are added, changed and deleted (bench/common/
soak_folder.py) and the folder rebuilt incrementally: in turn by the page's Rebuild
(`LiveIndex.build`) and by a build beside it (`build_index`, as a terminal would), which the
live index takes up at the next question. Errors (bench/common/soak_checks.py): any exception;
a cited place that is not its file's indexed text; a file cited after the rebuild that deleted
it; a new fact not quoted after its rebuild, or an old one still quoted; a rebuild whose report
or file list disagrees with the edits. Every --every questions: RSS and the answer p50.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

from bench.common import metrics as m
from bench.common import real_files
from bench.common.soak_checks import answer_errors, fact_errors, open_files, rss_mb
from bench.common.soak_folder import Editor, Edits, Fact

ROOT = Path(__file__).resolve().parent.parent
EDITS = (1, 3)  # files added, changed and deleted before each rebuild: each drawn in this range


class Soak:
    """One app process: its live index, the folder's editor, and what was measured."""

    def __init__(self, args, embedder=None):
        from indexer.page.handlers import Verbatim
        from indexer.settings import Settings

        self.args, self.rng = args, random.Random(args.seed)
        work = args.work / f"soak-{args.docs}-seed{args.seed}"
        shutil.rmtree(work, ignore_errors=True)
        self.docs, self.index_dir = work / "docs", work / "index"
        made, self.pool = real_files.generate(self.docs, args.docs, args.shared, args.seed)
        prose = real_files.Prose(args.shared, args.seed + 1)  # another order for new prose
        self.editor = Editor(self.docs, made, prose, args.seed)
        self.app = Verbatim(self.docs, self.index_dir, Settings.from_env(), embedder)
        self.live = self.app.live
        self.gone: set[str] = set()  # deleted by a rebuild already done
        self.checks: list[tuple[str, Fact | None, bool]] = []  # asked first after a rebuild
        self.errors: list[dict] = []
        self.windows: list[dict] = []
        self.rebuild_seconds: list[float] = []
        self.asked = self.facts_asked = 0
        self.window_seconds: list[float] = []

    def run(self) -> dict:
        """Build as the app starts, then interleave questions and rebuilds; return the results."""
        began = time.perf_counter()
        live = self.live
        first = live.build(embedder=live.query_embedder)  # as app.py starts
        first_seconds = time.perf_counter() - began
        warming = live.warm_up()
        warming.join()
        start = {"rss_mb": rss_mb(), "open_files": open_files(), "files": len(live.files())}
        args = self.args
        due = [round((k + 1) * args.questions / (args.rebuilds + 1)) for k in range(args.rebuilds)]
        for number in range(1, args.questions + 1):
            self._ask_next()
            while due and due[0] == number:
                due.pop(0)
                self._rebuild()
            if number % args.every == 0 or number == args.questions:
                self._window()
        rss = [w["rss_mb"] for w in self.windows]
        second_half = self.windows[len(self.windows) // 2 :]
        slope = 0.0
        if len(second_half) >= 2:
            x = [w["questions"] / 100 for w in second_half]
            slope = float(np.polyfit(x, [w["rss_mb"] for w in second_half], 1)[0])
        return {
            "docs": args.docs, "seed": args.seed, "model": first.model,
            "first_build_s": first_seconds, "first_build_passages": first.passages,
            "start": start, "end": {"rss_mb": rss_mb(), "open_files": open_files(),
                                    "files": len(live.files())},
            "questions": self.asked, "facts_asked": self.facts_asked,
            "rebuilds": len(self.rebuild_seconds),
            "rebuild_s": _percentiles(self.rebuild_seconds),
            "rss_first_mb": rss[0], "rss_last_mb": rss[-1], "rss_max_mb": max(rss),
            "rss_last_over_first": rss[-1] / rss[0],
            "rss_slope_mb_per_100q_second_half": slope,
            "answer_p50_last_over_first": self.windows[-1]["answer_p50_ms"]
            / self.windows[0]["answer_p50_ms"],
            "peak_rss_mb": m.peak_rss_mb(),
            "windows": self.windows,
            "errors": len(self.errors), "error_list": self.errors[:50],
        }  # fmt: skip

    def _ask_next(self) -> None:
        """Ask a pending check after a rebuild, else the next question of the pool."""
        if self.checks:
            question, fact, present = self.checks.pop(0)
        else:
            question, fact, present = self.pool[self.asked % len(self.pool)].text, None, False
        self.asked += 1
        self.facts_asked += fact is not None
        answer = self._answer(question)
        if answer is None:
            return
        for problem in answer_errors(answer, self.live.document_text, self.gone):
            self._error("citation", problem)
        for problem in fact_errors(answer, fact, present) if fact else []:
            self._error("fact", f"{problem} (asked: {question})")

    def _answer(self, question: str):
        """Answer as the chat handler does (Verbatim.respond), rendered as the page shows it."""
        from indexer.page.render import answer_markdown, sources_html

        began = time.perf_counter()
        try:
            answer, _ = self.live.answer(question, "", None)
            answer_markdown(answer), sources_html(answer)
        except Exception as error:  # noqa: BLE001 - the soak counts every failure
            self._error("exception", f"{type(error).__name__}: {error} (asked: {question})")
            return None
        self.window_seconds.append(time.perf_counter() - began)
        return answer

    def _rebuild(self) -> None:
        """Edit the folder, rebuild by the page or beside it; queue the checks of the edits."""
        from indexer.build.update import build_index

        low, high = EDITS
        rng = self.rng
        edits = self.editor.edit(rng.randint(low, high), rng.randint(low, high),
                                 rng.randint(low, high))  # fmt: skip
        self.checks = []  # checks of an earlier round not asked yet would now be out of date
        by_page = len(self.rebuild_seconds) % 2 == 0
        began = time.perf_counter()
        try:
            if by_page:
                report = self.live.build()
            else:
                report = build_index(self.docs, self.index_dir, self.live.settings,
                                     self.live.build_embedder)  # fmt: skip
        except Exception as error:  # noqa: BLE001
            self._error("exception", f"rebuild: {type(error).__name__}: {error}")
            return
        self.rebuild_seconds.append(time.perf_counter() - began)
        self.gone |= {path for path, _ in edits.deleted}
        self._check_report(report, edits)
        self._queue_checks(edits)

    def _check_report(self, report, edits: Edits) -> None:
        """The report names exactly the edits; the page's file list shows them (a new version)."""
        c = report.changes
        said = (sorted(c.added), sorted(c.changed), sorted(c.removed))
        done = (sorted(f.path for f in edits.added), sorted(f.path for _, f in edits.changed),
                sorted(path for path, _ in edits.deleted))  # fmt: skip
        if said != done or c.renamed or report.skipped:
            self._error("report", f"the rebuild reported {said} (skipped {report.skipped}), "
                        f"the edits were {done}")  # fmt: skip
        try:
            listed = set(self.live.files())
        except Exception as error:  # noqa: BLE001
            self._error("exception", f"files: {type(error).__name__}: {error}")
            return
        missing = set(done[0] + done[1]) - listed
        if missing or listed & self.gone:
            self._error("listing", f"missing {sorted(missing)}, gone {sorted(listed & self.gone)}")

    def _queue_checks(self, edits: Edits) -> None:
        """Queue a sample: an added fact, a changed file's new and old facts, a deleted file."""
        rng = self.rng
        if edits.added:
            fact = rng.choice(edits.added)
            self.checks.append((fact.question, fact, True))
        if edits.changed:
            before, after = rng.choice(edits.changed)
            self.checks.append((after.question, after, True))
            if before is not None:
                self.checks.append((before.question, before, False))
        if edits.deleted:
            path, fact = rng.choice(edits.deleted)
            if fact is not None:
                self.checks.append((fact.question, fact, False))
            else:  # a generated file: one of its questions (answer_errors checks the citing)
                held = [q.text for q in self.pool if path in q.files]
                self.checks += [(held[0], None, False)] if held else []

    def _window(self) -> None:
        seconds = self.window_seconds or [float("nan")]
        window = {
            "questions": self.asked, "rebuilds": len(self.rebuild_seconds), "rss_mb": rss_mb(),
            "answer_p50_ms": float(np.median(seconds) * 1000), "errors": len(self.errors),
            "open_files": open_files(),
        }  # fmt: skip
        self.windows.append(window)
        self.window_seconds = []
        print(
            f"  {window['questions']:,} questions, {window['rebuilds']} rebuilds: RSS "
            f"{window['rss_mb']:,.0f} MB, answer p50 {window['answer_p50_ms']:.0f} ms, "
            f"{window['errors']} errors",
            file=sys.stderr,
            flush=True,
        )

    def _error(self, kind: str, detail: str) -> None:
        record = {"kind": kind, "question": self.asked, "rebuild": len(self.rebuild_seconds)}
        self.errors.append({**record, "detail": detail})
        print(f"  error ({kind}): {detail}", file=sys.stderr, flush=True)


def _percentiles(seconds: list[float]) -> dict:
    if not seconds:
        return {"p50": None, "p95": None}
    return {"p50": float(np.percentile(seconds, 50)), "p95": float(np.percentile(seconds, 95))}


def table(r: dict) -> str:
    """Return the Markdown tables: one row a window, then the summary against the first window."""
    lines = ["| questions | rebuilds | RSS | answer p50 | open files | errors |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for w in r["windows"]:
        lines.append(
            f"| {w['questions']:,} | {w['rebuilds']} | {w['rss_mb']:,.0f} MB | "
            f"{w['answer_p50_ms']:.0f} ms | {w['open_files']} | {w['errors']} |"
        )
    rebuild = r["rebuild_s"]
    built = "—" if rebuild["p50"] is None else f"{rebuild['p50']:.1f} / {rebuild['p95']:.1f} s"
    first, last = r["windows"][0], r["windows"][-1]
    lines += [
        "",
        "| files (start → end) | model | questions (facts checked) | rebuilds | errors | "
        "RSS first → last window | last ÷ first | RSS max | RSS slope, 2nd half | "
        "answer p50 first → last window | rebuild p50 / p95 | first build |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {r['start']['files']:,} → {r['end']['files']:,} | {r['model']} | "
        f"{r['questions']:,} ({r['facts_asked']}) | {r['rebuilds']} | {r['errors']} | "
        f"{r['rss_first_mb']:,.0f} → {r['rss_last_mb']:,.0f} MB | "
        f"{r['rss_last_over_first']:.2f}× | {r['rss_max_mb']:,.0f} MB | "
        f"{r['rss_slope_mb_per_100q_second_half']:+.1f} MB / 100 q | "
        f"{first['answer_p50_ms']:.0f} → {last['answer_p50_ms']:.0f} ms | {built} | "
        f"{r['first_build_s']:.0f} s ({r['first_build_passages']:,} passages) |",
    ]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--rebuilds", type=int, default=100)
    parser.add_argument("--docs", type=int, default=300, help="files generated at the start")
    parser.add_argument("--every", type=int, default=100, help="questions a reported window")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--work", type=Path, default=Path("/tmp/verbatim-soak"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "soak.json")
    return parser


def main(argv: list[str] | None = None, embedder=None) -> int:
    """Run the soak (embedder: the model the app loads, unless given); 1 if any error."""
    args = _parser().parse_args(argv)
    result = Soak(args, embedder).run()
    print(table(result), flush=True)
    m.write_json(args.json, result)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
