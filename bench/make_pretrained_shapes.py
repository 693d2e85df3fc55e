"""Random-weight checkpoints with the real shapes of GPT-2 124M and Qwen2.5-0.5B, built from their
configurations by transformers (no download): OUT/gpt2-124m and OUT/qwen2.5-0.5b, fp32 safetensors.

  make_pretrained_shapes.py OUT
"""
import os
import sys

import torch
from transformers import GPT2Config, Qwen2Config, AutoModelForCausalLM

SHAPES = {
    "gpt2-124m": GPT2Config(),  # n_embd 768, 12 layers, 12 heads, n_positions 1024, vocab 50257
    "qwen2.5-0.5b": Qwen2Config(vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                                num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768,
                                rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True),
}

for name, config in SHAPES.items():
    target = os.path.join(sys.argv[1], name)
    if os.path.exists(os.path.join(target, "config.json")):
        continue
    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.save_pretrained(target)
    print(name, sum(p.numel() for p in model.parameters()), "parameters", file=sys.stderr)
