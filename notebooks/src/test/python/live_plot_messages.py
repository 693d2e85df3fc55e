"""Executes a notebook's code cells one by one over the Jupyter protocol (jupyter_client, as a
front end does) and prints, as one JSON object, the display messages each cell produced: type,
which display (numbered in order of appearance), and what the HTML holds. LivePlot's in-place
updates are asserted from it by NotebooksIT.
Usage: python3 live_plot_messages.py KERNEL NOTEBOOK [CELLS]   (CELLS: run only the first CELLS code cells)"""

import json
import os
import sys

from jupyter_client.manager import start_new_kernel


def main():
    name, notebook = sys.argv[1], sys.argv[2]
    cells = [c for c in json.load(open(notebook))["cells"] if c["cell_type"] == "code"]
    if len(sys.argv) > 3:
        cells = cells[:int(sys.argv[3])]
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=60, cwd=os.path.dirname(os.path.abspath(notebook)))
    result = []
    try:
        for cell in cells:
            msg_id = kc.execute("".join(cell["source"]))
            ids, seen = {}, []
            while True:
                msg = kc.get_iopub_msg(timeout=300)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind == "status" and msg["content"]["execution_state"] == "idle":
                    break
                if kind == "error":
                    seen.append({"type": "error", "text": "\n".join(msg["content"]["traceback"])})
                if kind not in ("display_data", "update_display_data"):
                    continue
                html = msg["content"]["data"].get("text/html", "")
                display = msg["content"].get("transient", {}).get("display_id")
                seen.append({
                    "type": kind,
                    "display": ids.setdefault(display, len(ids)),
                    "figure": "notebench-figure" in html,
                    "extend": "Plotly.extendTraces(d," in html,
                    "empty": html == "",
                    "bytes": len(html),
                })
            result.append(seen)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
