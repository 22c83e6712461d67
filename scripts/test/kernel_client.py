"""Runs code in a kernel of a live Jupyter server over its websocket, as JupyterLab does.

Usage: python kernel_client.py BASE_URL TOKEN KERNEL_ID CODE
Prints the kernel's stdout/results and exits 0 when the execute_reply is "ok", 1 otherwise.
(Used by start.test.mjs: Node 20 has no WebSocket client without a flag; tornado comes with Jupyter.)
"""
import json
import sys
import uuid

from tornado import ioloop, websocket


async def main(base: str, token: str, kernel_id: str, code: str) -> int:
    url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels?token={token}"
    conn = await websocket.websocket_connect(url)
    msg_id = uuid.uuid4().hex
    conn.write_message(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test", "session": uuid.uuid4().hex, "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False},
    }))
    # The reply (shell channel) and the idle status (iopub) may arrive in either order: wait for both.
    status = None
    idle = False
    while True:
        raw = await conn.read_message()
        if raw is None:
            print("websocket closed before the reply", file=sys.stderr)
            return 1
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            print(content["text"], end="", file=sys.stderr if content["name"] == "stderr" else sys.stdout)
        elif kind in ("execute_result", "display_data"):
            print(content["data"].get("text/plain", ""))
        elif kind == "execute_reply":
            status = content["status"]
        elif kind == "status" and content["execution_state"] == "idle":
            idle = True
        if idle and status is not None:
            return 0 if status == "ok" else 1


if __name__ == "__main__":
    sys.exit(ioloop.IOLoop.current().run_sync(lambda: main(*sys.argv[1:5]), timeout=120))
