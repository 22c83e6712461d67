// Checks for the exercise of notebook 11, "Project: anomalies in the order of log events".
//
// The notebook reads B requests as a time-major batch padded to T steps: a next-event model's
// logits o [T, B, V], the event that came next, targets e [T, B], and a mask [T, B] (1 = a real
// step, 0 = padding). Each real step's surprise is
//   s_t = −ln softmax(o_t)[e_t] = m_t + ln Σ_v exp(o_t,v − m_t) − o_t,e_t,   m_t = max_v o_t,v,
// in nats, and a request's score is its largest surprise over its real steps, with the (first)
// step where it occurs: the event to look at. The check calls the learner's function on probes
// that isolate one term at a time (uniform logits: one step's surprise and ties; padded steps made
// more surprising than any real one; padding between real steps; logits in the hundreds, where
// exp overflows), recognises the usual mistakes by the exact wrong answer they give, and names the
// term; it never prints the expected numbers, and its hints are questions.
// The right answers, and the wrong answers of the mistakes that are the solution with one piece
// changed, are stored, not computed here (see answers.ts): the teacher's reference solution
// (grading/references/ch11.ts) computes them from the probes below, which both share.
import { checkExercise } from "../testing/exercise";
import type { ExerciseChecker } from "../testing/exercise";
import { attempt, copyOf } from "./probes";
import { answerValue } from "./answers";
import { answers } from "./answers/ch11";
import { Rng } from "../random";
import { Tensor, fromFlat, randn, zeros } from "../tensor";

/** One request's score (its largest surprise, in nats) and the step where it occurs (row t of the batch). */
export interface RequestScore {
  score: number;
  step: number;
}

/** One probe of ch11-request-scores: logits [T, B, V], targets and mask [T, B]. */
export interface RequestScoresProbe {
  logits: Tensor;
  targets: Tensor;
  mask: Tensor;
}

/** Sets every padded step's target logit `below` under the lowest logit of its row: padding far more surprising than any real step. */
function surprisingPadding(logits: Tensor, targets: number[], mask: number[], below: number): void {
  const V = logits.shape[2];
  const x = logits.data;
  for (let r = 0; r < mask.length; r++) {
    if (mask[r] !== 0) continue;
    let lowest = Infinity;
    for (let v = 0; v < V; v++) lowest = Math.min(lowest, x[r * V + v]);
    x[r * V + targets[r]] = lowest - below;
  }
}

/** A mask [T, B] from each request's real steps (lists of rows), time-major. */
function maskOf(T: number, realSteps: number[][]): number[] {
  const B = realSteps.length;
  const m = new Array<number>(T * B).fill(0);
  realSteps.forEach((steps, b) => steps.forEach((t) => (m[t * B + b] = 1)));
  return m;
}

/**
 * The check's fixed probes (inputs are not secret). The teacher's reference solution
 * (grading/references/ch11.ts) computes the stored answers from these same inputs; its answers()
 * also checks that each probe does what its comment says.
 */
export const ch11Probes = {
  requestScores: (): Record<"uniform" | "main" | "gaps" | "large" | "peakLast" | "farRows", RequestScoresProbe> => {
    // Uniform logits (T = 3, B = 2, V = 4): every surprise is ln 4, so every step of a request ties.
    const uniform = { logits: zeros([3, 2, 4]), targets: fromFlat([0, 3, 1, 2, 2, 0], [3, 2]), mask: fromFlat([1, 1, 1, 1, 1, 1], [3, 2]) };

    // T = 5 steps of B = 3 requests (T ≠ B, so a batch-major reading shows), V = 6 events.
    // Request 0 has all 5 steps; its step 1 is its most surprising (the target's logit 15 below
    // the row's lowest) and is copied to step 3: its largest surprise occurs twice. Requests 1 and
    // 2 have 2 and 4 real steps, then padding whose targets are 25 below their row's lowest logit.
    const [T, B, V] = [5, 3, 6];
    const rng = new Rng(1107);
    const logits = randn([T, B, V], rng).mul(2);
    const targets = Array.from({ length: T * B }, () => rng.int(V));
    const mask = maskOf(T, [[0, 1, 2, 3, 4], [0, 1], [0, 1, 2, 3]]);
    surprisingPadding(logits, targets, mask, 25);
    const x = logits.data;
    const row = (t: number, b: number) => (t * B + b) * V;
    let lowest = Infinity;
    for (let v = 0; v < V; v++) lowest = Math.min(lowest, x[row(1, 0) + v]);
    x[row(1, 0) + targets[1 * B + 0]] = lowest - 15;
    for (let v = 0; v < V; v++) x[row(3, 0) + v] = x[row(1, 0) + v];
    targets[3 * B + 0] = targets[1 * B + 0];
    const main = { logits, targets: fromFlat(targets, [T, B]), mask: fromFlat(mask, [T, B]) };

    // Padding before and between the real steps (T = 4, B = 2, V = 3): request 0's real steps are
    // 0 and 2, request 1's are 2 and 3; the padded steps are the most surprising.
    const gRng = new Rng(1108);
    const gLogits = randn([4, 2, 3], gRng).mul(1.5);
    const gTargets = Array.from({ length: 8 }, () => gRng.int(3));
    const gMask = maskOf(4, [[0, 2], [2, 3]]);
    surprisingPadding(gLogits, gTargets, gMask, 20);
    const gaps = { logits: gLogits, targets: fromFlat(gTargets, [4, 2]), mask: fromFlat(gMask, [4, 2]) };

    // The main probe's logits × 10 + 800: logits in the hundreds, where e^x overflows (e^710 is
    // Infinity), and no probability of a real step below e^−700, where it would underflow to 0.
    const large = { logits: main.logits.mul(10).add(800), targets: main.targets, mask: main.mask };

    // Each row's LAST logit 800 above the others, and the target (T = 2, B = 2, V = 4): a max taken
    // over the first V − 1 logits only leaves e^800 = Infinity in the sum. (The target is the
    // likely event, so no probability underflows: a stable softmax followed by −ln p passes.)
    const peakLogits = zeros([2, 2, 4]);
    for (let r = 0; r < 4; r++) peakLogits.data[r * 4 + 3] = 800;
    const peakLast = { logits: peakLogits, targets: fromFlat([3, 3, 3, 3], [2, 2]), mask: fromFlat([1, 1, 1, 1], [2, 2]) };
    // The main probe with request 0's logits 800 higher than the others': the largest logit of the
    // whole tensor, subtracted from every row, leaves every other request's e^x at 0 (e^−800), so
    // ln Σ is −Infinity there. Only each row's own largest logit keeps every row finite.
    const far = copyOf(main.logits);
    for (let t = 0; t < T; t++) for (let v = 0; v < V; v++) far.data[row(t, 0) + v] += 800;
    const farRows = { logits: far, targets: main.targets, mask: main.mask };
    return { uniform, main, gaps, large, peakLast, farRows };
  },
};

// ---------------------------------------------------------------------------------------------
// ch11-request-scores

const stored = (key: string): number[] => answerValue<number[]>(answers, `request-scores/${key}`);

/** Every entry of got within tol (relative above 1, absolute below) of want. */
function same(got: readonly number[] | undefined, want: readonly number[], tol = 1e-6): boolean {
  return got !== undefined && got.length === want.length && got.every((g, i) => Math.abs(g - want[i]) <= tol * Math.max(1, Math.abs(want[i])));
}

/** The learner's result as two lists (scores, steps), after checking its form; B requests expected, T steps in the batch. */
function readResult(c: ExerciseChecker, got: unknown, T: number, B: number, probe: string): { scores: number[]; steps: number[] } {
  const list = Array.isArray(got) ? (got as unknown[]) : undefined;
  c.that(`requestScores returns an array, one { score, step } per request (probe: ${probe}; yours returned ${list ? "an array" : got === undefined ? "undefined" : typeof got})`,
    list !== undefined, "do you return an array, and do you push one object per request into it?");
  c.that(`one result per request: B = ${B}, axis 1 of the logits [T, B, V] (yours has ${list!.length}, as many as the T = ${T} steps along axis 0)`,
    !(list!.length === T && T !== B), "which axis of logits [T, B, V] counts the requests, and which the steps?");
  c.that(`one result per request: B = ${B} in this probe (yours has ${list!.length})`, list!.length === B, "how many requests does the batch hold, and do you return one result for each?");
  const ok = list!.every((r) => r !== null && typeof r === "object" && typeof (r as RequestScore).score === "number" && typeof (r as RequestScore).step === "number");
  c.that("each result is an object { score, step } with two numbers", ok, "what does the exercise ask each request's result to hold, under which names?");
  return { scores: list!.map((r) => (r as RequestScore).score), steps: list!.map((r) => (r as RequestScore).step) };
}

/**
 * Exercise ch11-request-scores: from logits [T, B, V], targets [T, B] and a mask [T, B] (1 = a
 * real step), each request's largest surprise −ln softmax(o_t)[e_t] over its real steps, and the
 * first step where it occurs.
 */
export function checkRequestScores(requestScores: (logits: Tensor, targets: Tensor, mask: Tensor) => readonly RequestScore[]): void {
  checkExercise("ch11-request-scores", (c) => {
    const probes = ch11Probes.requestScores();
    const run = (name: keyof typeof probes, what: string) => {
      const p = probes[name];
      const [T, B] = p.mask.shape;
      const got = attempt(c, `requestScores on the probe (${what})`, () => requestScores(copyOf(p.logits), copyOf(p.targets), copyOf(p.mask)),
        "logits are [T, B, V], targets and mask [T, B], all time-major: step t of request b is row t * B + b");
      return readResult(c, got, T, B, what);
    };

    // Uniform logits: one step's surprise, in which unit and with which sign; a tie at every step.
    const u = run("uniform", "every logit 0, V = 4, T = 3 real steps per request");
    c.that("the score is the LARGEST surprise, not the total over the steps (yours is 3 times a uniform step's surprise)", !same(u.scores, stored("uniform/mistake/sum")),
      "a request with one misplaced event among ordinary ones: which single number of its steps shows it best?");
    c.that("the surprise is in nats: the natural logarithm (yours is in bits, log₂)", !same(u.scores, stored("uniform/mistake/log2")), "which logarithm is Math.log, and which one gives nats?");
    c.that("the surprise is −ln p, which is never negative (yours is ln p: the minus sign is missing)", !u.scores.every((s) => s < 0),
      "p is at most 1: what sign does ln p have, and what does the minus in −ln p do to it?");
    c.close("one step's surprise −ln p(target) for uniform logits (probe: every logit 0, V = 4)", u.scores, stored("uniform/scores"), {
      hint: "what probability does a softmax of equal logits give each of the V events, and what is −ln of it?",
    });
    c.that("on a tie, the FIRST step where the largest surprise occurs (probe: every step ties; yours took the last)", !same(u.steps, stored("uniform/mistake/last-step"), 0),
      "when a later step's surprise only equals the largest so far, should it replace the step you kept?");
    c.that("steps count from 0: the step is the row t of the tensors (probe: every step ties; yours counts from 1)", !same(u.steps, stored("uniform/mistake/one-based"), 0),
      "the first row of the logits is step 0: do you add 1 anywhere?");
    c.close("the step of the largest surprise (probe: every step ties)", u.steps, stored("uniform/steps"), {
      tol: 0, hint: "which step do you keep when every step's surprise is the same?",
    });

    // Random logits, padded requests whose padding is the most surprising, a tie in request 0.
    const m = run("main", "random logits, T = 5, B = 3, V = 6; requests of 5, 2 and 4 real steps");
    c.that("padded steps are left out: only steps whose mask is 1 count (yours took the largest over every step, padding included)", !same(m.scores, stored("main/mistake/mask-ignored")),
      "what does mask[t, b] = 0 say about step t of request b, and do you skip it?");
    c.that("the score is the largest surprise, not the mean over the real steps", !same(m.scores, stored("main/mistake/mean")),
      "a request with one misplaced event among ordinary ones: does averaging keep that event's surprise, or dilute it?");
    c.that("the score is the largest surprise, not the total over the real steps", !same(m.scores, stored("main/mistake/sum")),
      "a request with one misplaced event among ordinary ones: which single number of its steps shows it best?");
    c.that("the surprise is −ln p, never negative (yours takes the largest ln p: the minus sign is missing)", !same(m.scores, stored("main/mistake/log-p")),
      "p is at most 1: what sign does ln p have, and what does the minus in −ln p do to it?");
    c.that("the surprise is in nats (yours is in bits, log₂)", !same(m.scores, stored("main/mistake/log2")), "which logarithm is Math.log, and which one gives nats?");
    c.that("the surprise reads the probability of the TARGET event (yours read the most likely event's)", !same(m.scores, stored("main/mistake/most-likely")),
      "the event that came is targets[t, b]: which entry of the softmax row is its probability?");
    c.that("logits [T, B, V] are time-major: step t of request b is row t * B + b (yours read them batch-major, row b * T + t)", !same(m.scores, stored("main/mistake/batch-major")),
      "in a [T, B, V] tensor, which index changes fastest after V: the step or the request?");
    c.that("the logits are read time-major like the targets and the mask: step t of request b is row t * B + b (yours reads the logits at row b * T + t)",
      !same(m.scores, stored("main/mistake/logits-batch-major")), "in a [T, B, V] tensor, which index changes fastest after V: the step or the request?");
    c.that("the mask is read time-major like the logits: mask[t, b] is at t * B + b (yours reads it at b * T + t)", !same(m.scores, stored("main/mistake/mask-batch-major")),
      "the mask is [T, B] as the targets are: which index comes first?");
    c.that("the row's largest logit m, subtracted inside the exp, comes back outside the ln (yours leaves it out)", !same(m.scores, stored("main/mistake/max-not-added-back")),
      "subtracting m from every logit inside the exp divides the sum by e^m: what must you add to its logarithm to undo that?");
    c.close("each request's largest surprise over its real steps (probe: random logits, padded requests)", m.scores, stored("main/scores"), {
      hint: "for each request, for each step whose mask is 1: −ln of the softmax's entry at the target; which of them is the largest?",
    });
    c.that("steps count from 0: the step is the row t of the tensors (yours counts from 1)", !same(m.steps, stored("main/mistake/one-based"), 0),
      "the first row of the logits is step 0: do you add 1 anywhere?");
    c.that("on a tie, the FIRST step where the largest surprise occurs (probe: request 0's largest surprise occurs at two steps; yours took the later)",
      !same(m.steps, stored("main/mistake/last-step"), 0), "when a later step's surprise only equals the largest so far, should it replace the step you kept?");
    c.close("the step of each request's largest surprise (probe: random logits, padded requests)", m.steps, stored("main/steps"), {
      tol: 0, hint: "do you keep the step t together with the largest surprise, and update both only when a step beats it?",
    });

    // Padding before and between the real steps.
    const g = run("gaps", "T = 4, B = 2, V = 3; real steps 0 and 2 of request 0, 2 and 3 of request 1");
    c.that("a step counts where its mask is 1, wherever it is (yours took the first Σ mask steps as the real ones, as if padding only came at the end)",
      !same(g.scores, stored("gaps/mistake/prefix")), "do you read mask[t, b] at every step t, or only count the 1s?");
    c.close("each request's largest surprise, with padding before and between the real steps", g.scores, stored("gaps/scores"), {
      hint: "do you test the mask at every step, and skip exactly the steps where it is 0?",
    });
    c.that("the step is the row t of the tensors, padded rows counted (yours counts only the real steps before it)", !same(g.steps, stored("gaps/mistake/real-index"), 0),
      "request 0's real steps are rows 0 and 2: which number names the second of them?");
    c.close("the step of each request's largest surprise, with padding before and between the real steps", g.steps, stored("gaps/steps"), {
      tol: 0, hint: "is your step the row t where the surprise was computed?",
    });

    // Logits in the hundreds: exp overflows unless each row's largest logit is subtracted first.
    const l = run("large", "the random logits × 10 + 800, in the hundreds");
    c.that("the surprise stays finite for logits in the hundreds (yours is NaN or Infinity: e^x overflows above x ≈ 709)", l.scores.every((s) => Number.isFinite(s)),
      "ln Σ exp(o_v) is unchanged when you subtract a number from every o_v inside and add it back outside: which number keeps every exp at most 1?");
    c.close("each request's largest surprise for logits in the hundreds", l.scores, stored("large/scores"), {
      hint: "do you subtract the row's largest logit inside the exp and add it back outside the ln?",
    });
    c.close("the step of each request's largest surprise for logits in the hundreds", l.steps, stored("large/steps"), { tol: 0, hint: "does your step follow the score?" });

    // The largest logit last in every row: a max over the first V − 1 logits misses it.
    const k = run("peakLast", "every row's last logit 800 above the others, V = 4");
    c.that("the surprise stays finite when a row's largest logit is its last (yours is NaN or Infinity: is the last logit in your max?)", k.scores.every((s) => Number.isFinite(s)),
      "the row's largest logit runs over all V events, v = 0 … V − 1: does your loop reach the last one?");
    c.close("each request's largest surprise when the largest logit is the last", k.scores, stored("peakLast/scores"), {
      hint: "the max subtracted inside the exp must be the largest of ALL the row's logits",
    });

    // One request's logits 800 above the others': a max over the whole tensor instead of each row's.
    const f = run("farRows", "the main probe with request 0's logits 800 higher than the others'");
    c.that("each row subtracts its OWN largest logit (yours is NaN or Infinity when one request's logits are 800 above the others': the largest of the whole tensor?)",
      f.scores.every((s) => Number.isFinite(s)), "which logits does the max run over: the V of this row, or every row of every request?");
    c.close("each request's largest surprise when one request's logits are far above the others'", f.scores, stored("farRows/scores"), {
      hint: "the m of each row is that row's own largest logit",
    });
  });
}
