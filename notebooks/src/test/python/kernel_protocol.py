"""Drives the Notebench kernel over the Jupyter protocol with jupyter_client, the library every
Jupyter front end uses, and prints what it observed as one JSON object (asserted by
KernelProtocolIT). Usage: python3 kernel_protocol.py KERNEL_NAME"""

import json
import sys
import time

from jupyter_client.manager import start_new_kernel


def main():
    name = sys.argv[1]
    t0 = time.monotonic()
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=60)
    result = {}
    try:
        info = kc.kernel_info(reply=True, timeout=30)["content"]
        result["language"] = info["language_info"]["name"]
        result["banner_starts"] = info["banner"].split(" :: ")[1].split(" ")[0:2]

        def run(code, timeout=60):
            msg_id = kc.execute(code)
            reply = kc.get_shell_msg(timeout=timeout)
            while reply["parent_header"].get("msg_id") != msg_id:
                reply = kc.get_shell_msg(timeout=timeout)
            outputs = []
            while True:
                msg = kc.get_iopub_msg(timeout=timeout)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
                if msg["msg_type"] not in ("status", "execute_input"):
                    outputs.append(msg)
            return reply["content"], outputs

        reply, outputs = run("1 + 1")
        result["first_cell_s"] = round(time.monotonic() - t0, 3)
        result["one_plus_one"] = [o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "execute_result"]

        reply, outputs = run('System.out.println("out"); System.err.println("err");')
        result["streams"] = [[o["content"]["name"], o["content"]["text"]] for o in outputs if o["msg_type"] == "stream"]

        # display and in-place updates from the cell
        reply, outputs = run('String id = display("tick 0");\nfor (int i = 1; i <= 3; i++) updateDisplay(id, "tick " + i);')
        result["display"] = [[o["msg_type"], o["content"]["data"]["text/plain"],
                              o["content"].get("transient", {}).get("display_id") is not None] for o in outputs]
        ids = {o["content"]["transient"]["display_id"] for o in outputs}
        result["display_ids"] = len(ids)

        # an update from a background thread after the cell has finished
        reply, outputs = run('String late = display("before");\n'
                             'new Thread(() -> { try { Thread.sleep(400); } catch (InterruptedException e) { }'
                             ' updateDisplay(late, "after"); }).start();')
        late_id = outputs[0]["content"]["transient"]["display_id"]
        late = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and late is None:
            msg = kc.get_iopub_msg(timeout=10)
            if msg["msg_type"] == "update_display_data" and msg["content"]["transient"]["display_id"] == late_id:
                late = msg["content"]["data"]["text/plain"]
        result["late_update"] = late

        # a magic with wrong arguments: one line, and the kernel goes on
        reply, outputs = run("%help")
        err = [o["content"] for o in outputs if o["msg_type"] == "error"][0]
        result["bad_magic"] = {"status": reply["status"], "ename": err["ename"], "traceback": err["traceback"]}
        reply, outputs = run('"still alive"')
        result["after_bad_magic"] = [o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "execute_result"]

        # an exception thrown by cell code is shown briefly
        reply, outputs = run('throw new IllegalArgumentException("bad value 7");')
        err = [o["content"] for o in outputs if o["msg_type"] == "error"][0]
        result["exception"] = {"ename": err["ename"], "evalue": err["evalue"], "lines": len(err["traceback"])}

        # interrupt a running cell
        msg_id = kc.execute("Thread.sleep(60_000);")
        time.sleep(1.0)
        t1 = time.monotonic()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=30)
        result["interrupt"] = {"status": reply["content"]["status"], "ename": reply["content"].get("ename"),
                               "seconds": round(time.monotonic() - t1, 3)}
        reply, outputs = run("2 + 2")
        result["after_interrupt"] = [o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "execute_result"]

        # interrupt a busy loop that never looks at its interrupt flag; it says what stopped it
        msg_id = kc.execute('try {\n'
                            '    System.out.println("spinning");\n'
                            '    long spin = 0;\n'
                            '    while (true) { spin++; }\n'
                            '} catch (Throwable t) { System.out.println("stopped by " + t.getClass().getSimpleName()); throw t; }')
        texts = []
        while "spinning\n" not in "".join(texts):
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                texts.append(msg["content"]["text"])
        time.sleep(0.5)  # well into the loop
        t1 = time.monotonic()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=60)
        seconds = round(time.monotonic() - t1, 3)
        while True:
            msg = kc.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
            if msg["msg_type"] == "stream":
                texts.append(msg["content"]["text"])
        result["busy_interrupt"] = {"status": reply["content"]["status"], "ename": reply["content"].get("ename"),
                                    "evalue": reply["content"].get("evalue"), "seconds": seconds,
                                    "stdout": "".join(texts)}
        reply, outputs = run("3 + 3")
        result["after_busy_interrupt"] = [o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "execute_result"]

        # System.exit and Runtime.halt in cells: reported, and the kernel keeps its state
        run("int keptAcrossExit = 41;")
        for name, code in (("exit", "System.exit(1);"), ("halt", "Runtime.getRuntime().halt(3);")):
            reply, outputs = run(code)
            err = [o["content"] for o in outputs if o["msg_type"] == "error"][0]
            result[name] = {"status": reply["status"], "ename": err["ename"], "evalue": err["evalue"],
                            "traceback": err["traceback"]}
        reply, outputs = run("keptAcrossExit + 1")
        result["after_exit"] = [o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "execute_result"]

        # completion and completeness
        code = '"abc".toUpp'
        c = kc.complete(code, len(code), reply=True, timeout=30)["content"]
        result["complete"] = {"matches": c["matches"], "start": c["cursor_start"], "end": c["cursor_end"]}
        c = kc.complete("%mav", 4, reply=True, timeout=30)["content"]
        result["complete_magic"] = c["matches"]
        ic_id = kc.is_complete("if (true) {")
        ic = kc.get_shell_msg(timeout=30)
        while ic["parent_header"].get("msg_id") != ic_id:
            ic = kc.get_shell_msg(timeout=30)
        ic = ic["content"]
        result["is_complete"] = [ic["status"], ic.get("indent")]

        # a restart asks the kernel to shut down: it exits by itself (a kill would read -9)
        before = km.provisioner.process
        km.restart_kernel(now=False)
        result["restart_exit_code"] = before.wait(timeout=30)
        kc.wait_for_ready(timeout=60)
        reply, outputs = run("5 + 5")
        result["after_restart"] = [o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "execute_result"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    result["shutdown_clean"] = not km.is_alive()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
