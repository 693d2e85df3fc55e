"""Self time per operator in two Chrome traces (libtorch's profiler via DJL, torch.profiler), side by side.

    python3 bench/op-profile.py A.json B.json [ROWS]

Self time is an event's duration less that of the events nested in it on the same thread, so each
millisecond counts once. Rows are the operators with the largest self time in either trace.
"""
import collections
import json
import sys


def self_times(path):
    events = json.load(open(path, encoding="utf-8"))
    events = events["traceEvents"] if isinstance(events, dict) else events
    events = [e for e in events if e.get("ph") == "X" and e.get("cat") in (None, "cpu_op")]
    by_thread = collections.defaultdict(list)
    for e in events:
        by_thread[e["tid"]].append(e)
    ms, calls = collections.Counter(), collections.Counter()
    for evs in by_thread.values():
        evs.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack, nested = [], collections.Counter()
        for i, e in enumerate(evs):
            while stack and evs[stack[-1]]["ts"] + evs[stack[-1]]["dur"] <= e["ts"]:
                stack.pop()
            if stack:
                nested[stack[-1]] += e["dur"]
            stack.append(i)
        for i, e in enumerate(evs):
            ms[e["name"]] += (e["dur"] - nested[i]) / 1000
            calls[e["name"]] += 1
    return ms, calls


def main(argv):
    a, b = self_times(argv[1]), self_times(argv[2])
    rows = int(argv[3]) if len(argv) > 3 else 30
    names = sorted(set(a[0]) | set(b[0]), key=lambda n: -max(a[0][n], b[0][n]))
    print("| operator | A self ms | A calls | B self ms | B calls |")
    print("|---|---|---|---|---|")
    print(f"| all | {sum(a[0].values()):.1f} | | {sum(b[0].values()):.1f} | |")
    for n in names[:rows]:
        print(f"| {n[:60]} | {a[0][n]:.1f} | {a[1][n]} | {b[0][n]:.1f} | {b[1][n]} |")


if __name__ == "__main__":
    main(sys.argv)
