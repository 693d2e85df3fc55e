"""The reference: Hugging Face tokenizers' byte-level BPE trainer, as users run it from Python.

    python hf_bpe.py train --out tokenizer.json --vocab 8000 --min-frequency 2 \
        --special '<|endoftext|>' FILE...
    python hf_bpe.py encode --tokenizer tokenizer.json < texts.json   # JSON list of strings in,
                                                                       # JSON list of id lists out
    python hf_bpe.py count --tokenizer tokenizer.json --corpus FILE  # encode every line (batch), time it
    python hf_bpe.py style --style llama3 --out tokenizer.json --vocab 2000 FILE...  # a GPT-2- or
        # LLaMA-3-style tokenizer.json (Split regex + ByteLevel, BOS template, special tokens)
"""

import argparse
import json
import sys
import time

from tokenizers import ByteLevelBPETokenizer, Tokenizer


def train(a):
    tok = ByteLevelBPETokenizer()
    t0 = time.perf_counter()
    if a.seen_alphabet_only is None:
        tok.train(a.files, vocab_size=a.vocab, min_frequency=a.min_frequency, show_progress=False,
                  special_tokens=a.special)
    else:  # the Rust trainer without the 256-byte initial alphabet, optionally limited
        from tokenizers import trainers
        options = {"limit_alphabet": a.seen_alphabet_only} if a.seen_alphabet_only else {}
        trainer = trainers.BpeTrainer(vocab_size=a.vocab, min_frequency=a.min_frequency, show_progress=False,
                                      special_tokens=a.special, initial_alphabet=[], **options)
        tok._tokenizer.train(a.files, trainer=trainer)
    seconds = time.perf_counter() - t0
    tok.save(a.out)
    print(json.dumps({"seconds": seconds, "vocab": tok.get_vocab_size()}))


def encode(a):
    texts = json.load(sys.stdin)
    if a.transformers:
        from transformers import PreTrainedTokenizerFast
        tok = PreTrainedTokenizerFast(tokenizer_file=a.tokenizer)
        out = [tok(t, add_special_tokens=False)["input_ids"] for t in texts]
    else:
        tok = Tokenizer.from_file(a.tokenizer)
        out = [e.ids for e in tok.encode_batch(texts, add_special_tokens=a.add_special_tokens)]
    json.dump(out, sys.stdout)


LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
                  r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")


QWEN2_PATTERN = LLAMA3_PATTERN.replace(r"\p{N}{1,3}", r"\p{N}")


def style(a):
    """Trains a small byte-level BPE laid out as GPT-2's, LLaMA-3's or Qwen2's tokenizer.json are."""
    from tokenizers import Regex, decoders, models, normalizers, pre_tokenizers, processors, trainers
    tok = Tokenizer(models.BPE(ignore_merges=a.style == "llama3"))
    if a.style == "qwen2":
        tok.normalizer = normalizers.NFC()
    if a.style in ("llama3", "qwen2"):
        pattern = LLAMA3_PATTERN if a.style == "llama3" else QWEN2_PATTERN
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
        specials = ["<|begin_of_text|>", "<|end_of_text|>"] + [f"<|reserved_special_token_{i}|>" for i in range(4)]
    else:
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=a.add_prefix_space)
        specials = ["<|endoftext|>"]
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=a.vocab, min_frequency=2, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train(a.files, trainer=trainer)
    tok.add_special_tokens(specials)
    if a.added:
        tok.add_tokens(a.added)
    if a.style == "llama3":
        bos = "<|begin_of_text|>"
        tok.post_processor = processors.Sequence([
            processors.ByteLevel(trim_offsets=False),
            processors.TemplateProcessing(single=f"{bos} $A", pair=f"{bos} $A {bos} $B",
                                          special_tokens=[(bos, tok.token_to_id(bos))])])
    else:
        tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.save(a.out)
    print(json.dumps({"vocab": tok.get_vocab_size()}))


def count(a):
    tok = Tokenizer.from_file(a.tokenizer)
    with open(a.corpus, encoding="utf-8") as f:
        lines = f.readlines()
    t0 = time.perf_counter()
    n = sum(len(e.ids) for e in tok.encode_batch(lines))
    seconds = time.perf_counter() - t0
    print(json.dumps({"tokens": n, "seconds": seconds, "tokens_per_second": n / seconds}))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--out", required=True)
    t.add_argument("--vocab", type=int, required=True)
    t.add_argument("--min-frequency", type=int, default=2)
    t.add_argument("--special", action="append", default=[])
    t.add_argument("--seen-alphabet-only", type=int, default=None, metavar="LIMIT",
                   help="start from the bytes seen (0: all seen), as BpeTrainer(initial_alphabet=[])")
    t.add_argument("files", nargs="+")
    t.set_defaults(fn=train)
    e = sub.add_parser("encode")
    e.add_argument("--tokenizer", required=True)
    e.add_argument("--transformers", action="store_true", help="load it with transformers' PreTrainedTokenizerFast")
    e.add_argument("--add-special-tokens", action="store_true", help="add the post-processor's tokens (BOS)")
    e.set_defaults(fn=encode)
    st = sub.add_parser("style")
    st.add_argument("--style", choices=["gpt2", "llama3", "qwen2"], required=True)
    st.add_argument("--out", required=True)
    st.add_argument("--vocab", type=int, required=True)
    st.add_argument("--add-prefix-space", action="store_true")
    st.add_argument("--added", action="append", default=[], help="a non-special added token")
    st.add_argument("files", nargs="+")
    st.set_defaults(fn=style)
    c = sub.add_parser("count")
    c.add_argument("--tokenizer", required=True)
    c.add_argument("--corpus", required=True)
    c.set_defaults(fn=count)
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    main()
