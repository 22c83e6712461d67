// kl.io: a model's state dict (PyTorch's names, nested arrays) to and from a JSON string.
export { saveJSON, loadJSON } from "./state-dict";
export type { StateDict, Nested, LoadOptions, LoadResult } from "./state-dict";
