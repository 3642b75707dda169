"""Embed: the embedder seam, the int8 ONNX encoder and its one-time export."""
