// fitWithEarlyStopping: stops when validation stops improving, keeps and restores the best
// epoch's weights, and refuses a loss that is not a number.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src/index";

/** A model whose weight we set by hand each epoch, and a script of validation losses. */
function scripted(valLosses: number[]) {
  const model = new kl.nn.Linear(1, 1);
  let epochSeen = 0;
  return {
    model,
    trainEpoch: (epoch: number) => {
      epochSeen = epoch;
      model.weight.data[0] = epoch; // the weights "after epoch k" are k
      return 10 - epoch;
    },
    validate: () => valLosses[epochSeen - 1],
  };
}

test("stops after `patience` epochs without improvement and puts the best epoch's weights back", async () => {
  const s = scripted([5, 4, 3, 3.5, 3.2, 3.1, 2, 1]);
  const seen: number[] = [];
  const fit = await kl.train.fitWithEarlyStopping({ ...s, maxEpochs: 8, patience: 3, onEpoch: (r) => void seen.push(r.epoch) });
  assert.equal(fit.bestEpoch, 3);
  assert.equal(fit.bestValLoss, 3);
  assert.equal(fit.epochsRun, 6, "epochs 4, 5, 6 did not improve on epoch 3");
  assert.equal(fit.stoppedEarly, true);
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(fit.history.map((r) => r.improved), [true, true, true, false, false, false]);
  assert.equal(s.model.weight.data[0], 3, "the model holds epoch 3's weights again");
  assert.deepEqual(fit.bestState["weight"], [[3]], "the kept state dict is epoch 3's, in PyTorch's names");
});

test("minDelta: an improvement smaller than it does not count; restoreBest false leaves the last weights", async () => {
  const s = scripted([5, 4.95, 4.9, 4.85]);
  const fit = await kl.train.fitWithEarlyStopping({ ...s, maxEpochs: 4, patience: 2, minDelta: 0.1, restoreBest: false });
  assert.equal(fit.bestEpoch, 1);
  assert.equal(fit.epochsRun, 3);
  assert.equal(s.model.weight.data[0], 3);
});

test("runs to maxEpochs while it keeps improving, and says it did not stop early", async () => {
  const s = scripted([3, 2, 1]);
  const fit = await kl.train.fitWithEarlyStopping({ ...s, maxEpochs: 3, patience: 1 });
  assert.deepEqual([fit.bestEpoch, fit.epochsRun, fit.stoppedEarly], [3, 3, false]);
});

test("a loss that is not a finite number, or a bad setting, is an error naming it", async () => {
  await assert.rejects(kl.train.fitWithEarlyStopping({ ...scripted([NaN]), maxEpochs: 2, patience: 1 }), /epoch 1: validate returned NaN/);
  const noReturn = { ...scripted([1]), trainEpoch: () => undefined as unknown as number };
  await assert.rejects(kl.train.fitWithEarlyStopping({ ...noReturn, maxEpochs: 2, patience: 1 }), /epoch 1: trainEpoch returned undefined/);
  await assert.rejects(kl.train.fitWithEarlyStopping({ ...scripted([1]), maxEpochs: 0, patience: 1 }), /maxEpochs must be a whole number >= 1, got 0/);
});

test("validation runs without recording gradients", async () => {
  const s = scripted([1]);
  let enabled: boolean | null = null;
  await kl.train.fitWithEarlyStopping({ ...s, validate: () => ((enabled = kl.isGradEnabled()), 1), maxEpochs: 1, patience: 1 });
  assert.equal(enabled, false);
});
