// Numbers computed from a model's outputs or from data, outside the tape.
export { correlation } from "./correlation";
