# The workload in PyTorch, the peer a learner would pick next: nn.RNN / nn.LSTM / nn.GRU fed
# F.one_hot(x) [T, B, 64] (time-major), an nn.Linear head, F.cross_entropy over all T*B
# predictions, backward(), clip_grad_norm_(params, 5), torch.optim.Adam. Float64 or float32,
# on as many threads as the bench says (torch.set_num_threads), from the bench's own weights and
# batch, so its first step must agree with kernel-lib's.
#
# Driven by pytorch.ts, one JSON object per line each way on stdin/stdout:
#   (start)                                  -> {"ready": true, "torch": "2.13.0+cpu", "threads": 1}
#   {"op": "setup", cell, dtype, shape, inputs, targets, weights, warmupSteps}  -> {"ok": true}
#   {"op": "repeat", minSeconds, minSteps}   -> {"secondsPerStep", "steps", "first": {"loss", "gradNorm"}}
#   {"op": "teardown"}                       -> {"ok": true}
# Any failure is {"error": "..."}. Timing is done here (time.perf_counter around whole steps), so
# the pipe to Node is never inside a measurement.
import json
import sys
import time
import traceback

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 else 1

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(json.dumps({"error": f"{sys.executable} cannot import torch ({e}); install it into that Python with: {sys.executable} -m pip install torch==2.13.0"}), flush=True)
    sys.exit(0)

torch.set_num_threads(THREADS)


class Trainer:
    def __init__(self, cell, dtype, shape, inputs, targets, weights):
        T, B, V, H = shape["steps"], shape["batch"], shape["vocab"], shape["hidden"]
        self.dtype = {"float64": torch.float64, "float32": torch.float32}[dtype]
        layer = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[cell]
        self.rnn = layer(V, H).to(self.dtype)
        self.head = torch.nn.Linear(H, V).to(self.dtype)
        G = len(weights["biasIh"])
        with torch.no_grad():
            self.rnn.weight_ih_l0.copy_(torch.tensor(weights["weightIh"], dtype=self.dtype).reshape(G, V))
            self.rnn.weight_hh_l0.copy_(torch.tensor(weights["weightHh"], dtype=self.dtype).reshape(G, H))
            self.rnn.bias_ih_l0.copy_(torch.tensor(weights["biasIh"], dtype=self.dtype))
            self.rnn.bias_hh_l0.copy_(torch.tensor(weights["biasHh"], dtype=self.dtype))
            self.head.weight.copy_(torch.tensor(weights["headWeight"], dtype=self.dtype).reshape(V, H))
            self.head.bias.copy_(torch.tensor(weights["headBias"], dtype=self.dtype))
        self.inputs = torch.tensor(inputs, dtype=torch.long).reshape(T, B)
        self.targets = torch.tensor(targets, dtype=torch.long).reshape(T * B)
        self.shape = (T, B, V)
        self.params = list(self.rnn.parameters()) + list(self.head.parameters())
        self.optimizer = torch.optim.Adam(self.params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
        self.first = None

    def step(self):
        T, B, V = self.shape
        self.optimizer.zero_grad()
        x = F.one_hot(self.inputs, V).to(self.dtype)  # [T, B, V], as a char-RNN feeds nn.LSTM
        out, _ = self.rnn(x)
        loss = F.cross_entropy(self.head(out).reshape(T * B, V), self.targets)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(self.params, 5.0)
        self.optimizer.step()
        result = {"loss": loss.item(), "gradNorm": grad_norm.item()}
        if self.first is None:
            self.first = result
        if result["loss"] != result["loss"] or abs(result["loss"]) == float("inf"):
            raise RuntimeError(f"training diverged: loss {result['loss']}")
        return result

    def repeat(self, min_seconds, min_steps):
        t0 = time.perf_counter()
        steps = 0
        while True:
            self.step()
            steps += 1
            elapsed = time.perf_counter() - t0
            if steps >= min_steps and elapsed >= min_seconds:
                return {"secondsPerStep": elapsed / steps, "steps": steps, "first": self.first}


def main():
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    trainer = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            op = req["op"]
            if op == "setup":
                trainer = Trainer(req["cell"], req["dtype"], req["shape"], req["inputs"], req["targets"], req["weights"])
                for _ in range(req["warmupSteps"]):
                    trainer.step()
                reply = {"ok": True}
            elif op == "repeat":
                reply = trainer.repeat(req["minSeconds"], req["minSteps"])
            elif op == "teardown":
                trainer = None
                reply = {"ok": True}
            else:
                reply = {"error": f"unknown request {op!r}"}
        except Exception:
            reply = {"error": traceback.format_exc()}
        print(json.dumps(reply), flush=True)


main()
