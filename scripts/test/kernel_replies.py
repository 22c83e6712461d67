"""Sends execute requests straight to the course kernel (jupyter_client, as nbclient and nbgrader
do) and prints each reply's content as one JSON line: what a Jupyter client learns from a reply,
and under "iopub" the messages the request published ([type, stream name or ename, text or evalue,
execution count]), as nbclient turns them into a cell's outputs.

    python kernel_replies.py '[{"code": "...", "stop_on_error": false}, ...]'

Requests go one after another, each as soon as the previous reply is in (nbclient's pace: well
inside tslab's 200 ms abort window after an error).
"""
import json
import os
import sys

from jupyter_client.manager import start_new_kernel


def main() -> int:
    requests = json.loads(sys.argv[1])
    km, kc = start_new_kernel(kernel_name="tslab", startup_timeout=120)
    try:
        for r in requests:
            msg_id = kc.execute(r["code"], stop_on_error=r.get("stop_on_error", True))
            while True:
                reply = kc.get_shell_msg(timeout=120)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            iopub = []
            while True:  # until the request's idle status: everything it published is in
                msg = kc.get_iopub_msg(timeout=120)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, c = msg["msg_type"], msg["content"]
                if kind == "status":
                    if c["execution_state"] == "idle":
                        break
                    continue
                iopub.append([kind, c.get("name") or c.get("ename"), c.get("text") or c.get("evalue"), c.get("execution_count")])
            content = reply["content"]
            # The kernel shares our stdout, and its node leaves that pipe non-blocking after its first
            # cell: a long line (the 3,000-line burst's reply is 128 kB) into a full pipe was cut short.
            os.set_blocking(sys.stdout.fileno(), True)
            print(json.dumps({**{k: content.get(k) for k in ("status", "ename", "evalue", "traceback")}, "iopub": iopub}), flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
