"""A tiny random Hugging Face causal LM with its own fast tokenizer, and transformers' answers.

Usage: hf_pretrained.py OUT_DIR MODEL_TYPE CORPUS.txt

OUT_DIR/model gets what save_pretrained writes for the model and the tokenizer (config.json,
generation_config.json, model.safetensors, tokenizer.json, tokenizer_config.json). The tokenizer is
LLaMA-3 style: a Split pre-tokenizer with a regex, then ByteLevel, and a post-processor that puts
<|begin_of_text|> first, so transformers' tokenizer(text).input_ids starts with it.
OUT_DIR/reference.json gets, for each text of TEXTS, its input_ids and loss (labels = input_ids,
the mean over predicted tokens), and for PROMPT greedy generate(max_new_tokens=32)'s new ids and
their decoded text.
"""
import json
import os
import sys

import torch
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import AutoConfig, AutoModelForCausalLM, PreTrainedTokenizerFast

TEXTS = ["The state of the union is strong.", "We will build a better future, together, for all.",
         "Naïve café — 2024 numbers: 1,234,567!"]
PROMPT = "The state of the"
SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+"
         r"|\s+(?!\S)|\s+")


def main(out_dir, model_type, corpus):
    torch.set_num_threads(1)
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(SPLIT), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=["<|begin_of_text|>", "<|end_of_text|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train([corpus], trainer)
    bos, eos = tok.token_to_id("<|begin_of_text|>"), tok.token_to_id("<|end_of_text|>")
    tok.post_processor = processors.TemplateProcessing(single="<|begin_of_text|> $A", pair="<|begin_of_text|> $A $B",
                                                       special_tokens=[("<|begin_of_text|>", bos)])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|begin_of_text|>", eos_token="<|end_of_text|>")
    target = os.path.join(out_dir, "model")
    fast.save_pretrained(target)
    settings = dict(vocab_size=tok.get_vocab_size(), hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                    num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128, initializer_range=0.2,
                    bos_token_id=bos, eos_token_id=eos, tie_word_embeddings=model_type != "llama")
    if model_type == "gpt2":
        settings = dict(vocab_size=tok.get_vocab_size(), n_embd=32, n_layer=2, n_head=4, n_positions=128,
                        initializer_range=0.2, bos_token_id=bos, eos_token_id=eos)
    config = AutoConfig.for_model(model_type, **settings)
    torch.manual_seed(7)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32).eval()
    model.save_pretrained(target)
    reference = {"texts": [], "prompt": PROMPT}
    with torch.no_grad():
        for text in TEXTS:
            ids = fast(text, return_tensors="pt").input_ids
            loss = model(ids, labels=ids).loss.item()
            reference["texts"].append({"text": text, "tokens": ids[0].tolist(), "loss": loss})
        ids = fast(PROMPT, return_tensors="pt").input_ids
        out = model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False, max_new_tokens=32,
                             pad_token_id=eos)
        new = out[0, ids.shape[1]:].tolist()
        if new and new[-1] == eos:
            new = new[:-1]  # Notebench reports the text before the end token, without it
        reference["generated"] = {"tokens": new, "text": fast.decode(new)}
    with open(os.path.join(out_dir, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(reference, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
