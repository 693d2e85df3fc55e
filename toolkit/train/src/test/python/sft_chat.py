"""A chat template for hf_pretrained.py's tiny llama, and transformers' ids of chat rows, for SftFineTuneTest.

Usage: sft_chat.py MODEL_DIR OUT.json

MODEL_DIR's tokenizer is saved again with the LLaMA-3 chat template (toolkit/chat's chat_templates.py
holds the templates and conversations that ChatTemplatesTest renders), so that fine-tuning tests
can render chat rows with it. OUT.json gets, for each of those conversations, transformers'
apply_chat_template(tokenize=True) ids, and for plain prompt/completion rows the ids TRL trains on
(the text tokenized with the special tokens, eos_token appended) with the prompt's length.
"""
import json
import os
import sys

from transformers import AutoTokenizer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "chat", "src", "test",
                                "python"))
from chat_templates import CONVERSATIONS, TEMPLATES  # noqa: E402


PLAIN = [("Subject: free money now\nLabel:", " spam"), ("Subject: lunch on friday?\nLabel:", " ham")]


def main(model_dir, out_file):
    tok = AutoTokenizer.from_pretrained(model_dir)
    tok.chat_template = TEMPLATES["llama-3"]
    tok.save_pretrained(model_dir)
    cases = []
    for conv in CONVERSATIONS:
        out = tok.apply_chat_template(conv, tokenize=True)
        cases.append({"messages": conv, "ids": list(out["input_ids"]) if hasattr(out, "keys") else list(out)})
    plain = []
    for prompt, completion in PLAIN:
        # TRL's prompt/completion rows: the text with the tokenizer's special tokens, eos_token appended
        ids = tok(prompt + completion + tok.eos_token)["input_ids"]
        plain.append({"prompt": prompt, "completion": completion, "ids": list(ids),
                      "prompt_length": len(tok(prompt)["input_ids"])})
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump({"cases": cases, "plain": plain}, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
