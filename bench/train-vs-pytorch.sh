#!/usr/bin/env bash
# GPT training on the CPU: Notebench (Java, DJL on libtorch) vs the same model in PyTorch eager
# (bench/pytorch_gpt.py), same machine, same threads, same steps, same token stream (PyTorch reads
# the token file the Java run wrote under RUNS/.tokens/), runs alternated to spread the noise.
#
#   bench/train-vs-pytorch.sh [THREADS]        (default 1; THREADS may be a list: "1 2")
#
# Configs:
#   sotu-bpe   d_model 128, 2 layers, 4 heads, seq_len 64, batch 16, BPE 8000 of datasets/full/sotu-full.txt
#   moby-char  d_model 384, 6 layers, 6 heads, seq_len 256: nanoGPT's shakespeare-char model, but
#              batch 8 instead of 64 so a run stays near a minute on one core; chars of
#              datasets/full/moby-dick.txt
# Rows: notebench (Java; attention through PyTorch's fused scaled_dot_product_attention); notebench
# with glibc's allocator defaults (-Dnotebench.train.tuneHeap=false, what NativeHeap changes);
# notebench with explicit attention (-Dnotebench.train.attention=explicit); pytorch (explicit
# attention with an additive mask, the ops of Notebench's explicit form); pytorch-sdpa
# (F.scaled_dot_product_attention, is_causal=True, the op Notebench's default calls). tokens/s is the median over the
# steps after the first 10 of each run, then the median over the REPEATS runs (default 2; env
# REPEATS). Losses are those of the last run: train loss of the last step, val loss after the last
# step, computed the same way by both sides. "same fwd" loads the Java run's last checkpoint into
# the PyTorch model and evaluates it: equal to Java's own val loss means the forward passes match.
#
# Needs: datasets/fetch-full.sh data, build/torchenv (python3 -m venv build/torchenv &&
# build/torchenv/bin/pip install torch numpy). Writes build/bench/train-vs-pytorch.md.
# "Same start" (SAME_START=1, the default; first thread count only): PyTorch from the Java run's
# initial weights, on exactly the batches Java draws, with Notebench's AdamW arithmetic, so the whole loss
# curve can be compared step by step, not only statistically.
# Env: REPEATS, STEPS_A, STEPS_B, BATCH_B to shorten or lengthen the runs; ONLY="moby-char" to run
# some configs; IMPLS="java pytorch sdpa" to run some rows (java must be among them for the ratios); NOTEBENCH: the launcher
# to run (default ./notebench; e.g. a copy of it and cli/target, so a rebuild cannot land mid-run);
# BENCH_OUT: where tokenizers, runs and results go (default build/bench).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
THREADS_LIST="${1:-1}"
REPEATS="${REPEATS:-2}"
STEPS_A="${STEPS_A:-400}"
STEPS_B="${STEPS_B:-50}"
BATCH_B="${BATCH_B:-8}"
PY="$HERE/build/torchenv/bin/python"
NB="${NOTEBENCH:-./notebench}"
OUT="${BENCH_OUT:-$HERE/build/bench}"
RUNS="$OUT/train-vs-pytorch-runs"
RESULTS="$OUT/train-vs-pytorch.tsv"
SAME="$OUT/train-vs-pytorch-same-start.tsv"
SAME_START="${SAME_START:-1}"
ONLY="${ONLY:-}"   # config names to run (default all)
IMPLS="${IMPLS:-java pytorch sdpa javadef javaexp}"   # rows to run, in this order (reversed on even repeats)
mkdir -p "$OUT" "$RUNS"

if [[ ! -x "$PY" ]]; then
  python3 -m venv "$HERE/build/torchenv"
  "$PY" -m pip install -q --retries 0 --timeout 20 torch numpy
fi
for f in datasets/full/sotu-full.txt datasets/full/moby-dick.txt; do
  [[ -f "$f" ]] || datasets/fetch-full.sh
done
"$NB" --version >/dev/null   # build first, outside the timings
export NOTEBENCH_NO_BUILD=1        # and not again halfway through
[[ -f "$OUT/tok-sotu-bpe8k/tokenizer.json" ]] || "$NB" tokenizer train --corpus datasets/full/sotu-full.txt \
  --vocab 8000 --holdout 0 --out "$OUT/tok-sotu-bpe8k" >/dev/null
[[ -f "$OUT/tok-moby-char/chars.json" ]] || "$NB" tokenizer train --type char --corpus datasets/full/moby-dick.txt \
  --holdout 0 --out "$OUT/tok-moby-char" >/dev/null

# name|corpus|tokenizer|n_layer|n_head|d_model|seq_len|batch|steps
CONFIGS=(
  "sotu-bpe|datasets/full/sotu-full.txt|$OUT/tok-sotu-bpe8k|2|4|128|64|16|$STEPS_A"
  "moby-char|datasets/full/moby-dick.txt|$OUT/tok-moby-char|6|6|384|256|$BATCH_B|$STEPS_B"
)

# The token directory a Java run used: the one in RUNS/.tokens whose tokens.json its manifest quotes.
token_dir() {
  "$PY" - "$RUNS" "$1" <<'EOF'
import glob, json, os, sys
runs, run = sys.argv[1], sys.argv[2]
data = json.load(open(os.path.join(runs, run, "manifest.json")))["data"]
for j in glob.glob(os.path.join(runs, ".tokens", "*", "tokens.json")):
    m = json.load(open(j))
    if m["tokenizer"] == data["tokenizer"] and m["corpus"] == data["corpus"] and m["tokens"] == data["tokens"]:
        print(os.path.dirname(j)); break
else:
    sys.exit("no token directory for " + run)
EOF
}

# A Java run's summary as one JSON line, like pytorch_gpt.py's.
java_summary() {
  "$PY" - "$RUNS/$1" "$2" <<'EOF'
import json, statistics, sys
run, rss = sys.argv[1], int(sys.argv[2])
rows = [json.loads(l) for l in open(run + "/metrics.jsonl")]
steps = [r for r in rows if r["type"] == "step"]
evals = [r for r in rows if r["type"] == "eval"]
rates = [r["tokens_per_s"] for r in steps[10:]] or [r["tokens_per_s"] for r in steps]
print(json.dumps({"impl": "notebench", "tokens_per_s": statistics.median(rates), "train_loss": steps[-1]["loss"],
                  "val_loss": evals[-1]["val_loss"], "eval_step": evals[-1]["step"], "steps": len(steps),
                  "peak_rss_kb": rss}))
EOF
}

: >"$RESULTS"
: >"$SAME"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for threads in $THREADS_LIST; do
  for cfg in "${CONFIGS[@]}"; do
    IFS='|' read -r name corpus tok nl nh dm sl bs steps <<<"$cfg"
    [[ -z "$ONLY" || " $ONLY " == *" $name "* ]] || continue
    model=(--n-layer "$nl" --n-head "$nh" --d-model "$dm" --seq-len "$sl" --batch "$bs")
    tokdir=""
    for rep in $(seq 1 "$REPEATS"); do
      # alternate the order: Java first on odd repeats (the first writes the token file PyTorch reads),
      # last on even ones
      read -r -a order <<<"$IMPLS"
      if ((rep % 2 == 0)); then
        for ((i = 0, j = ${#order[@]} - 1; i < j; i++, j--)); do
          t="${order[i]}"; order[i]="${order[j]}"; order[j]="$t"
        done
      fi
      for impl in "${order[@]}"; do
        id="$name-t$threads-r$rep-$impl"
        echo "train-vs-pytorch: $id ($steps steps)" >&2
        if [[ "$impl" == java* ]]; then
          rm -rf "${RUNS:?}/$id"
          # javadef: the same run with glibc's allocator left at its defaults (NativeHeap off);
          # javaexp: with the explicit attention instead of PyTorch's fused kernel
          jopts="-XX:+UseSerialGC -Xms16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30"
          [[ "$impl" == javadef ]] && jopts="$jopts -Dnotebench.train.tuneHeap=false"
          [[ "$impl" == javaexp ]] && jopts="$jopts -Dnotebench.train.attention=explicit"
          NOTEBENCH_JAVA_OPTS="$jopts" /usr/bin/time -f "%M" -o "$tmp/rss" "$NB" train --family gpt --set n_layer="$nl" --set n_head="$nh" \
            --set d_model="$dm" --set seq_len="$sl" --set dropout=0 --tokenizer "$tok" --corpus "$corpus" \
            --batch "$bs" --steps "$steps" --lr 1e-3 --eval-every 100000 --runs-dir "$RUNS" --run-id "$id" \
            --threads "$threads" --device cpu >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
          [[ -n "$tokdir" ]] || tokdir="$(token_dir "$id")"
          s="$(java_summary "$id" "$(cat "$tmp/rss")")"
          last="$(printf '%s/checkpoints/step-%08d' "$RUNS/$id" $((steps - 1)))"
          fwd="$("$PY" bench/pytorch_gpt.py --tokens "$tokdir" "${model[@]}" --threads "$threads" --java-checkpoint "$last")"
          rm -rf "$RUNS/$id/checkpoints"  # 130 MB a run for moby-char; metrics.jsonl is what is kept
          printf '%s\t%s\t%s\t%s\t%s\n' "$threads" "$name" "$impl" "$s" "$fwd" >>"$RESULTS"
        else
          flag=()
          [[ "$impl" == sdpa ]] && flag=(--sdpa)
          s="$(/usr/bin/time -f "%M" -o "$tmp/rss" "$PY" bench/pytorch_gpt.py --tokens "$tokdir" "${model[@]}" \
               --steps "$steps" --lr 1e-3 --threads "$threads" --out "$RUNS/$id" "${flag[@]}")"
          printf '%s\t%s\t%s\t%s\t{"peak_rss_kb": %s}\n' "$threads" "$name" "$impl" "$s" "$(cat "$tmp/rss")" >>"$RESULTS"
        fi
      done
    done
    if [[ "$SAME_START" == 1 && "$threads" == "${THREADS_LIST%% *}" ]]; then
      # Java's initial weights (a 2-step run at lr 1e-30 checkpoints them unchanged), then PyTorch from
      # them on the batches Java draws, with Notebench's AdamW arithmetic: the whole loss curve should match.
      id="$name-init"
      rm -rf "${RUNS:?}/$id"
      "$NB" train --family gpt --set n_layer="$nl" --set n_head="$nh" --set d_model="$dm" --set seq_len="$sl" \
        --set dropout=0 --tokenizer "$tok" --corpus "$corpus" --batch "$bs" --steps 2 --lr 1e-30 --min-lr 0 \
        --eval-every 100000 --checkpoint-every 1 --runs-dir "$RUNS" --run-id "$id" --threads "$threads" \
        --device cpu >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
      echo "train-vs-pytorch: $name-t$threads-same-start ($steps steps)" >&2
      s="$("$PY" bench/pytorch_gpt.py --tokens "$tokdir" "${model[@]}" --steps "$steps" --lr 1e-3 \
           --threads "$threads" --sdpa --java-windows --notebench-optimizer --init-from "$RUNS/$id/checkpoints/step-00000000" \
           --out "$RUNS/$name-t$threads-same-start")"
      rm -rf "${RUNS:?}/$id"
      "$PY" - "$RUNS/$name-t$threads-r1-java/metrics.jsonl" "$RUNS/$name-t$threads-same-start/metrics.jsonl" \
        "$threads" "$name" >>"$SAME" <<'PYEOF'
import json, sys
def load(p):
    rows = [json.loads(l) for l in open(p)]
    return [r for r in rows if r["type"] == "step"], [r for r in rows if r["type"] == "eval"]
(js, je), (ps, pe) = load(sys.argv[1]), load(sys.argv[2])
same = next((i for i, (a, b) in enumerate(zip(js, ps)) if abs(a["loss"] - b["loss"]) > 1e-3 * abs(a["loss"])), len(js))
jump = max(range(1, len(js)), key=lambda i: js[i]["loss"] - js[i - 1]["loss"]) if len(js) > 1 else 0
jumped = f"step {jump} ({js[jump]['loss'] - js[jump - 1]['loss']:+.2f})" if jump else "none"
print("\t".join(map(str, [sys.argv[3], sys.argv[4], len(js), js[-1]["loss"], ps[-1]["loss"], je[-1]["val_loss"],
                           pe[-1]["val_loss"], same, jumped])))
PYEOF
    fi
  done
done

"$PY" - "$RESULTS" "$REPEATS" "$BATCH_B" "$SAME" "$RUNS" <<'EOF' | tee "$OUT/train-vs-pytorch.md"
import glob, json, os, platform, statistics, subprocess, sys
import torch
path, repeats, batch_b, same_path, runs_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
manifests = sorted(glob.glob(os.path.join(runs_dir, "*-java", "manifest.json")))
v = json.load(open(manifests[0])).get("versions", {}) if manifests else {}
runs = {}
for line in open(path):
    threads, name, impl, s, extra = line.rstrip("\n").split("\t")
    runs.setdefault((int(threads), name, impl), []).append((json.loads(s), json.loads(extra)))
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
print(f"Machine: {os.cpu_count()} cores ({cpu}); {java}; Notebench on DJL {v.get('djl', '?')} / "
      f"{v.get('engine', 'PyTorch ?').replace('PyTorch', 'libtorch')} (CPU); "
      f"PyTorch {torch.__version__} eager, Python {platform.python_version()}. "
      f"{repeats} alternated runs per row; tokens/s = median over steps 10.. of a run, median over runs.")
print()
print("Configs: **sotu-bpe** d_model 128, 2 layers, 4 heads, seq_len 64, batch 16, BPE vocab 8000 (sotu-full.txt); "
      f"**moby-char** d_model 384, 6 layers, 6 heads, seq_len 256, batch {batch_b}, chars (moby-dick.txt, vocab 90). "
      "AdamW 0.9/0.95, wd 0.1 on matrices, clip 1.0, lr 1e-3 with 5% warmup + cosine to 1e-4, dropout 0, fp32.")
print()
print("| threads | config | steps | implementation | tokens/s (median) | Java/PyTorch | train loss (last step) "
      "| val loss (after last step) | val vs Java (means) | peak RSS (MB) |")
print("|---|---|---|---|---|---|---|---|---|---|")
labels = {"java": "Notebench (Java)", "pytorch": "PyTorch eager, explicit attention",
          "sdpa": "PyTorch eager, SDPA", "javadef": "Notebench, glibc allocator defaults",
          "javaexp": "Notebench, explicit attention"}
checks = []
for threads in sorted({k[0] for k in runs}):
    for name in dict.fromkeys(k[1] for k in runs if k[0] == threads):
        j = runs.get((threads, name, "java"))
        jr = statistics.median(s["tokens_per_s"] for s, _ in j) if j else None
        jv = statistics.mean(s["val_loss"] for s, _ in j) if j else None
        for impl in ("java", "javadef", "javaexp", "pytorch", "sdpa"):
            rs = runs.get((threads, name, impl))
            if not rs:
                continue
            rate = statistics.median(s["tokens_per_s"] for s, _ in rs)
            spread = f" ({min(s['tokens_per_s'] for s, _ in rs):.0f}–{max(s['tokens_per_s'] for s, _ in rs):.0f})" \
                if len(rs) > 1 else ""
            last, extra = rs[-1]
            rss = (last.get("peak_rss_kb") or extra.get("peak_rss_kb")) / 1024
            ratio = "1.00" if impl == "java" else f"{jr / rate:.2f}" if jr else ""
            pv = statistics.mean(s["val_loss"] for s, _ in rs)
            dv = "" if impl == "java" or jv is None else f"{100 * (pv - jv) / jv:+.2f}%"
            vals = " / ".join(dict.fromkeys(f"{s['val_loss']:.4f}" for s, _ in rs))
            trains = " / ".join(dict.fromkeys(f"{s['train_loss']:.4f}" for s, _ in rs))
            print(f"| {threads} | {name} | {last['steps']} | {labels[impl]} | {rate:,.0f}{spread} | {ratio} | "
                  f"{trains} | {vals} | {dv} | {rss:,.0f} |")
            if impl == "java":
                for s, fwd in rs:
                    checks.append((threads, name, s["val_loss"], fwd["val_loss"]))
print()
print("Same forward pass: each Java run's last checkpoint loaded into the PyTorch model (`pytorch_gpt.py "
      "--java-checkpoint`) and evaluated on the same validation windows:")
print()
print("| threads | config | Java val loss | PyTorch on Java's weights | difference |")
print("|---|---|---|---|---|")
for threads, name, jv, pv in checks:
    print(f"| {threads} | {name} | {jv:.6f} | {pv:.6f} | {abs(jv - pv):.1e} |")
same = [l.rstrip("\n").split("\t") for l in open(same_path)] if os.path.exists(same_path) else []
if same:
    print()
    print("Same start: PyTorch from the Java run's initial weights (`--init-from`), on the batches Java draws "
          "(`--java-windows`), with Notebench's AdamW arithmetic (`--notebench-optimizer`), against the first Java run:")
    print()
    print("| threads | config | steps | Java train loss | PyTorch train loss | Java val loss | PyTorch val loss "
          "| val difference | step losses within 0.1% up to | Java's largest loss jump |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for t, name, n, jt, pt, jv, pv, upto, spike in same:
        jv, pv = float(jv), float(pv)
        print(f"| {t} | {name} | {n} | {float(jt):.4f} | {float(pt):.4f} | {jv:.4f} | {pv:.4f} | "
              f"{100 * (pv - jv) / jv:+.3f}% | {'all' if int(upto) == int(n) else 'step ' + str(int(upto) - 1)} | {spike} |")
EOF
