// kl.autograd: the tape itself, for looking inside it and for writing new ops. (noGrad, the one
// call every notebook needs, is also at the top: kl.noGrad.) tape.ts is the whole engine.
export {
  backward, noGrad, isGradEnabled, tapeSize, resetTape, graphDepth, tapeBytes,
  record, gradSlot, accumulateGrad, needsGrad,
} from "./tape";
export { detectAnomaly, withAnomalyDetection, isAnomalyDetectionEnabled } from "./anomaly";
export type { BackwardOptions, TapeNode } from "./tape";
export { recordView, passGradSlice } from "./buffers";
