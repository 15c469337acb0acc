"""Solvers: the loops that fit models (training now; RL / adversarial fine-tuning later).

Modules import torch, so nothing is imported here: use `from tunesmith.solvers.train import train`.
"""
