"""Interrupts the course kernel by message, as Jupyter must on Windows, and prints what happened as
one JSON object (for course-kernel.test.mjs). The kernelspec asks for messages only on Windows
(scripts/setup.mjs); here the kernel manager is told to use them on any system.

    python kernel_interrupt.py

Two cells that await a 30 s timer: the first interrupted by an interrupt_request this client sends
on the control channel (so the reply can be read), the second by jupyter_client's own
KernelManager.interrupt_kernel() (what Jupyter Server does for Kernel > Interrupt, by the
kernelspec's interrupt_mode). Then a cell that must run normally.
"""
import json
import queue
import sys
import time

from jupyter_client.manager import KernelManager


def main() -> int:
    km = KernelManager(kernel_name="tslab")
    km.kernel_spec.interrupt_mode = "message"
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    result = {"interrupt_mode": km.kernel_spec.interrupt_mode}
    try:

        def run(code, interrupt=None, after=1.5, timeout=25.0):
            msg_id = kc.execute(code)
            t0, sent, out = time.time(), False, {"stderr": "", "stdout": ""}
            while True:
                if interrupt and not sent and time.time() - t0 > after:
                    interrupt()
                    sent = True
                try:
                    msg = kc.get_iopub_msg(timeout=0.1)
                except queue.Empty:
                    if time.time() - t0 > timeout:
                        raise TimeoutError(f"cell did not finish in {timeout} s: {code[:60]!r}")
                    continue
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    out[content["name"]] += content["text"]
                elif kind == "status" and content["execution_state"] == "idle":
                    break
            while True:
                reply = kc.get_shell_msg(timeout=10)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            out["status"] = reply["content"]["status"]
            out["seconds"] = time.time() - t0
            time.sleep(0.5)  # tslab aborts requests that arrive within 200 ms of an error
            return out

        control = {}

        def by_control_channel():
            msg = kc.session.msg("interrupt_request", {})
            kc.control_channel.send(msg)
            while True:
                reply = kc.get_control_msg(timeout=10)
                if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                    control.update(msg_type=reply["msg_type"], content=reply["content"])
                    return

        awaiting = 'await new Promise((resolve) => setTimeout(resolve, 30000));\nconsole.log("not interrupted");'
        result["by_message"] = run(awaiting, by_control_channel)
        result["control_reply"] = control
        result["by_manager"] = run(awaiting, km.interrupt_kernel)
        result["after"] = run('console.log("still here", 6 * 7);')
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
