"""Reference side of the safetensors tests: Hugging Face's own writer and reader (safetensors.torch, transformers).

  save SPEC.json OUT        save_file the tensors SPEC describes ({name: {dtype, shape, values}}), metadata {"format": "pt"}
  read FILE                 print load_file's tensors as JSON {name: {dtype, shape, values as F32}}
  sharded DIR MAX_SHARD     save a tiny random LlamaForCausalLM with save_pretrained(max_shard_size=MAX_SHARD),
                            print its state dict as JSON {name: {dtype, shape, values}}
"""
import json
import sys

import torch
from safetensors.torch import load_file, save_file

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
          "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8, "BOOL": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}


def describe(tensors):
    out = {}
    for name, t in tensors.items():
        values = t.to(torch.float32).reshape(-1).tolist() if t.is_floating_point() else t.reshape(-1).tolist()
        out[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "values": values}
    return out


def main():
    cmd = sys.argv[1]
    if cmd == "save":
        spec = json.load(open(sys.argv[2]))
        tensors = {}
        for name, s in spec.items():
            t = torch.tensor(s["values"], dtype=torch.float32).reshape(s["shape"])
            tensors[name] = t.to(DTYPES[s["dtype"]])
        save_file(tensors, sys.argv[3], metadata={"format": "pt"})
    elif cmd == "read":
        json.dump(describe(load_file(sys.argv[2])), sys.stdout)
    elif cmd == "sharded":
        from transformers import LlamaConfig, LlamaForCausalLM
        torch.manual_seed(0)
        config = LlamaConfig(hidden_size=16, intermediate_size=32, num_hidden_layers=2, num_attention_heads=2,
                             num_key_value_heads=1, vocab_size=64, tie_word_embeddings=False)
        model = LlamaForCausalLM(config)
        model.save_pretrained(sys.argv[2], max_shard_size=sys.argv[3])
        json.dump(describe({k: v.detach() for k, v in model.state_dict().items()}), sys.stdout)
    else:
        raise SystemExit("unknown command " + cmd)


if __name__ == "__main__":
    main()
