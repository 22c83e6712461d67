#!/usr/bin/env python3
"""Makes PyTorch reference cases in the format of ../shared/fixtures/pytorch-attention/README.md.

    python scripts/make-pytorch-attention-cases.py OUTDIR [--seed N] [--shared]

Three kinds, as the shared README describes them (float64, PyTorch's defaults, sequence-first):

- `mha_self_E{E}_NH{heads}_T{T}_B{B}[_causal].json`: torch.nn.MultiheadAttention(E, heads) on
  query = key = value = x, optionally with the causal boolean mask (True above the diagonal);
  output, head-averaged weights, loss = sum(output * loss_weights), every gradient, and
  `last_position_input_grad_norms` (the loss on the last position only; ||dloss/dx_s|| over the
  batch for every position s);
- `mha_cross_E{E}_NH{heads}_L{L}_S{S}_B{B}.json`: separate query, key and value, no mask;
- `layer_norm_N{N}_D{D}.json`: torch.nn.LayerNorm(D, eps) on x [N, D].

Each case draws, after torch.manual_seed(seed): the parameters uniform in [-0.6, 0.6) (attention:
in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias, in that order) or in [-1, 1) (layer
norm: weight, bias), then the inputs from randn (layer norm: 2 * randn + 0.5, plus an optional
offset), then loss_weights from randn. This is how the shared cases were made: with --shared the
script writes the shared cases' shapes with their seeds (3001..3006), and the files hold the same
numbers as ../shared/fixtures/pytorch-attention (checked with torch 2.13.0+cpu; the shared files
lack the final newline, nothing else differs).

Without --shared it writes shapes the shared cases do not have (kernel-lib/test/fixtures/
pytorch-attention-more holds this output with the default seed): a head dimension of 1 (heads =
E), many heads, a head dimension of 6, T = 1 with the mask (the shared T = 1 case has none),
causal over 7 and 9 positions, a batch of 1, L = 1 and L > S and L = S for cross-attention, and
layer norms with D = 1, D = 48, a non-default eps and an input around 1e3 (large offset, small
spread). `npm test` checks it with `npm run fidelity`. Another --seed gives other numbers with the
same shapes (hidden cases). The second forward of the last-position norms runs with
need_weights=False, as the shared cases' did (PyTorch's fused path; only the last bits differ).

Needs PyTorch, which the course's set-up does not install: any CPU build works, for example
`pip install torch` into a virtual environment of its own.
"""
import argparse
import json
import pathlib

import torch

torch.set_default_dtype(torch.float64)

# (E, heads, T, B, causal) of the self-attention cases; (E, heads, L, S, B) of the cross-attention
# cases; (N, D, eps, offset) of the layer-norm cases. Each file stays under ~30 KB.
SELF_SHAPES = [
    (4, 4, 4, 2, False),   # heads = E: head dimension 1
    (6, 3, 7, 2, True),    # causal over 7 positions
    (8, 8, 3, 1, True),    # many heads, head dimension 1, batch 1, causal
    (5, 1, 1, 3, True),    # one position with the mask (it sees only itself), odd E
    (12, 2, 2, 1, False),  # head dimension 6 (the largest that fits the file size)
    (2, 1, 9, 1, True),    # long causal sequence, tiny E
]
CROSS_SHAPES = [
    (4, 2, 1, 5, 1),       # one query position
    (6, 6, 5, 2, 2),       # heads = E, more queries than keys
    (8, 4, 3, 3, 1),       # L = S, batch 1
    (3, 1, 2, 9, 3),       # one head, many keys
]
NORM_SHAPES = [
    (3, 1, 1e-5, 0.0),     # D = 1: every row is its own mean, the output is the bias
    (4, 6, 1e-5, 1000.0),  # x around 1e3: a large mean, a small spread
    (2, 48, 1e-5, 0.0),    # a wide row
    (6, 3, 1e-3, 0.0),     # a non-default eps that matters (spread ~ 2, eps 1e-3)
]

# The shared cases (../shared/fixtures/pytorch-attention), in seed order from 3001.
SHARED_SEED = 3000
SHARED = [
    ("self", (8, 2, 5, 2, False)),
    ("self", (8, 2, 6, 3, True)),
    ("self", (4, 1, 1, 1, False)),
    ("cross", (6, 3, 4, 7, 2)),
    ("norm", (5, 8, 1e-5, 0.0)),
    ("norm", (1, 2, 1e-5, 0.0)),
]


def as_list(t):
    return t.detach().tolist()


def uniform(*shape, bound):
    return torch.rand(*shape) * (2 * bound) - bound


def attention_module(E, heads):
    """MultiheadAttention(E, heads) with every parameter drawn uniform in [-0.6, 0.6)."""
    with torch.random.fork_rng():  # its own initialisation draws numbers: not from the case's stream
        module = torch.nn.MultiheadAttention(E, heads)
    params = {
        "in_proj_weight": uniform(3 * E, E, bound=0.6),
        "in_proj_bias": uniform(3 * E, bound=0.6),
        "out_proj.weight": uniform(E, E, bound=0.6),
        "out_proj.bias": uniform(E, bound=0.6),
    }
    module.load_state_dict(params)
    return module, params


def causal_mask(L, S):
    """PyTorch's boolean attn_mask: True (not allowed) where key s > query t."""
    return torch.triu(torch.ones(L, S, dtype=torch.bool), diagonal=1)


def self_case(E, heads, T, B, causal, seed):
    torch.manual_seed(seed)
    module, params = attention_module(E, heads)
    x = torch.randn(T, B, E, requires_grad=True)
    loss_weights = torch.randn(T, B, E)
    mask = causal_mask(T, T) if causal else None
    output, weights = module(x, x, x, attn_mask=mask, need_weights=True, average_attn_weights=True)
    loss = (output * loss_weights).sum()
    loss.backward()
    grads = {k: as_list(p.grad) for k, p in module.named_parameters()}
    grads["x"] = as_list(x.grad)
    # The last position's loss only: how much gradient each input position receives from it. On a
    # fresh forward without the weights (PyTorch's fused path then; the shared cases were made so,
    # and it changes only the last bits).
    x_again = x.detach().clone().requires_grad_()
    last, _ = module(x_again, x_again, x_again, attn_mask=mask, need_weights=False)
    (last[T - 1] * loss_weights[T - 1]).sum().backward()
    case = {
        "kind": "mha_self", "embed_dim": E, "num_heads": heads, "seq_len": T, "batch": B, "causal": causal,
        "seed": seed, "params": {k: as_list(v) for k, v in params.items()},
        "x": as_list(x), "loss_weights": as_list(loss_weights),
        "attn_output": as_list(output), "attn_weights": as_list(weights), "loss": loss.item(), "grads": grads,
        "last_position_input_grad_norms": [x_again.grad[s].norm().item() for s in range(T)],
    }
    return f"mha_self_E{E}_NH{heads}_T{T}_B{B}{'_causal' if causal else ''}.json", case


def cross_case(E, heads, L, S, B, seed):
    torch.manual_seed(seed)
    module, params = attention_module(E, heads)
    query = torch.randn(L, B, E, requires_grad=True)
    key = torch.randn(S, B, E, requires_grad=True)
    value = torch.randn(S, B, E, requires_grad=True)
    loss_weights = torch.randn(L, B, E)
    output, weights = module(query, key, value, need_weights=True, average_attn_weights=True)
    loss = (output * loss_weights).sum()
    loss.backward()
    grads = {k: as_list(p.grad) for k, p in module.named_parameters()}
    grads.update({"query": as_list(query.grad), "key": as_list(key.grad), "value": as_list(value.grad)})
    case = {
        "kind": "mha_cross", "embed_dim": E, "num_heads": heads, "query_len": L, "key_len": S, "batch": B,
        "seed": seed, "params": {k: as_list(v) for k, v in params.items()},
        "query": as_list(query), "key": as_list(key), "value": as_list(value), "loss_weights": as_list(loss_weights),
        "attn_output": as_list(output), "attn_weights": as_list(weights), "loss": loss.item(), "grads": grads,
    }
    return f"mha_cross_E{E}_NH{heads}_L{L}_S{S}_B{B}.json", case


def norm_case(N, D, eps, offset, seed):
    torch.manual_seed(seed)
    module = torch.nn.LayerNorm(D, eps=eps)
    params = {"weight": uniform(D, bound=1.0), "bias": uniform(D, bound=1.0)}
    module.load_state_dict(params)
    x = torch.randn(N, D) * 2 + 0.5
    if offset:
        x = x + offset
    x.requires_grad_()
    loss_weights = torch.randn(N, D)
    output = module(x)
    loss = (output * loss_weights).sum()
    loss.backward()
    grads = {k: as_list(p.grad) for k, p in module.named_parameters()}
    grads["x"] = as_list(x.grad)
    case = {
        "kind": "layer_norm", "rows": N, "dim": D, "eps": eps, "seed": seed,
        "params": {k: as_list(v) for k, v in params.items()},
        "x": as_list(x), "loss_weights": as_list(loss_weights), "output": as_list(output), "loss": loss.item(),
        "grads": grads,
    }
    return f"layer_norm_N{N}_D{D}.json", case


MAKERS = {"self": self_case, "cross": cross_case, "norm": norm_case}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=pathlib.Path)
    parser.add_argument("--seed", type=int, help="first seed; each case takes the next one (default 4000, or 3000 with --shared)")
    parser.add_argument("--shared", action="store_true", help="write the shared cases' shapes (with seed 3000: the shared files)")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    if args.shared:
        jobs = SHARED
        seed = SHARED_SEED if args.seed is None else args.seed
    else:
        jobs = [("self", s) for s in SELF_SHAPES] + [("cross", s) for s in CROSS_SHAPES] + [("norm", s) for s in NORM_SHAPES]
        seed = 4000 if args.seed is None else args.seed
    names = set()
    for kind, shape in jobs:
        seed += 1
        name, case = MAKERS[kind](*shape, seed)
        if name in names:
            raise SystemExit(f"two cases would be written to {name}: give them different shapes")
        names.add(name)
        (args.outdir / name).write_text(json.dumps(case) + "\n")
        print(f"wrote {args.outdir / name}")


if __name__ == "__main__":
    main()
