"""Fixtures shared by the test modules that train or tune torch models."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch


@pytest.fixture(scope="module")
def one_torch_thread():
    """Two torch threads on a busy two-core machine are many times slower than one."""
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


@pytest.fixture(scope="module")
def tiny_model_folder(tmp_path_factory) -> Path:
    """A tiny untrained model (with metrical embeddings) saved as a model folder."""
    from tunesmith.model import GPT, ModelConfig, save_model
    from tunesmith.tokenizer import Tokenizer

    tok = Tokenizer()
    torch.manual_seed(0)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=2, n_head=2, n_embd=32, metric=True))
    folder = tmp_path_factory.mktemp("tiny_model")
    save_model(folder, model.eval(), tok, {"name": "tiny"})
    return folder
