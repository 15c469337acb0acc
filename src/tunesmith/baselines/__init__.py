"""Baselines that tunesmith's models are measured against.

`gpt2_remi`: miditok REMI tokens + a Hugging Face `GPT2LMHeadModel` of a chosen size, the
baseline "anyone would try". It needs the optional `transformers` package (the `dev`
extra), so it is imported on demand rather than from here.
"""
