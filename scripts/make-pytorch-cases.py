#!/usr/bin/env python3
"""Makes PyTorch reference cases in the format of ../shared/fixtures/pytorch/README.md.

    python scripts/make-pytorch-cases.py OUTDIR [--seed N] [--stacked FILE]

For a teacher who wants hidden fidelity cases (another seed gives other numbers and the same
shapes), and for kernel-lib/test/fixtures/pytorch-more, which holds this script's output with the
default seed: shapes the shared cases do not have (a hidden size of 1, a batch of 1, 20 steps,
sizes large enough for the WebAssembly matmul, and a training case for the relu RNN). `npm test`
checks both directories with `npm run fidelity`. With --stacked, it also writes FILE: three-layer
LSTM, GRU and RNN layers with their state_dict, which kernel-lib/test/pytorch-stacked.test.ts loads
(the case format above has one layer only).

It also writes a case of a kind the shared README does not describe, a whole model saved with
`state_dict()` (`model_char_lstm{L}_V{V}_E{E}_H{H}_T{T}_B{B}.json`, `"task": "char_model"`):

    CharModel (below), float64: self.embed = nn.Embedding(V, E), self.rnn = nn.LSTM(E, H, num_layers=L),
    self.head = nn.Linear(H, V); forward(tokens) = head(rnn(embed(tokens))[0]), time-major:
    tokens [T, B] -> logits [T, B, V]

- fields `vocab` V, `embedding_dim` E, `hidden_size` H, `num_layers` L, `seq_len` T, `batch` B, `seed`;
- `tokens` `[T+1][B]` integer ids in [0, V); inputs are `tokens[0..T-1]`, targets `tokens[1..T]`;
- `state_dict`: `{k: v.tolist() for k, v in model.state_dict().items()}`, PyTorch's dotted names in
  its order (`embed.weight`, `rnn.weight_ih_l0`, `rnn.weight_hh_l0`, `rnn.bias_ih_l0`,
  `rnn.bias_hh_l0`, ... `_l1` ..., `head.weight`, `head.bias`): what a learner would save;
- `logits` `[T][B][V]`; `loss` is the mean softmax cross-entropy over all T*B positions (zero
  initial state); `grads` holds dloss/d(every parameter), by the same dotted names.

Needs PyTorch, which the course's set-up does not install: any CPU build works, for example
`pip install torch` into a virtual environment of its own. The committed cases were made with
torch 2.13.0+cpu, as the shared ones were.
"""
import argparse
import json
import pathlib

import torch

torch.set_default_dtype(torch.float64)

CELLS = ["rnn_tanh", "rnn_relu", "lstm", "gru"]
# (input size, hidden size, steps, batch) of the cell cases; (vocab, hidden, steps, batch) of the
# training cases.
CELL_SHAPES = [(2, 7, 9, 5), (5, 1, 3, 4), (1, 9, 20, 1), (7, 24, 4, 9)]
TRAIN_SHAPES = [(5, 3, 7, 3), (12, 24, 6, 4)]
# (vocab, embedding size, hidden size, layers, steps, batch) of the model cases.
MODEL_SHAPES = [(7, 5, 6, 2, 5, 3)]


def as_list(t):
    return t.detach().tolist()


def make(cell, input_size, hidden, step=False, **options):
    """The PyTorch module for `cell`: the sequence layer, or with step=True the single-step cell."""
    if cell == "lstm":
        return (torch.nn.LSTMCell if step else torch.nn.LSTM)(input_size, hidden, **options)
    if cell == "gru":
        return (torch.nn.GRUCell if step else torch.nn.GRU)(input_size, hidden, **options)
    rnn = torch.nn.RNNCell if step else torch.nn.RNN
    return rnn(input_size, hidden, nonlinearity=cell.removeprefix("rnn_"), **options)


def layer_params(module):
    """weight_ih_l0 -> weight_ih: the README's names for a one-layer cell."""
    return {name.removesuffix("_l0"): p for name, p in module.named_parameters()}


def last_step_grad_norms(cell, params, x, h0, c0, loss_weights):
    """‖dL/dh_t‖ for t = 0..T-1, where L = sum(h_T * loss_weights[T-1]) (the README's curve)."""
    T, _, input_size = x.shape
    step = make(cell, input_size, h0.shape[1], step=True)
    with torch.no_grad():
        for name in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
            getattr(step, name).copy_(params[name])
    h, c, hs = h0.detach(), (c0.detach() if c0 is not None else None), []
    for t in range(T):
        if cell == "lstm":
            h, c = step(x[t].detach(), (h, c))
        else:
            h = step(x[t].detach(), h)
        h.retain_grad()
        hs.append(h)
    (hs[-1] * loss_weights[T - 1]).sum().backward()
    return [h_t.grad.norm().item() for h_t in hs]


def cell_case(cell, input_size, hidden, T, B, seed):
    torch.manual_seed(seed)
    module = make(cell, input_size, hidden)
    params = layer_params(module)
    x = torch.randn(T, B, input_size, requires_grad=True)
    h0 = (torch.randn(B, hidden) * 0.5).requires_grad_()
    c0 = (torch.randn(B, hidden) * 0.5).requires_grad_() if cell == "lstm" else None
    loss_weights = torch.randn(T, B, hidden)
    if cell == "lstm":
        outputs, (h_n, c_n) = module(x, (h0.unsqueeze(0), c0.unsqueeze(0)))
    else:
        outputs, h_n = module(x, h0.unsqueeze(0))
    loss = (outputs * loss_weights).sum()
    loss.backward()
    case = {
        "cell": cell, "input_size": input_size, "hidden_size": hidden, "seq_len": T, "batch": B, "seed": seed,
        "params": {k: as_list(v) for k, v in params.items()},
        "x": as_list(x), "h0": as_list(h0), "outputs": as_list(outputs), "h_n": as_list(h_n[0]),
        "loss_weights": as_list(loss_weights), "loss": loss.item(),
        "grads": {**{k: as_list(v.grad) for k, v in params.items()}, "x": as_list(x.grad), "h0": as_list(h0.grad)},
    }
    if cell == "lstm":
        case.update({"c0": as_list(c0), "c_n": as_list(c_n[0])})
        case["grads"]["c0"] = as_list(c0.grad)
    case["last_step_loss_grad_norms"] = last_step_grad_norms(cell, params, x, h0, c0, loss_weights)
    return f"{cell}_I{input_size}_H{hidden}_T{T}_B{B}.json", case


def train_case(cell, vocab, hidden, T, B, seed, steps=6, lr=0.02, clip=0.5):
    torch.manual_seed(seed)
    module, head = make(cell, vocab, hidden), torch.nn.Linear(hidden, vocab)
    tokens = torch.randint(0, vocab, (T + 1, B))
    named = list(layer_params(module).items()) + [("head.weight", head.weight), ("head.bias", head.bias)]
    init_params = {k: as_list(v) for k, v in named}
    params = [p for _, p in named]  # recurrent parameters first, then head: the clipping order
    optimizer = torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    inputs = torch.nn.functional.one_hot(tokens[:T], vocab).double()
    losses, norms = [], []
    for _ in range(steps):
        optimizer.zero_grad()
        hidden_states, _ = module(inputs)
        logits = head(hidden_states).reshape(T * B, vocab)
        loss = torch.nn.functional.cross_entropy(logits, tokens[1:].reshape(T * B))
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_(params, clip).item())
        losses.append(loss.item())
        optimizer.step()
    case = {
        "task": "char_lm_train", "cell": cell, "vocab": vocab, "hidden_size": hidden, "seq_len": T, "batch": B,
        "steps": steps, "lr": lr, "clip_norm": clip, "seed": seed, "tokens": tokens.tolist(),
        "init_params": init_params, "losses": losses, "grad_norms_before_clip": norms,
        "final_params": {k: as_list(v) for k, v in named},
    }
    return f"train_{cell}_V{vocab}_H{hidden}_T{T}_B{B}.json", case


class CharModel(torch.nn.Module):
    """Embedding -> LSTM (time-major) -> Linear: a character model as a learner writes it."""

    def __init__(self, vocab, embed, hidden, layers):
        super().__init__()
        self.embed = torch.nn.Embedding(vocab, embed)
        self.rnn = torch.nn.LSTM(embed, hidden, num_layers=layers)
        self.head = torch.nn.Linear(hidden, vocab)

    def forward(self, tokens):
        output, _ = self.rnn(self.embed(tokens))
        return self.head(output)


def model_case(vocab, embed, hidden, layers, T, B, seed):
    torch.manual_seed(seed)
    model = CharModel(vocab, embed, hidden, layers)
    tokens = torch.randint(0, vocab, (T + 1, B))
    state_dict = {k: v.tolist() for k, v in model.state_dict().items()}  # what a learner saves
    logits = model(tokens[:T])
    loss = torch.nn.functional.cross_entropy(logits.reshape(T * B, vocab), tokens[1:].reshape(T * B))
    loss.backward()
    case = {
        "task": "char_model", "vocab": vocab, "embedding_dim": embed, "hidden_size": hidden, "num_layers": layers,
        "seq_len": T, "batch": B, "seed": seed, "tokens": tokens.tolist(), "state_dict": state_dict,
        "logits": as_list(logits), "loss": loss.item(),
        "grads": {k: as_list(p.grad) for k, p in model.named_parameters()},
    }
    return f"model_char_lstm{layers}_V{vocab}_E{embed}_H{hidden}_T{T}_B{B}.json", case


def stacked_layers(seed, layers=3, input_size=4, hidden=5, T=6, B=2):
    """Per cell: a stacked layer's state_dict, inputs, outputs, and the gradients of
    loss = sum(output * w) + sum(h_n²), which reaches every layer through both outputs."""
    cases = {}
    for cell in ["lstm", "gru", "rnn_tanh"]:
        torch.manual_seed(seed)
        module = make(cell, input_size, hidden, num_layers=layers)
        x = torch.randn(T, B, input_size, requires_grad=True)
        h0 = torch.randn(layers, B, hidden, requires_grad=True)
        c0 = torch.randn(layers, B, hidden, requires_grad=True)
        w = torch.randn(T, B, hidden)
        if cell == "lstm":
            output, (h_n, c_n) = module(x, (h0, c0))
        else:
            output, h_n = module(x, h0)
        loss = (output * w).sum() + (h_n**2).sum()
        loss.backward()
        case = {
            "num_layers": layers, "input_size": input_size, "hidden_size": hidden,
            "state_dict": {k: as_list(v) for k, v in module.state_dict().items()},
            "x": as_list(x), "h0": as_list(h0), "w": as_list(w), "output": as_list(output), "h_n": as_list(h_n),
            "loss": loss.item(), "grads": {k: as_list(p.grad) for k, p in module.named_parameters()},
            "grad_x": as_list(x.grad), "grad_h0": as_list(h0.grad),
        }
        if cell == "lstm":
            case.update({"c0": as_list(c0), "c_n": as_list(c_n), "grad_c0": as_list(c0.grad)})
        cases[cell] = case
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=pathlib.Path)
    parser.add_argument("--seed", type=int, default=2000, help="first seed; each case takes the next one")
    parser.add_argument("--stacked", type=pathlib.Path, help="also write the stacked-layer cases to this file")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    seed = args.seed
    jobs = [(cell_case, cell, shape) for cell in CELLS for shape in CELL_SHAPES]
    jobs += [(train_case, cell, shape) for cell in CELLS for shape in TRAIN_SHAPES]
    for make, cell, shape in jobs:
        seed += 1
        name, case = make(cell, *shape, seed)
        (args.outdir / name).write_text(json.dumps(case) + "\n")
        print(f"wrote {args.outdir / name}")
    for shape in MODEL_SHAPES:  # after the others, so that their seeds (and files) stay as they were
        seed += 1
        name, case = model_case(*shape, seed)
        (args.outdir / name).write_text(json.dumps(case) + "\n")
        print(f"wrote {args.outdir / name}")
    if args.stacked:
        args.stacked.write_text(json.dumps(stacked_layers(args.seed)) + "\n")
        print(f"wrote {args.stacked}")


if __name__ == "__main__":
    main()
