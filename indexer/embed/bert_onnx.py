"""A BERT encoder's int8 ONNX graph, written from its weights: no torch, no export, no quantiser.

The graph is node for node what sentence-transformers' int8 export makes of a BERT model
(optimum's torch export, then onnxruntime's dynamic quantisation with the avx2 or avx512_vnni
settings): every MatMul on uint8 activations quantised per pass, its weights per column, the
three embedding tables one scale each. The same nodes on the same bytes give the same vectors;
writing them takes a second where the export took 35 s for multilingual-e5-small.
"""

from __future__ import annotations

import numpy as np

from .int8 import per_channel, per_tensor

OPSET = 18  # the export's: LayerNormalization is an operator from 17


class _Graph:
    """Nodes and initializers in order, each output named by a counter."""

    def __init__(self):
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes, self.initializers, self.count = [], [], 0

    def const(self, value: np.ndarray) -> str:
        name = f"c{len(self.initializers)}"
        self.initializers.append(self.numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(self, kind: str, *inputs: str, outputs: int = 1, **attributes):
        self.count += 1
        names = [f"{kind}_{self.count}_{i}" for i in range(outputs)]
        self.nodes.append(self.helper.make_node(kind, list(inputs), names, **attributes))
        return names[0] if outputs == 1 else names


def int8_bert(weights: dict[str, np.ndarray], layers: int, heads: int, eps: float, signed: bool):
    """Return the int8 ONNX model of a BERT encoder (its last hidden state) from its float32
    weights, named and laid out as in transformers' BertModel. signed: the avx512_vnni
    setting's int8 weights; else avx2's uint8."""
    from onnx import TensorProto, helper, shape_inference

    g = _Graph()
    hidden = weights["embeddings.word_embeddings.weight"].shape[1]
    state = _embeddings(g, weights, eps, signed)
    mask = _attention_mask(g)
    for layer in range(layers):
        state = _layer(g, weights, f"encoder.layer.{layer}.", state, mask, heads, eps, signed)
    g.nodes[-1].output[0] = "last_hidden_state"
    dims = ["batch_size", "sequence_length"]
    inputs = [helper.make_tensor_value_info(name, TensorProto.INT64, dims)
              for name in ("input_ids", "attention_mask", "token_type_ids")]  # fmt: skip
    output = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, [*dims, hidden])
    # The export's file carries every tensor's shape, and onnxruntime fuses by them (an
    # addition into the layer norm after it): the same shapes make the same fusions. They are
    # inferred with the weights as inputs of their shapes, not copied twice through protobuf.
    small = [tensor for tensor in g.initializers if len(tensor.raw_data) <= 4096]
    weights = [helper.make_tensor_value_info(tensor.name, tensor.data_type, tensor.dims)
               for tensor in g.initializers if len(tensor.raw_data) > 4096]  # fmt: skip
    sketch = helper.make_graph(g.nodes, "bert", inputs + weights, [output], small)
    shapes = shape_inference.infer_shapes(_model(helper, sketch)).graph.value_info
    graph = helper.make_graph(g.nodes, "bert", inputs, [output], g.initializers, value_info=shapes)
    return _model(helper, graph)


def _model(helper, graph):
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=8)


def _embeddings(g: _Graph, w: dict, eps: float, signed: bool) -> str:
    """Word, token-type and position rows (each table uint8 with one scale), summed, normed."""
    # avx2's weights are uint8 like its activations, so the quantiser takes the tables as
    # weights (symmetric); avx512_vnni's are int8 and it takes them as activations.
    symmetric = not signed

    def rows(table: str, ids: str) -> str:
        quantised, scale, zero = per_tensor(w[f"embeddings.{table}.weight"], symmetric)
        picked = g.op("Gather", g.const(quantised), ids)
        return g.op("DequantizeLinear", picked, g.const(scale), g.const(zero))

    length = g.op("Shape", "input_ids", start=1, end=2)
    positions = np.arange(w["embeddings.position_embeddings.weight"].shape[0], dtype=np.int64)
    ids = g.op("Slice", g.const(positions[None, :]), g.const(np.array([0])), length,
               g.const(np.array([1])), g.const(np.array([1])))  # fmt: skip
    summed = g.op("Add", rows("word_embeddings", "input_ids"),
                  rows("token_type_embeddings", "token_type_ids"))  # fmt: skip
    summed = g.op("Add", summed, rows("position_embeddings", ids))
    return _norm(g, w, "embeddings.LayerNorm.", summed, eps)


def _attention_mask(g: _Graph) -> str:
    """0 where the mask is 1, the lowest float where it is 0, as transformers computes it."""
    rows, columns = _dims(g, "attention_mask")
    _, length = _dims(g, "input_ids")
    shape = g.op("Concat", rows, g.const(np.array([1])), length, columns, axis=0)
    mask = g.op("Unsqueeze", "attention_mask", g.const(np.array([1, 2])))
    mask = g.op("Cast", g.op("Expand", mask, shape), to=1)
    inverted = g.op("Sub", g.const(np.float32(1)), mask)
    lowest = g.const(np.float32(np.finfo(np.float32).min))
    return g.op("Where", g.op("Cast", inverted, to=9), lowest, inverted)


def _dims(g: _Graph, x: str) -> tuple[str, str]:
    """Return x's first two dimensions, each as a one-element tensor.

    Taken from the tensor at run time as the export does: a reshape to constant dimensions
    would let onnxruntime fuse other additions into its layer norms, with other roundings.
    """
    shape = g.op("Shape", x)
    return tuple(g.op("Unsqueeze", g.op("Gather", shape, g.const(np.array(i)), axis=0),
                      g.const(np.array([0]))) for i in (0, 1))  # fmt: skip


def _layer(g: _Graph, w: dict, p: str, x: str, mask: str, heads: int, eps: float, signed: bool):
    """One encoder layer: self-attention, then the GELU feed-forward, each added and normed."""
    hidden = w[p + "attention.self.query.weight"].shape[0]
    size = hidden // heads
    xq = g.op("DynamicQuantizeLinear", x, outputs=3)  # shared by query, key and value
    batch, length = _dims(g, x)
    split = g.op("Concat", batch, *(g.const(np.array([n])) for n in (-1, heads, size)), axis=0)
    q, k, v = (g.op("Reshape", _linear(g, w, p + f"attention.self.{name}", xq, signed), split)
               for name in ("query", "key", "value"))  # fmt: skip
    # torch's attention scales query and key each by sqrt(1 / sqrt(size)), in float32.
    root = g.const(np.sqrt(np.float32(1) / np.sqrt(np.float32(size))))
    q = g.op("Mul", g.op("Transpose", q, perm=[0, 2, 1, 3]), root)
    k = g.op("Mul", g.op("Transpose", k, perm=[0, 2, 3, 1]), root)
    v = g.op("Transpose", v, perm=[0, 2, 1, 3])
    scores = g.op("Add", _matmul(g, q, k), mask)
    context = _matmul(g, g.op("Softmax", scores, axis=-1), v)
    joined = g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]),
                  g.op("Concat", batch, length, g.const(np.array([hidden])), axis=0))  # fmt: skip
    attended = _linear(g, w, p + "attention.output.dense", _dq(g, joined), signed)
    x = _norm(g, w, p + "attention.output.LayerNorm.", g.op("Add", attended, x), eps)
    inner = _linear(g, w, p + "intermediate.dense", _dq(g, x), signed)
    erf = g.op("Erf", g.op("Div", inner, g.const(np.float32(np.sqrt(2)))))
    gelu = g.op("Mul", g.op("Mul", inner, g.op("Add", erf, g.const(np.float32(1)))),
                g.const(np.float32(0.5)))  # fmt: skip
    out = _linear(g, w, p + "output.dense", _dq(g, gelu), signed)
    return _norm(g, w, p + "output.LayerNorm.", g.op("Add", out, x), eps)


def _dq(g: _Graph, x: str) -> list[str]:
    return g.op("DynamicQuantizeLinear", x, outputs=3)


def _linear(g: _Graph, w: dict, name: str, xq: list[str], signed: bool) -> str:
    """x @ W + b on quantised x: W int8 per output column (stored [out, in] as in torch)."""
    quantised, scale, zero = per_channel(np.ascontiguousarray(w[name + ".weight"].T), signed)
    scales = g.op("Mul", xq[1], g.const(scale))
    product = g.op("MatMulInteger", xq[0], g.const(quantised), xq[2], g.const(zero))
    product = g.op("Mul", g.op("Cast", product, to=1), scales)
    return g.op("Add", g.const(w[name + ".bias"]), product)


def _matmul(g: _Graph, a: str, b: str) -> str:
    """a @ b of two activations, each quantised to uint8 in its pass."""
    aq, bq = _dq(g, a), _dq(g, b)
    scales = g.op("Mul", aq[1], bq[1])
    product = g.op("MatMulInteger", aq[0], bq[0], aq[2], bq[2])
    return g.op("Mul", g.op("Cast", product, to=1), scales)


def _norm(g: _Graph, w: dict, p: str, x: str, eps: float) -> str:
    return g.op("LayerNormalization", x, g.const(w[p + "weight"]), g.const(w[p + "bias"]),
                axis=-1, epsilon=eps)  # fmt: skip
