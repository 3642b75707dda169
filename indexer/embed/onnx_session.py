"""ONNX sessions that start fast: the graph optimised once, kept in the user's cache.

Creating a session optimises the graph (about 50 ms for the reader) in every fresh process: each
terminal question and each start of the page or MCP. The optimised graph is written once
beside the other unpacked data and later sessions load it with optimisation off.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..read.unpacked import unpacked

OPTIMISED = "optimised.onnx"


def session(model_file: Path, threads: int | None = None):
    """Return a CPU inference session of model_file, from its optimised copy when it can."""
    import onnxruntime

    folder = unpacked("onnx-optimised", Path(model_file), lambda into: _optimise(model_file, into))
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    if threads:
        options.intra_op_num_threads = threads
    if folder is not None and (folder / OPTIMISED).is_file():
        try:
            return onnxruntime.InferenceSession(
                str(folder / OPTIMISED), _plain(options), providers=["CPUExecutionProvider"]
            )
        except Exception:  # a damaged cached copy: the shipped file still loads
            pass
    return onnxruntime.InferenceSession(
        str(model_file), options, providers=["CPUExecutionProvider"]
    )


def _plain(options):
    import onnxruntime

    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    return options


def _optimise(model_file: Path, into: Path) -> None:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    # Extended, not all: the layout optimisations of "all" are tied to this machine's CPU.
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = os.fspath(into / OPTIMISED)
    onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
