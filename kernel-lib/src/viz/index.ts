// The display layer: charts (plotly), tables, equations and live training views, sent to
// JupyterLab as one bundle per output (see jupyter.ts), or printed as text in plain Node.
export { show, showLatex, showMarkdown, resendPlotly, displayInfo } from "./show";
export { lineChart } from "./line";
export type { LineChartOptions } from "./line";
export { scatterChart } from "./scatter";
export type { ScatterChartOptions, ScatterSeries } from "./scatter";
export { barChart } from "./bar";
export type { BarChartOptions } from "./bar";
export { heatmap } from "./heatmap";
export type { HeatmapOptions } from "./heatmap";
export { subplots } from "./subplots";
export type { SubplotsOptions } from "./subplots";
export { Chart } from "./figure";
export type { PlotlyFigure, PlotlyTrace, ChartKind } from "./figure";
export type { NamedSeries, SeriesInput } from "./series";
export type { Values, Matrix, TensorLike } from "./values";
export { ChartInputError } from "./checks";
export { table, showTable, Table } from "./table";
export type { TableData, TableOptions, DataFrameLike } from "./table";
export { formulaTex, derivativeTable, showDerivatives, DerivativeCheck } from "./math";
export type { DerivativeRow, DerivativeTableOptions } from "./math";
export { liveView, LiveView } from "./live";
export type { LiveViewOptions, Progress, Clock } from "./live";
export { trainingLoop, TrainingLoop, TrainingInterrupted, ticker, yieldToEventLoop } from "./loop";
export type { TrainingLoopOptions, LossLike } from "./loop";
export type { Displayable, MimeBundle } from "./mime";
export type { DisplayMode } from "./jupyter";
