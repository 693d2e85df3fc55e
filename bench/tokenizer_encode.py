"""Encoding throughput of a tokenizer.json in Python: HF tokenizers' encode_batch (threads from
RAYON_NUM_THREADS) or tiktoken built from the same vocabulary and GPT-2 regex through
tiktoken.Encoding(...) (encode_ordinary_batch(num_threads=N)). Same lines, batches and warm-up as
bench/TokenizerEncode.java (the warm-up by another instance, so that caches start cold); prints one
JSON line, and with --sample-out the ids of about 2,000 lines evenly spaced.

    python bench/tokenizer_encode.py --tokenizer T.json --corpus C.txt --threads N --encoder hf|tiktoken [--sample-out F]
    python bench/tokenizer_encode.py compare REFERENCE.json OTHER.json...   # same ids? prints a line each
    python bench/tokenizer_encode.py row TIKTOKEN_RATE HF_RATE CORPUS < measurement.json  # a table row
"""

import argparse
import json
import sys
import time

BATCH = 8192
GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def byte_decoder():
    """GPT-2's byte-level characters back to bytes."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def tiktoken_encoding(path):
    import tiktoken
    model = json.load(open(path, encoding="utf-8"))
    decode = byte_decoder()
    specials = {t["content"] for t in model.get("added_tokens", []) if t.get("special")}
    ranks = {bytes(decode[c] for c in token): i for token, i in model["model"]["vocab"].items() if token not in specials}
    return tiktoken.Encoding("notebench", pat_str=GPT2_PATTERN, mergeable_ranks=ranks, special_tokens={})


def lines(path):
    text = open(path, encoding="utf-8", newline="").read()
    parts = text.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "row":  # a measurement (JSON on stdin) as a table row
        r = json.load(sys.stdin)
        tik, hf, corpus = float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
        names = {"ours": "Notebench BpeEncoder", "tiktoken": "tiktoken", "hf": "HF tokenizers (Python)",
                 "djl": "DJL HuggingFaceTokenizer"}
        rate = r["tokens_per_second"]
        print(f"| {corpus} | {r['threads']} | {names[r['encoder']]} | {r['tokens']:,} | {r['seconds']:.2f} | {rate:,} |"
              f" {rate / tik:.2f}x | {rate / hf:.2f}x |")
        return
    if len(sys.argv) > 1 and sys.argv[1] == "compare":
        ref = json.load(open(sys.argv[2]))
        for other in sys.argv[3:]:
            ids = json.load(open(other))
            differ = sum(1 for a, b in zip(ref, ids) if a != b) + abs(len(ref) - len(ids))
            print(f"{other}: {len(ref) - differ} of {len(ref)} sampled lines give HF's ids" + ("" if differ else " (all)"))
        return
    p = argparse.ArgumentParser()
    p.add_argument("--tokenizer", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--encoder", choices=["hf", "tiktoken"], required=True)
    p.add_argument("--sample-out")
    a = p.parse_args()
    text = lines(a.corpus)
    batches = [text[i:i + BATCH] for i in range(0, len(text), BATCH)]
    def load():
        if a.encoder == "hf":
            from tokenizers import Tokenizer
            tok = Tokenizer.from_file(a.tokenizer)
            return (lambda batch: [e.ids for e in tok.encode_batch(batch, add_special_tokens=False)],
                    lambda s: tok.encode(s, add_special_tokens=False).ids)
        enc = tiktoken_encoding(a.tokenizer)
        return lambda batch: enc.encode_ordinary_batch(batch, num_threads=a.threads), enc.encode_ordinary

    encode, one = load()
    for batch in batches[:3]:
        encode(batch)
    encode, one = load()
    t0 = time.perf_counter()
    tokens = sum(len(ids) for batch in batches for ids in encode(batch))
    seconds = time.perf_counter() - t0
    print(json.dumps({"encoder": a.encoder, "threads": a.threads, "lines": len(text), "tokens": tokens,
                      "seconds": round(seconds, 3), "tokens_per_second": round(tokens / seconds)}))
    if a.sample_out:
        json.dump([one(text[i]) for i in range(0, len(text), max(1, len(text) // 2000))], open(a.sample_out, "w"))


if __name__ == "__main__":
    main()
