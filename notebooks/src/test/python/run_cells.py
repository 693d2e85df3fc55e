"""Runs cells one by one in a kernel through jupyter_client, as a front end does, and prints one
JSON list: for each cell its reply status, ename, evalue, traceback, the text of its outputs, and
whether the kernel still answered a trivial cell afterwards (it is restarted when it did not, so
one dead kernel does not hide the cells after it). Usage: python3 run_cells.py KERNEL CELLS.json"""

import json
import sys

from jupyter_client.manager import start_new_kernel


def run(kc, code, timeout):
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    texts = []
    error = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            break
        if kind == "stream":
            texts.append(msg["content"]["text"])
        elif kind in ("display_data", "execute_result", "update_display_data"):
            texts.append(msg["content"]["data"].get("text/plain", ""))
        elif kind == "error":
            error = msg["content"]["traceback"]
            texts.extend(error)
    content = dict(reply["content"])
    if not content.get("traceback"):
        content["traceback"] = error  # some kernels send the traceback only on IOPub
    return content, texts


def main():
    name, cells_file = sys.argv[1], sys.argv[2]
    with open(cells_file, encoding="utf-8") as f:
        cells = json.load(f)
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=90)
    results = []
    try:
        for code in cells:
            try:
                reply, texts = run(kc, code, 180)
                entry = {"status": reply["status"], "ename": reply.get("ename"), "evalue": reply.get("evalue"),
                         "traceback": reply.get("traceback", []), "outputs": texts}
            except Exception as e:  # no reply at all: the kernel died or hung
                entry = {"status": "no reply", "ename": type(e).__name__, "evalue": str(e), "traceback": [], "outputs": []}
            try:
                alive, texts = run(kc, "40 + 2", 30)
                entry["alive"] = alive["status"] == "ok" and any("42" in t for t in texts)
            except Exception:
                entry["alive"] = False
            if not entry["alive"]:
                km.restart_kernel(now=True)
                kc.wait_for_ready(timeout=90)
            results.append(entry)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
