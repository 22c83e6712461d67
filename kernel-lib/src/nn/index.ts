// kl.nn: models and their layers. A model is a class whose fields are its layers (Module finds
// them); the recurrent steps are here twice, as readable functions of basic ops (rnnStep,
// lstmStep, gruStep) and as the fused fast path the layers run (…Fused), tested to agree.
export { Module } from "./module";
export { Parameter } from "./parameter";
export { Sequential } from "./sequential";
export type { Layer } from "./sequential";
export { Linear } from "./linear";
export type { LinearOptions } from "./linear";
export { Embedding } from "./embedding";
export type { EmbeddingOptions } from "./embedding";
export { Tanh, ReLU, Sigmoid, Dropout } from "./activations";
export { GATES } from "./cell-base";
export type { CellMode, CellWeights, RecurrentOptions } from "./cell-base";
export { RNNCell, rnnStep, rnnStepFused } from "./rnn-cell";
export type { Nonlinearity, RNNCellOptions } from "./rnn-cell";
export { LSTMCell, lstmStep, lstmStepFused } from "./lstm-cell";
export type { LSTMState } from "./lstm-cell";
export { GRUCell, gruStep, gruStepFused } from "./gru-cell";
export { RecurrentLayer, RNN, LSTM, GRU } from "./recurrent";
export type { LSTMOutput, RNNOptions, SequenceInput, SequenceOptions, SequenceOutput } from "./recurrent";
export { RecurrentModel, CELL_KINDS } from "./recurrent-model";
export type { CellKind, RecurrentModelOptions, RecurrentModelOutput } from "./recurrent-model";
export * as init from "./init";
export { MultiheadAttention } from "./multihead-attention";
export type { KeyValueCache, MultiheadAttentionOptions, MultiheadAttentionOutput } from "./multihead-attention";
export { LayerNorm } from "./layer-norm";
export type { LayerNormOptions } from "./layer-norm";
export { PositionalEncoding, sinusoidalPositions } from "./positional";
export type { PositionKind, PositionalEncodingOptions } from "./positional";
export { TransformerBlock, TransformerLM } from "./transformer";
export type { TransformerBlockOptions, TransformerCache, TransformerLMOptions } from "./transformer";
export { AttentionModel } from "./attention-model";
export type { AttentionModelOptions } from "./attention-model";
