"""Fixtures shared by the test modules that train or tune torch models."""

from __future__ import annotations

import os
from pathlib import Path

# One thread a process, for torch and the BLAS under numpy, set before torch is first imported so
# that the CLI subprocesses the tests start inherit it too. With two threads on a two-core machine
# whose other core is busy, each small op waits for the thread that lost its core: the harmonizer
# fixture of test_harmonizer.py trained in 10 s on one thread and in 647 s on two (session 62).
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def tok():
    """The tokenizer (a module may define its own)."""
    from tunesmith.tokenizer import Tokenizer

    return Tokenizer()


@pytest.fixture(scope="module")
def model(tok):
    """An untrained 2-layer model: the grammar and the rules hold whatever it samples (a module
    may define its own)."""
    from tunesmith.model import GPT, ModelConfig

    torch.manual_seed(1)
    return GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=512, n_layer=2, n_head=2, n_embd=32)).eval()


@pytest.fixture(scope="module")
def one_torch_thread():
    """One torch thread for the module, whatever a test before it set (see the top of the file)."""
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


@pytest.fixture(scope="module")
def takes(tmp_path_factory) -> list[Path]:
    """Six take bundles (JSON + MIDI + MusicXML) from a tiny untrained model, for the ratings
    store and the preference files."""
    import tunesmith as ts
    from tunesmith.model import GPT, ModelConfig, save_model
    from tunesmith.tokenizer import Tokenizer

    tok = Tokenizer()
    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("m")
    save_model(
        folder, GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=16)).eval(), tok
    )
    out = tmp_path_factory.mktemp("takes") / "takes"
    out.mkdir()
    got = ts.compose(style="folk", bars=2, n=6, seed=3, model=str(folder), check=False)
    ts.write_takes(got, out / "t", audio=False, svg=False)
    return [out / f"t-{i}.json" for i in range(1, 7)]
