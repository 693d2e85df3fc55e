"""Drives the Notebench kernel's Jupyter widgets over the Jupyter protocol with jupyter_client, as
JupyterLab's widget manager (ipywidgets 8) would, and prints what it observed as one JSON object
(asserted by WidgetProtocolIT). Usage: python3 widget_protocol.py KERNEL_NAME WORK_DIR

The client plays the front end: it announces itself on the jupyter.widget.control comm, reads the
comm_open messages the kernel sends, sends updates and clicks as comm_msg on the shell channel, and
closes comms."""

import json
import os
import re
import sys
import time
import uuid

from jupyter_client.manager import start_new_kernel

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


class Frontend:
    """A front end's view of one kernel: every IOPub message kept, in order, so that nothing read
    while waiting for one thing is lost for the next."""

    def __init__(self, kc):
        self.kc = kc
        self.seen = []

    def pump(self, timeout):
        try:
            self.seen.append(self.kc.get_iopub_msg(timeout=timeout))
            return True
        except Exception:  # queue.Empty: nothing within the timeout
            return False

    def wait_for(self, predicate, timeout=60, start=0):
        deadline = time.monotonic() + timeout
        while True:
            for m in self.seen[start:]:
                if predicate(m):
                    return m
            if time.monotonic() > deadline:
                raise TimeoutError("no such message within %ss" % timeout)
            self.pump(1)

    def run(self, code, timeout=120):
        """Executes a cell; returns (reply content, the IOPub messages it parented, its execute_result text)."""
        msg_id = self.kc.execute(code)
        reply = self.shell_reply(msg_id, timeout)
        self.wait_for(lambda m: m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                      and m["content"]["execution_state"] == "idle", timeout)
        outputs = [m for m in self.seen if m["parent_header"].get("msg_id") == msg_id
                   and m["msg_type"] not in ("status", "execute_input")]
        results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
        if reply["status"] != "ok":
            raise AssertionError("cell failed: %s\n%s" % (code, reply))
        return reply, outputs, results[0] if results else None

    def shell_reply(self, msg_id, timeout):
        while True:
            reply = self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]

    def send(self, msg_type, content, metadata=None):
        msg = self.kc.session.msg(msg_type, content, metadata=metadata or {})
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def comm_msg(self, comm_id, data):
        return self.send("comm_msg", {"comm_id": comm_id, "data": data})

    def comm_info(self, target="jupyter.widget"):
        msg_id = self.send("comm_info_request", {"target_name": target})
        return self.shell_reply(msg_id, 30)["comms"]

    def opens(self, start=0):
        return [m for m in self.seen[start:] if m["msg_type"] == "comm_open"]

    def msgs(self, comm_id, start=0):
        return [m for m in self.seen[start:] if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id]

    def opened(self, model_name, description=None, start=0):
        for m in self.opens(start):
            state = m["content"]["data"]["state"]
            if state["_model_name"] == model_name and (description is None or state.get("description") == description):
                return m
        raise AssertionError("no %s %s was opened" % (model_name, description))


def value_of(text):
    return None if text is None else text.strip('"')


def main():
    name, work = sys.argv[1], os.path.abspath(sys.argv[2])
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=60, cwd=work)
    fe = Frontend(kc)
    result = {}
    try:
        kc.kernel_info(reply=True, timeout=30)

        # before a widgets front end announced itself: text, and no comm
        mark = len(fe.seen)
        _, outputs, _ = fe.run("display(new IntSlider().description(\"n\").value(3));")
        result["before_frontend"] = {
            "data": [o["content"]["data"] for o in outputs if o["msg_type"] == "display_data"],
            "comm_opens": len(fe.opens(mark))}

        # the front end announces itself as JupyterLab's widget manager does, asking for every state
        control = uuid.uuid4().hex
        fe.send("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                metadata={"version": "1.0.0"})
        fe.comm_msg(control, {"method": "request_states"})
        answer = fe.wait_for(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == control)
        result["request_states_empty"] = answer["content"]["data"]

        # a widget shown: its layout and style opened first, then it, then its view
        mark = len(fe.seen)
        _, outputs, _ = fe.run("IntSlider s = new IntSlider().description(\"n\").max(10).value(3);\ndisplay(s);")
        opens = fe.opens(mark)
        slider = fe.opened("IntSliderModel", start=mark)
        sid = slider["content"]["comm_id"]
        views = [o["content"]["data"] for o in outputs if o["msg_type"] == "display_data"]
        result["open"] = {
            "targets": [o["content"]["target_name"] for o in opens],
            "metadata": [o["metadata"] for o in opens],
            "models": [o["content"]["data"]["state"]["_model_name"] for o in opens],
            "slider": slider["content"]["data"],
            "view": views,
            "slider_id": sid,
            "open_before_view": fe.seen.index(slider) < fe.seen.index(
                [o for o in outputs if o["msg_type"] == "display_data"][0]),
        }

        # the front end moves the slider: the next cell sees the value; the kernel echoes the update
        update_id = fe.comm_msg(sid, {"method": "update", "state": {"value": 7}, "buffer_paths": []})
        _, _, value = fe.run("s.value()")
        echo = fe.wait_for(lambda m: m["msg_type"] == "comm_msg" and m["parent_header"].get("msg_id") == update_id)
        result["from_frontend"] = {"next_cell_sees": value, "echo": echo["content"]["data"]}

        # Java sets it: the front end gets an update
        mark = len(fe.seen)
        fe.run("s.value(9);")
        result["from_java"] = [m["content"]["data"] for m in fe.msgs(sid, mark)]

        # a button clicked in the front end runs its Java listener
        mark = len(fe.seen)
        fe.run("Button go = new Button(\"Go\");\nList<String> clicks = new CopyOnWriteArrayList<>();\n"
               "go.onClick(b -> clicks.add(\"clicked \" + b.description()));\ndisplay(go);")
        gid = fe.opened("ButtonModel", "Go", mark)["content"]["comm_id"]
        fe.comm_msg(gid, {"method": "custom", "content": {"event": "click"}})
        _, _, clicks = fe.run("clicks")
        result["click"] = clicks

        # a click while a cell runs reaches Java during that cell
        msg_id = fe.kc.execute("CountDownLatch clicked = new CountDownLatch(1);\ngo.onClick(b -> clicked.countDown());\n"
                               "display(\"waiting for a click\");\nboolean inTime = clicked.await(60, TimeUnit.SECONDS);\n"
                               "\"clicked during the cell: \" + inTime")
        fe.wait_for(lambda m: m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "display_data")
        # a page that connects while the cell runs is answered at once, as a reloaded JupyterLab is
        info_id = fe.send("kernel_info_request", {})
        result["kernel_info_during_cell"] = fe.shell_reply(info_id, 30)["language_info"]["name"]
        fe.comm_msg(gid, {"method": "custom", "content": {"event": "click"}})
        fe.shell_reply(msg_id, 90)
        result["click_during_cell"] = value_of(fe.wait_for(
            lambda m: m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_result")
                                               ["content"]["data"]["text/plain"])

        # Java closes a widget: comm_close, and it is no longer listed
        mark = len(fe.seen)
        fe.run("go.close();")
        closes = [m["content"]["comm_id"] for m in fe.seen[mark:] if m["msg_type"] == "comm_close"]
        listed = fe.comm_info()
        result["java_close"] = {"closed_first": closes[:1] == [gid], "closes": len(closes), "listed": gid in listed,
                                "slider_listed": sid in listed}

        # the front end closes a widget: released in Java
        fe.send("comm_close", {"comm_id": sid, "data": {}})
        _, _, closed = fe.run("s.isClosed()")
        result["frontend_close"] = {"closed_in_java": closed, "listed": sid in fe.comm_info()}

        # a widget changed from another thread, after the cell that showed it finished
        mark = len(fe.seen)
        fe.run("Label tick = new Label(\"0\");\ndisplay(tick);\nCountDownLatch go2 = new CountDownLatch(1);\n"
               "new Thread(() -> { try { go2.await(); } catch (InterruptedException e) { return; }\n"
               "    for (int i = 1; i <= 5; i++) tick.value(\"\" + i); }, \"ticker\").start();")
        tid = fe.opened("LabelModel", start=mark)["content"]["comm_id"]
        fe.run("go2.countDown();")
        fe.wait_for(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == tid
                    and m["content"]["data"].get("state", {}).get("value") == "5", start=mark)
        result["thread"] = [m["content"]["data"]["state"]["value"] for m in fe.msgs(tid, mark)]

        # %train's Stop and Checkpoint-now buttons, clicked over the protocol while it trains
        result["train"] = train(fe, work)

        # %generate --interactive: the form, a slider moved and Generate clicked; the samples appear in its output area
        result["generate"] = generate(fe, work)

        # every open widget's state, as a reconnecting front end asks for it
        control2 = uuid.uuid4().hex
        fe.send("comm_open", {"comm_id": control2, "target_name": "jupyter.widget.control", "data": {}},
                metadata={"version": "1.0.0"})
        fe.comm_msg(control2, {"method": "request_states"})
        states = fe.wait_for(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == control2)
        result["request_states"] = sorted(s["model_name"] for s in states["content"]["data"]["states"].values())

        # a restart closes every widget's comm before the kernel goes, and the new kernel has none
        open_before = set(fe.comm_info().keys())
        mark = len(fe.seen)
        before = km.provisioner.process
        km.restart_kernel(now=False)
        result["restart_exit_code"] = before.wait(timeout=60)
        while fe.pump(1):
            pass
        closed_at_restart = {m["content"]["comm_id"] for m in fe.seen[mark:] if m["msg_type"] == "comm_close"}
        kc.wait_for_ready(timeout=60)
        result["restart"] = {"open_before": len(open_before), "all_closed": open_before <= closed_at_restart,
                             "after": fe.comm_info()}
    except BaseException:
        for m in fe.seen[-40:]:  # what the kernel said last, for whoever reads the failure
            sys.stderr.write("%s %s\n" % (m["msg_type"], json.dumps(m["content"])[:300]))
        raise
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    print(json.dumps(result))


def train(fe, work):
    corpus = os.path.join(REPO, "datasets", "sotu", "sotu-sample.txt")
    fe.run("%%tokenizer train --type char --corpus %s --out %s" % (corpus, os.path.join(work, "chars")))
    mark = len(fe.seen)
    msg_id = fe.kc.execute(
        "dev.notebench.train.TrainRun.Result r = %%train --tokenizer %s --corpus %s --set n_layer=1 --set n_head=2 --set d_model=32 --set seq_len=32"
        " --batch 4 --steps 100000 --eval-every 100000 --runs-dir %s --run-id stop-me"
        % (os.path.join(work, "chars"), corpus, os.path.join(work, "runs")))
    fe.wait_for(lambda m: m["msg_type"] == "comm_open" and m["content"]["data"]["state"]["_model_name"] == "HBoxModel",
                start=mark)  # opened after its children
    stop = fe.opened("ButtonModel", "Stop", mark)
    save = fe.opened("ButtonModel", "Checkpoint now", mark)
    status = fe.opened("LabelModel", start=mark)

    def steps_done():
        done = 0
        for m in fe.seen[mark:]:
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] in ("display_data", "update_display_data"):
                found = re.search(r"stop-me: +[0-9]+% \(([0-9]+) of ", m["content"]["data"].get("text/plain", ""))
                if found:
                    done = max(done, int(found.group(1)))
        return done

    fe.wait_for(lambda m: steps_done() >= 3, timeout=120, start=mark)
    fe.comm_msg(save["content"]["comm_id"], {"method": "custom", "content": {"event": "click"}})
    saved = fe.wait_for(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == status["content"]["comm_id"]
                        and "saved" in m["content"]["data"].get("state", {}).get("value", ""), timeout=120, start=mark)
    t0 = time.monotonic()
    fe.comm_msg(stop["content"]["comm_id"], {"method": "custom", "content": {"event": "click"}})
    fe.shell_reply(msg_id, 120)
    stop_seconds = round(time.monotonic() - t0, 3)
    fe.wait_for(lambda m: m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                and m["content"]["execution_state"] == "idle")
    closes = {m["content"]["comm_id"] for m in fe.seen[mark:] if m["msg_type"] == "comm_close"}
    _, _, ended = fe.run("r.status() + \" \" + r.lastStep() + \" \" + Files.isDirectory(Path.of(%s, \"runs\", \"stop-me\","
                         " \"checkpoints\", String.format(\"step-%%08d\", r.lastStep())))" % json.dumps(work))
    _, _, checkpoints = fe.run("Files.list(Path.of(%s, \"runs\", \"stop-me\", \"checkpoints\")).map(p -> p.getFileName()"
                               ".toString()).sorted().toList().toString()" % json.dumps(work))
    return {
        "buttons": [stop["content"]["data"]["state"]["description"], save["content"]["data"]["state"]["description"]],
        "icons": [stop["content"]["data"]["state"]["icon"], save["content"]["data"]["state"]["icon"]],
        "saved_note": saved["content"]["data"]["state"]["value"],
        "ended": value_of(ended),
        "checkpoints": value_of(checkpoints),
        "stop_seconds": stop_seconds,
        "controls_closed": {stop["content"]["comm_id"], save["content"]["comm_id"], status["content"]["comm_id"]} <= closes,
    }


def generate(fe, work):
    mark = len(fe.seen)
    fe.run("%%generate --run %s --interactive --max-new-tokens 8 --temperature 0.8 My fellow"
           % os.path.join(work, "runs", "stop-me"))
    fe.wait_for(lambda m: m["msg_type"] == "comm_open" and m["content"]["data"]["state"]["_model_name"] == "VBoxModel",
                start=mark)
    sliders = {o["content"]["data"]["state"]["description"]: o for o in fe.opens(mark)
               if o["content"]["data"]["state"]["_model_name"] in ("FloatSliderModel", "IntSliderModel")}
    prompt = fe.opened("TextareaModel", "prompt", mark)
    button = fe.opened("ButtonModel", "Generate", mark)
    output = [o for o in fe.opens(mark) if o["content"]["data"]["state"]["_model_name"] == "OutputModel"][0]
    fe.comm_msg(sliders["temperature"]["content"]["comm_id"], {"method": "update", "state": {"value": 0.0}, "buffer_paths": []})
    fe.comm_msg(button["content"]["comm_id"], {"method": "custom", "content": {"event": "click"}})
    oid = output["content"]["comm_id"]
    filled = fe.wait_for(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == oid
                         and m["content"]["data"].get("state", {}).get("outputs"), timeout=120, start=mark)
    out = filled["content"]["data"]["state"]["outputs"][0]
    _, outputs, _ = fe.run("%%generate --run %s --max-new-tokens 8 --temperature 0 My fellow"
                           % os.path.join(work, "runs", "stop-me"))
    plain = [o["content"]["data"]["text/plain"] for o in outputs if o["msg_type"] == "display_data"]
    return {
        "sliders": {k: [v["content"]["data"]["state"][x] for x in ("value", "min", "max")] for k, v in sorted(sliders.items())},
        "prompt": prompt["content"]["data"]["state"]["value"],
        "output": [out["output_type"], out["data"]["text/plain"]],
        "same_as_greedy_magic": out["data"]["text/plain"] == plain[0],
    }


if __name__ == "__main__":
    main()
