// kl.fused: ops that each do the work of several basic ops in one pass and one tape node, for the
// recurrent cells' fast path (nn/*-cell.ts: lstmStepFused, gruStepFused, rnnStepFused). Each one
// names the basic ops it stands for, and the tests check it against them, outputs and gradients.
export { gate } from "./cells";
export type { GateActivation } from "./cells";
export { lstmMemory, lstmOutput } from "./lstm";
export { gruCandidate, gruUpdate } from "./gru";
