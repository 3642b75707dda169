"""The rebuild benchmark: a tiny run rebuilds after one change, reading only the changed file."""

from __future__ import annotations

import json

from bench import rebuild


def test_a_tiny_rebuild_run_reads_only_the_changed_letter(tmp_path, capsys):
    result_file = tmp_path / "rebuild.json"
    flags = ["--sizes", "15", "--rebuilds", "2", "--work", str(tmp_path / "work")]
    assert rebuild.main([*flags, "--json", str(result_file)]) == 0
    (result,) = json.loads(result_file.read_text(encoding="utf-8"))
    assert result["files"] == 15 and len(result["rebuilds"]) == 2
    assert [(r["read"], r["reused"]) for r in result["rebuilds"]] == [(1, 14), (1, 14)]
    assert all(0 < r["reading_s"] <= r["seconds"] for r in result["rebuilds"])
    assert "| 15 | " in capsys.readouterr().out
