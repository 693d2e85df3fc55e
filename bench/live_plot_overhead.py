"""Trains the same small GPT in one Notebench kernel, alternately with a TrainingView (live plot
and progress bar, whose display messages this client receives) and without, and prints tokens/s
of each (median over the steps after the first 10, then over the repeats) as a Markdown table.
Used by bench/live-plot-overhead.sh."""

import argparse
import json
import os
import statistics

from jupyter_client.manager import start_new_kernel

SETUP = """
import dev.notebench.train.*;
import dev.notebench.train.magic.TrainingView;
import dev.notebench.train.model.ModelConfig;
TrainConfig cfg(String id) {
    return TrainConfig.builder(ModelConfig.of("gpt", "n_layer", 2, "n_head", 4, "d_model", 128, "seq_len", 64, "dropout", 0.0),
                    Path.of("%(tokenizer)s"), "%(corpus)s")
            .runsDir(Path.of("%(runs)s")).runId(id).steps(%(steps)d).batchSize(16).learningRate(1e-3).eval(50, 4)
            .device("cpu").threads(2).build();
}
"""


def run(kc, code):
    msg_id = kc.execute(code)
    messages = {"display_data": 0, "update_display_data": 0, "bytes": 0}
    while True:
        msg = kc.get_iopub_msg(timeout=600)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            return messages
        if kind == "error":
            raise SystemExit("\n".join(msg["content"]["traceback"]))
        if kind in messages:
            messages[kind] += 1
            messages["bytes"] += len(json.dumps(msg["content"]))


def tokens_per_s(run_dir):
    rows = [json.loads(l) for l in open(os.path.join(run_dir, "metrics.jsonl"))]
    rates = [r["tokens_per_s"] for r in rows if r["type"] == "step"][10:]
    return statistics.median(rates)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--runs", required=True)
    a = ap.parse_args()
    km, kc = start_new_kernel(kernel_name="notebench", startup_timeout=60)
    results = {"plain": [], "live": []}
    traffic = []
    try:
        run(kc, SETUP % {"tokenizer": a.tokenizer, "corpus": a.corpus, "runs": a.runs, "steps": a.steps})
        run(kc, 'TrainRun.create(cfg("warmup")).run();')  # JIT, token file, natives: outside the timings
        for rep in range(a.repeats):
            order = ["plain", "live"] if rep % 2 == 0 else ["live", "plain"]
            for kind in order:
                rid = "%s-%d" % (kind, rep)
                listener = ".listener(new TrainingView(notebook()))" if kind == "live" else ""
                msgs = run(kc, 'TrainRun.create(cfg("%s"))%s.run();' % (rid, listener))
                results[kind].append(tokens_per_s(os.path.join(a.runs, rid)))
                if kind == "live":
                    traffic.append(msgs)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    plain, live = statistics.median(results["plain"]), statistics.median(results["live"])
    print("| run | tokens/s (median of %d) | runs | display messages per run | bytes per run |" % a.repeats)
    print("|---|---|---|---|---|")
    print("| no view | %s | %s | 0 | 0 |" % (f"{plain:,.0f}", ", ".join(f"{r:,.0f}" for r in results["plain"])))
    print("| TrainingView (live plot + progress bar) | %s | %s | %d | %s |" % (
        f"{live:,.0f}", ", ".join(f"{r:,.0f}" for r in results["live"]),
        statistics.median(m["display_data"] + m["update_display_data"] for m in traffic),
        f"{statistics.median(m['bytes'] for m in traffic):,.0f}"))
    print()
    print("Overhead of the live view: %+.2f%% tokens/s (%d steps a run)" % (100 * (live - plain) / plain, a.steps))


if __name__ == "__main__":
    main()
