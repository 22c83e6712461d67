// The teacher's reference solutions to notebook 03's exercises, and the answers they give on the
// public checks' probes (kernel-lib/src/exercises/ch03.ts, `ch03Probes`): the right answers, and
// the wrong answers of the usual mistakes the checks recognise. `npm run exercises:answers`
// stores them in kernel-lib/src/exercises/answers/ch03.ts, which is all the checks read.
// This file is not part of a student's copy of the course.
import type { RnnWeights } from "../../kernel-lib/src/exercises/ch03";
import { ch03Probes } from "../../kernel-lib/src/exercises/ch03";
import { add, index, linear, logSoftmax, mul, oneHot, softmax, tanh } from "../../kernel-lib/src/ops";
import { Tensor, fromFlat, zeros } from "../../kernel-lib/src/tensor";

/** ch03-rnn-step: h_t = tanh(x_t W_xᵀ + h_{t−1} W_hᵀ + b). */
export function rnnStep(x: Tensor, h: Tensor, p: RnnWeights): Tensor {
  return tanh(add(linear(x, p.Wx, p.b), linear(h, p.Wh)));
}

/** ch03-rnn-forward: h_1..h_T. */
export function rnnForward(xs: Tensor, h0: Tensor, p: RnnWeights): Tensor[] {
  const hs: Tensor[] = [];
  let h = h0;
  for (let t = 0; t < xs.shape[0]; t++) {
    h = rnnStep(index(xs, 0, t), h, p);
    hs.push(h);
  }
  return hs;
}

/** ch03-masked-cross-entropy's value: the mean over the real steps of −log p(target). */
export function maskedCrossEntropyValue(logits: Tensor, targets: ArrayLike<number>, mask: ArrayLike<number>): number {
  const [N, V] = logits.shape;
  const logp = logSoftmax(logits, -1);
  let total = 0;
  let count = 0;
  for (let n = 0; n < N; n++) {
    if (mask[n] === 0) continue;
    total -= logp.data[n * V + targets[n]];
    count += mask[n];
  }
  return total / count;
}

/** Its gradient with respect to the logits: (softmax − one-hot) · mask / number of real steps. */
export function maskedCrossEntropyGradient(logits: Tensor, targets: number[], mask: number[]): Tensor {
  const count = mask.reduce((s, m) => s + m, 0);
  return mul(add(softmax(logits, -1), oneHot(targets, logits.shape[1]).mul(-1)), fromFlat(mask, [mask.length, 1])).mul(1 / count);
}

/** ch03-perplexity. */
export const perplexity = (totalNats: number, tokens: number): number => Math.exp(totalNats / tokens);

/** ch03-temperature. */
export const softmaxWithTemperature = (logits: Tensor, temperature: number): Tensor => softmax(logits.mul(1 / temperature), -1);

export function answers(): Record<string, unknown> {
  const out: Record<string, unknown> = {};

  {
    const { p, x, h } = ch03Probes.rnnStep();
    const noBias = { ...p, b: zeros([4]) };
    out["rnn-step/input-term"] = rnnStep(x, zeros([2, 4]), noBias);
    out["rnn-step/recurrent-term"] = rnnStep(zeros([2, 3]), h, noBias);
    out["rnn-step/bias"] = rnnStep(zeros([2, 3]), zeros([2, 4]), p);
    out["rnn-step/full"] = rnnStep(x, h, p);
    // Mistakes: tanh forgotten; W_h without the transpose (recurrent-term probe).
    out["rnn-step/mistake/no-tanh"] = add(linear(x, p.Wx, p.b), linear(h, p.Wh));
    out["rnn-step/mistake/untransposed-Wh"] = tanh(h.matmul(p.Wh));
  }

  {
    const { p, xs, h0 } = ch03Probes.rnnForward();
    rnnForward(xs, h0, p).forEach((h, t) => (out[`rnn-forward/h_${t + 1}`] = h));
    // Mistakes: the first step from zeros instead of h_0; the second step from h_0 instead of h_1.
    out["rnn-forward/mistake/h_1-from-zeros"] = rnnStep(index(xs, 0, 0), zeros(h0.shape), p);
    out["rnn-forward/mistake/h_2-from-h_0"] = rnnStep(index(xs, 0, 1), h0, p);
  }

  {
    const { V, uniform, logits, targets, all, mask } = ch03Probes.maskedCrossEntropy();
    out["masked-cross-entropy/uniform"] = maskedCrossEntropyValue(uniform.logits, uniform.targets, uniform.mask);
    out["masked-cross-entropy/no-padding"] = maskedCrossEntropyValue(logits, targets, all);
    out["masked-cross-entropy/padded"] = maskedCrossEntropyValue(logits, targets, mask);
    out["masked-cross-entropy/gradient"] = maskedCrossEntropyGradient(logits, targets, mask);
    // Mistakes on the unpadded probe: −log of the most likely character's probability; −p instead of −log p.
    const N = targets.length;
    const probs = softmax(logits, -1);
    let mostLikely = 0;
    let minusP = 0;
    for (let n = 0; n < N; n++) {
      let best = 0;
      for (let v = 1; v < V; v++) if (logits.data[n * V + v] > logits.data[n * V + best]) best = v;
      mostLikely -= Math.log(probs.data[n * V + best]) / N;
      minusP -= probs.data[n * V + targets[n]] / N;
    }
    out["masked-cross-entropy/mistake/most-likely"] = mostLikely;
    out["masked-cross-entropy/mistake/minus-p"] = minusP;
  }

  {
    const { totalNats, tokens } = ch03Probes.perplexity;
    out["perplexity/2150-nats-1000-tokens"] = perplexity(totalNats, tokens);
  }

  {
    const { logits, batch } = ch03Probes.temperature();
    out["temperature/T=1"] = softmaxWithTemperature(logits, 1);
    out["temperature/T=2"] = softmaxWithTemperature(logits, 2);
    out["temperature/T=0.5"] = softmaxWithTemperature(logits, 0.5);
    out["temperature/T=0.001"] = softmaxWithTemperature(logits, 0.001);
    out["temperature/batch-T=1.5"] = softmaxWithTemperature(batch, 1.5);
    // Mistakes at T = 2: the logits multiplied by T; the probabilities raised to 1/T, not renormalised.
    out["temperature/mistake/multiplied-by-T=2"] = softmax(logits.mul(2), -1);
    const probs = softmax(logits, -1);
    out["temperature/mistake/powered-by-1/T=2"] = fromFlat(probs.data.map((q) => Math.pow(q, 1 / 2)), probs.shape);
  }
  return out;
}
