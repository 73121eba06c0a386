// The offline lab's face, for the CLI and the benchmarks: detection over files of events, evaluation
// against ground truth, training the learned scorer on simulated markets, and benchmarks on public fraud
// data. The running service never imports it.
export { type BenchMlOptions, type BenchMlResult, benchMl } from './bench-ml/bench-ml.ts';
export {
  type EvalReport,
  evaluate,
  formatReport,
  labelledCohorts,
  lookAlikes,
  type Metrics,
} from './eval.ts';
export { formatLomo, type LeftOut, type LomoRow, leaveOneModeOut, modesIn } from './lomo.ts';
export { analyseFile, type DetectionRun, type RunOptions, type SubjectResult, scoreRun } from './pipeline.ts';
export { benchRings, benchYelpChi } from './ring-bench/fraudar-bench.ts';
export { type Market, simulatedMarkets, type TrainFromFolders, trainFromFolders } from './training.ts';
export { loadTruth, positives, type Truth } from './truth.ts';
