"""Kernel start to first executed cell, measured the way a notebook front end sees it.

For each kernel name: start the kernel with jupyter_client, wait for it to answer, execute a
trivial cell and wait for its reply; repeat --runs times with a fresh kernel each time. Also the
median latency of 20 further trivial cells. Prints a Markdown table.

    /usr/bin/python3 bench/kernel_startup.py --runs 5 notebench python3
"""

import argparse
import statistics
import time

from jupyter_client.manager import start_new_kernel

CELL = {"notebench": "1 + 1", "python3": "1 + 1"}


def run_cell(kc, code):
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            assert reply["content"]["status"] == "ok", reply["content"]
            return


def measure(name):
    t0 = time.monotonic()
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=60)
    try:
        ready = time.monotonic() - t0
        run_cell(kc, CELL.get(name, "1 + 1"))
        first = time.monotonic() - t0
        later = []
        for _ in range(20):
            t = time.monotonic()
            run_cell(kc, CELL.get(name, "1 + 1"))
            later.append(time.monotonic() - t)
        return ready, first, statistics.median(later)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("kernels", nargs="+")
    a = p.parse_args()
    print("| kernel | runs | ready (s, median) | first cell done (s, median / min / max) | later cell (ms, median) |")
    print("|---|---|---|---|---|")
    for name in a.kernels:
        measure(name)  # warm the OS file cache; not counted
        rows = [measure(name) for _ in range(a.runs)]
        ready = statistics.median(r[0] for r in rows)
        firsts = [r[1] for r in rows]
        later = statistics.median(r[2] for r in rows) * 1000
        print("| %s | %d | %.2f | %.2f / %.2f / %.2f | %.0f |" % (
            name, a.runs, ready, statistics.median(firsts), min(firsts), max(firsts), later))


if __name__ == "__main__":
    main()
