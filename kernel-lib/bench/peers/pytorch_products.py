# PyTorch's float64 matrix product (addmm_, accumulating), one thread, on the products
# products.ts gives (a JSON list of [m, k, n, transA, transB]: A stored [k, m] when transA, B
# stored [n, k] when transB, used transposed, as in kernel-lib); prints their GFLOP/s as a JSON list, best of 5 repeats of ~50 ms each. Set-up never
# installs PyTorch; see ../README.md for how to get one.
import json
import sys
import time

import torch

torch.set_num_threads(1)
out = []
for m, k, n, trans_a, trans_b in json.loads(sys.argv[1]):
    a = torch.randn(k, m, dtype=torch.float64).t() if trans_a else torch.randn(m, k, dtype=torch.float64)
    b = torch.randn(n, k, dtype=torch.float64).t() if trans_b else torch.randn(k, n, dtype=torch.float64)
    c = torch.zeros(m, n, dtype=torch.float64)
    calls = max(10, round(5e7 / (m * k * n)))
    for _ in range(calls):
        c.addmm_(a, b)  # accumulate, as our kernels do in backward
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(calls):
            c.addmm_(a, b)
        best = min(best, (time.perf_counter() - t0) / calls)
    out.append(2 * m * k * n / best / 1e9)
print(json.dumps(out))
