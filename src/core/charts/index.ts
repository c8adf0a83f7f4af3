export * from './types';
export { compareCharts, metricDeltaChart, instructionDeltaChart, failureCauseChart, latencyChart, flipsChart } from './compareCharts';
export { tradeoffCharts, paretoFront } from './tradeoffChart';
