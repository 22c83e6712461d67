"""Drives a real tslab kernel for viz-kernel.test.ts and prints what happened as one JSON object.

Usage: python viz-kernel-driver.py NOTEBOOK_DIR [signal|message]
Runs: the display mode; a chart (which MIME types arrive in one display_data); a trainingLoop
interrupted after ~1.5 s (the reply, the live view's last message, whether training goes on in
the background); and, for contrast, a hand-written async loop interrupted the same way. The
interrupts go as the kernelspec says (SIGINT on Linux and macOS), or as interrupt_request
messages with `message` (as on Windows); then also a cell awaiting a timer, interrupted by a
request this client sends itself, so that the kernel's interrupt_reply can be read.
"""
import json
import queue
import sys
import time

from jupyter_client.manager import KernelManager


def main(cwd: str, interrupt_mode: str | None) -> None:
    km = KernelManager(kernel_name="tslab")
    if interrupt_mode:
        km.kernel_spec.interrupt_mode = interrupt_mode
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    try:
        # Every update_display_data, whichever cell it answers: a loop stopped by an interrupt
        # sends its final update after its cell has already replied (and gone idle).
        all_updates = []

        def run(code, interrupt_after=None, timeout=20.0, interrupt=km.interrupt_kernel):
            msg_id = kc.execute(code)
            t0 = time.time()
            sent_interrupt = False
            out = {"stdout": "", "stderr": "", "displays": [], "updates": []}
            while True:
                if interrupt_after is not None and not sent_interrupt and time.time() - t0 > interrupt_after:
                    interrupt()
                    sent_interrupt = True
                try:
                    msg = kc.get_iopub_msg(timeout=0.1)
                except queue.Empty:
                    if time.time() - t0 > timeout:
                        raise TimeoutError(f"cell did not finish in {timeout} s: {code[:60]!r}")
                    continue
                if msg["msg_type"] == "update_display_data":
                    all_updates.append(msg["content"]["data"]["text/plain"])
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    out[content["name"]] += content["text"]
                elif kind == "display_data":
                    out["displays"].append(content)
                elif kind == "update_display_data":
                    out["updates"].append(content)
                elif kind == "status" and content["execution_state"] == "idle":
                    break
            while True:  # skip replies to other requests (the kernel_info of the start-up)
                reply = kc.get_shell_msg(timeout=10)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            out["status"] = reply["content"]["status"]
            # tslab aborts requests that arrive within 200 ms of an error: let that window pass.
            time.sleep(0.5)
            return out

        result = {}
        info = run('import * as kl from "kernel-lib";\nconsole.log(JSON.stringify(kl.viz.displayInfo()));')
        result["info"] = json.loads(info["stdout"].strip().splitlines()[-1])
        chart = run('kl.viz.show(kl.viz.lineChart({ title: "Loss", xTitle: "step", yTitle: "loss (nats)", series: { lstm: [3, 2, 1] } }));')
        result["chart_mimes"] = [sorted(d["data"].keys()) for d in chart["displays"]]

        # The loop is made in its own cell: declarations of a failed (interrupted) cell are lost.
        # (Object shorthand such as { w } is avoided: tslab does not rewrite it to the cell's variable.)
        run('let w = 0;\nconst loop = kl.viz.trainingLoop({ steps: 3000, title: "interrupt me" });')
        # `await loop.run(...)`: tslab does not see a bare `for await` as top-level await.
        body = "await loop.run(() => { w++; const t = Date.now(); while (Date.now() - t < 1) {} });"
        loop = run(body, interrupt_after=1.2)
        time.sleep(0.3)
        first = run("console.log(JSON.stringify({ w: w, done: loop.stepsDone, why: loop.stoppedBecause }));")
        time.sleep(0.5)
        second = run("console.log(JSON.stringify({ w: w }));")
        stopped_updates = list(all_updates)
        # Running the loop's cell again resumes it, to the end.
        resumed = run(body)
        final = run("console.log(JSON.stringify({ w: w, done: loop.stepsDone }));")
        result["loop"] = {
            "status": loop["status"],
            "stderr": loop["stderr"][:1000],
            "first_display": loop["displays"][0]["data"]["text/plain"] if loop["displays"] else None,
            "last_update": stopped_updates[-1] if stopped_updates else None,
            "after": json.loads(first["stdout"].strip().splitlines()[-1]),
            "later": json.loads(second["stdout"].strip().splitlines()[-1]),
            "resumed_status": resumed["status"],
            "resumed_first": resumed["displays"][0]["data"]["text/plain"] if resumed["displays"] else None,
            "resumed_last": resumed["updates"][-1]["data"]["text/plain"] if resumed["updates"] else None,
            "final": json.loads(final["stdout"].strip().splitlines()[-1]),
        }

        run("let n = 0;")
        plain = run(
            "for (let i = 0; i < 1e9; i++) { n++; const t = Date.now(); while (Date.now() - t < 2) {} await new Promise((r) => setImmediate(r)); }",
            interrupt_after=1.0,
        )
        a = run("console.log(JSON.stringify({ n: n }));")
        time.sleep(0.5)
        b = run("console.log(JSON.stringify({ n: n }));")
        result["plain_async_loop"] = {
            "status": plain["status"],
            "n_then": json.loads(a["stdout"].strip().splitlines()[-1])["n"],
            "n_later": json.loads(b["stdout"].strip().splitlines()[-1])["n"],
        }
        if interrupt_mode == "message":
            # The reply to an interrupt_request (km.interrupt_kernel sends one and reads nothing).
            control = {}

            def by_control_channel():
                msg = kc.session.msg("interrupt_request", {})
                kc.control_channel.send(msg)
                while True:
                    reply = kc.get_control_msg(timeout=10)
                    if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                        control.update(msg_type=reply["msg_type"], content=reply["content"])
                        return

            awaiting = run('await new Promise((resolve) => setTimeout(resolve, 30000));\nconsole.log("not interrupted");', interrupt_after=1.0, interrupt=by_control_channel)
            after = run('console.log("still here", 6 * 7);')
            result["awaiting_by_message"] = {"status": awaiting["status"], "stdout": awaiting["stdout"], "stderr": awaiting["stderr"][:300],
                                             "control_reply": control, "after": [after["status"], after["stdout"]]}
        print(json.dumps(result))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
