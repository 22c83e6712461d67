// kl.viz.audio: the player carries the waveform itself, as a WAV file readWav reads back.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";

const bundleOf = (d: kl.viz.Displayable) => d.toBundle({ plotlyCarrier: () => "" });

test("the player's WAV holds the samples (to 16 bits) at the given rate", () => {
  const samples = Array.from({ length: 400 }, (_, i) => 0.5 * Math.sin(i / 7));
  const b = bundleOf(kl.viz.audio(samples, { sampleRate: 8000, title: "a <sine>" }));
  const html = String(b["text/html"]);
  const m = /src="data:audio\/wav;base64,([A-Za-z0-9+/=]+)"/.exec(html);
  assert.ok(m, "an <audio> element with the WAV inline");
  const wav = kl.data.readWav(new Uint8Array(Buffer.from(m[1], "base64")));
  assert.equal(wav.sampleRate, 8000);
  assert.equal(wav.samples.length, 400);
  for (let i = 0; i < 400; i++) assert.ok(Math.abs(wav.samples[i] - samples[i]) <= 1 / 32768, `sample ${i}`);
  assert.match(html, /a &lt;sine&gt;/, "the title is escaped");
  assert.equal(b["text/plain"], "[audio] a <sine>: 0.05 s at 8000 Hz");
});

test("a Tensor row plays; louder samples are clipped and the caption counts them", () => {
  const b = bundleOf(kl.viz.audio(kl.fromFlat([0, 1.5, -2, 0.99], [4]), { sampleRate: 4 }));
  assert.equal(b["text/plain"], "[audio] audio: 1.00 s at 4 Hz, 2 samples outside [-1, 1) clipped");
});

test("bad input is an error that names it", () => {
  assert.throws(() => kl.viz.audio([0.1], { sampleRate: 0 }), /sampleRate must be a whole number .* got 0/);
  assert.throws(() => kl.viz.audio([], { sampleRate: 8000 }), /no samples/);
  assert.throws(() => kl.viz.audio([0, NaN], { sampleRate: 8000 }), /sample 1 is NaN/);
  assert.throws(() => kl.viz.audio(kl.zeros([2, 3]), { sampleRate: 8000 }), /must be \[samples\] .* got \[2, 3\]/);
});
