// Layers: the module base, Linear, Embedding, the recurrent cells and sequence layers.
// (Initialisers are exported separately, as the namespace `init`.)
export { Module } from "./module";
export { Linear } from "./linear";
export type { LinearOptions } from "./linear";
export { Embedding } from "./embedding";
export type { EmbeddingOptions } from "./embedding";
export { GATES } from "./cell-base";
export type { CellMode, CellWeights, RecurrentOptions } from "./cell-base";
export { RNNCell, rnnStep } from "./rnn-cell";
export type { Nonlinearity, RNNCellOptions } from "./rnn-cell";
export { LSTMCell, lstmStep } from "./lstm-cell";
export type { LSTMState } from "./lstm-cell";
export { GRUCell, gruStep } from "./gru-cell";
export { RecurrentLayer, RNN, LSTM, GRU } from "./recurrent";
export type { LSTMOutput, RNNOptions, SequenceInput, SequenceOptions, SequenceOutput } from "./recurrent";
