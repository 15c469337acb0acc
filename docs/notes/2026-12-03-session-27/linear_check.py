import sys
sys.path.insert(0, "tests")
from tunesmith.cocreate import inputs
from tunesmith.tokenizer import TICKS_PER_BEAT
def linear(self, c0, beats, *, end=False):
    return round((beats - self.starts[c0]) * TICKS_PER_BEAT) + (self.pickup if c0 == 0 else 0)
inputs._Grid.tick = linear
import test_fermatas as T, torch
tok = T.Tokenizer(); torch.manual_seed(1)
model = T.GPT(T.ModelConfig(vocab_size=tok.vocab_size, block_size=512, n_layer=2, n_head=2, n_embd=32)).eval()
for bars in (None, [0.0, 4.0, 7.0, 11.0, 15.0]):
    try:
        T.test_harmonized_chorale_keeps_the_fermatas_and_its_lower_voices_hold_under_them(model, tok, bars); print(bars, "passes")
    except AssertionError as e:
        print(bars, "FAILS", e)
