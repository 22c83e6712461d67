// The checks of notebook 03 accept a right answer and name the wrong term of typical wrong ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";
import { exercises, Tensor } from "../src";
import { ExerciseError } from "../src/testing";
import { passes, rejects } from "./exercise-harness";

const ch03 = exercises.ch03;
type W = { Wx: Tensor; Wh: Tensor; b: Tensor };

// ---- ch03-rnn-step
const rightStep = (x: Tensor, h: Tensor, p: W) => kl.tanh(kl.linear(x, p.Wx, p.b).add(kl.linear(h, p.Wh)));

test("rnn-step: the right step passes", () => void passes(() => ch03.checkRnnStep(rightStep)));
test("rnn-step: a step computed from .data (right numbers, cut off from the tape) is named: it would train nothing", () =>
  rejects(() => ch03.checkRnnStep((x, h, p) => {
    const pre = kl.linear(x, p.Wx, p.b).add(kl.linear(h, p.Wh));
    return kl.fromFlat(pre.data.map(Math.tanh), pre.shape);
  }), /the tape can differentiate your rnnStep \(yours returns a tensor the tape does not reach/));
test("rnn-step: a bias added as numbers (the tape cannot reach b) is named", () =>
  rejects(() => ch03.checkRnnStep((x, h, p) => kl.tanh(kl.linear(x, p.Wx).add(kl.linear(h, p.Wh)).add(kl.fromFlat(p.b.data, p.b.shape)))), /reaches h_\{t−1\}, W_x, W_h, b through your rnnStep \(it does not reach b\)/));
test("rnn-step: a missing tanh is named", () => rejects(() => ch03.checkRnnStep((x, h, p) => kl.linear(x, p.Wx, p.b).add(kl.linear(h, p.Wh))), /tanh is applied to the pre-activation/));
test("rnn-step: W_h without the transpose is named", () => rejects(() => ch03.checkRnnStep((x, h, p) => kl.tanh(kl.linear(x, p.Wx, p.b).add(h.matmul(p.Wh)))), /without the transpose/));
test("rnn-step: a forgotten bias is named", () => rejects(() => ch03.checkRnnStep((x, h, p) => kl.tanh(kl.linear(x, p.Wx).add(kl.linear(h, p.Wh)))), /the bias b/));
test("rnn-step: a forgotten recurrent term is named", () => rejects(() => ch03.checkRnnStep((x, h, p) => kl.tanh(kl.linear(x, p.Wx, p.b))), /the recurrent term/));
test("rnn-step: W_h used on the input gives a named error instead of a crash", () =>
  rejects(() => ch03.checkRnnStep((x, h, p) => kl.tanh(kl.linear(x, p.Wh, p.b).add(kl.linear(h, p.Wh)))), /threw an error: linear/));
test("rnn-step: the stub's own error passes through", () => {
  assert.throws(
    () => ch03.checkRnnStep(() => { throw new Error("not implemented yet: ch03-rnn-step"); }),
    (e: Error) => !(e instanceof ExerciseError) && /not implemented yet/.test(e.message),
  );
});

// ---- ch03-rnn-forward
function rightForward(xs: Tensor, h0: Tensor, p: W): Tensor[] {
  const hs: Tensor[] = [];
  let h = h0;
  for (let t = 0; t < xs.shape[0]; t++) {
    h = rightStep(kl.index(xs, 0, t), h, p);
    hs.push(h);
  }
  return hs;
}
test("rnn-forward: the right unrolling passes", () => void passes(() => ch03.checkRnnForward(rightForward)));
test("rnn-forward: not carrying the state is named", () =>
  rejects(() => ch03.checkRnnForward((xs, h0, p) => Array.from({ length: xs.shape[0] }, (_, t) => rightStep(kl.index(xs, 0, t), h0, p))), /the state is carried forward/));
test("rnn-forward: ignoring h0 is named", () =>
  rejects(() => ch03.checkRnnForward((xs, h0, p) => rightForward(xs, kl.zeros(h0.shape), p)), /starts from the given h_0/));
test("rnn-forward: returning h_0 as well is named", () =>
  rejects(() => ch03.checkRnnForward((xs, h0, p) => [h0, ...rightForward(xs, h0, p)]), /h_0 is not one of the outputs/));

// ---- ch03-masked-cross-entropy
function rightCE(logits: Tensor, targets: Tensor, mask: Tensor): Tensor {
  const [N, V] = logits.shape;
  const logp = kl.logSoftmax(logits, -1);
  const picked = kl.sum(kl.mul(logp, kl.oneHot(targets, V)), 1);
  const m = kl.reshape(mask, [N]);
  return kl.neg(kl.sum(kl.mul(picked, m))).mul(1 / m.sum().item());
}
test("masked-cross-entropy: the right loss passes, and so does the library's crossEntropy on the real rows", () => {
  passes(() => ch03.checkMaskedCrossEntropy(rightCE));
  passes(() => ch03.checkMaskedCrossEntropy((logits, targets, mask) => {
    const rows: number[] = [];
    for (let n = 0; n < mask.size; n++) if (mask.data[n] === 1) rows.push(n);
    return kl.crossEntropy(kl.embedding(logits, rows), rows.map((n) => targets.data[n]));
  }));
});
test("masked-cross-entropy: dividing by N instead of the real steps is named", () =>
  rejects(() => ch03.checkMaskedCrossEntropy((l, t, m) => rightCE(l, t, m).mul(m.sum().item() / m.size)), /mean is over the real steps only/));
test("masked-cross-entropy: the sum instead of the mean is named", () =>
  rejects(() => ch03.checkMaskedCrossEntropy((l, t, m) => rightCE(l, t, m).mul(m.sum().item())), /mean over steps, not the sum/));
test("masked-cross-entropy: a naive softmax that overflows is named", () =>
  rejects(() => ch03.checkMaskedCrossEntropy((l, t, m) => {
    const p = kl.exp(l).div(kl.sum(kl.exp(l), 1, true));
    const picked = kl.sum(kl.mul(kl.log(p), kl.oneHot(t, l.shape[1])), 1);
    return kl.neg(kl.sum(kl.mul(picked, m))).mul(1 / m.sum().item());
  }), /large logits/));
test("masked-cross-entropy: ignoring the mask is named", () =>
  rejects(() => ch03.checkMaskedCrossEntropy((l, t, m) => rightCE(l, t, kl.ones(m.shape))), /padded steps left out/));
test("masked-cross-entropy: computing with plain numbers (no gradient) is named", () =>
  rejects(() => ch03.checkMaskedCrossEntropy((l, t, m) => kl.scalar(rightCE(l, t, m).item())), /loss\.backward\(\) threw an error/));

// ---- ch03-perplexity
test("perplexity: exp of the loss per token passes", () => void passes(() => ch03.checkPerplexity((total, n) => Math.exp(total / n))));
test("perplexity: base 2 is named", () => rejects(() => ch03.checkPerplexity((total, n) => 2 ** (total / n)), /base is e/));
test("perplexity: not averaging is named", () => rejects(() => ch03.checkPerplexity((total) => Math.exp(total)), /averaged per token/));
test("perplexity: dividing after exponentiating is named (a learner's trial: the hint gave the formula)", () =>
  rejects(() => ch03.checkPerplexity((total, n) => Math.exp(total) / n), /the division by the number of tokens comes inside the exponential/));
test("perplexity: no exponential is named", () => rejects(() => ch03.checkPerplexity((total, n) => total / n), /exponentiates the loss/));

// ---- ch03-temperature
test("temperature: softmax(logits / T) passes", () => void passes(() => ch03.checkSoftmaxWithTemperature((l, T) => kl.softmax(l.mul(1 / T), -1))));
test("temperature: multiplying by T is named", () =>
  rejects(() => ch03.checkSoftmaxWithTemperature((l, T) => kl.softmax(l.mul(T), -1)), /DIVIDED by T/));
test("temperature: powering the probabilities without normalising is named", () =>
  rejects(() => ch03.checkSoftmaxWithTemperature((l, T) => kl.softmax(l, -1).pow(1 / T)), /sum to 1|raises the probabilities/));
test("temperature: a naive exp that overflows at a cold temperature is named", () =>
  rejects(() => ch03.checkSoftmaxWithTemperature((l, T) => {
    const e = kl.exp(l.mul(1 / T));
    return e.div(kl.sum(e, -1, true));
  }), /cold temperature/));
test("temperature: a softmax over the whole batch is named", () =>
  rejects(() => ch03.checkSoftmaxWithTemperature((l, T) => kl.reshape(kl.softmax(kl.reshape(l, [l.size]).mul(1 / T)), l.shape)), /each row of a batch/));
