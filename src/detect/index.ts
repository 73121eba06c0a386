// The detect capability's public face. The running service (`createDetection`), its routes and the facts
// it publishes, and — for the offline lab and the benchmarks — the analysis kit: the stream engine, the
// batch analysis, the learned scorer and its learner, FRAUDAR. Nothing else of this folder may be imported
// from outside it; its repository and tables stay inside.

export { type AlertScore, alertOf, noisyOr } from './alerts.ts';
// Batch analysis: rings, features, the learned scorer
export {
  type AnalysisInput,
  type BatchFindings,
  batchFindings,
  buildFeatures,
  type Features,
  type RingVerdict,
  ringOptions,
  scoreAll,
} from './analysis.ts';
export type { BatchSummary } from './batch.ts';
export type { Decision, DecisionReason } from './decisions.ts';
export type { FeatureSet } from './features.ts';
// The learner and FRAUDAR, for the lab's benchmarks
export { bipartiteFromArrays } from './graph/bipartite.ts';
export { type FraudarBlock, type FraudarWeighting, fraudar } from './graph/fraudar.ts';
export type { Ring, RingResult } from './graph/rings.ts';
export {
  DEFAULT_RINGS,
  type RingSpec,
  type RowRecovery,
  rowRecovery,
  type SyntheticGraph,
  syntheticRings,
} from './graph/synthetic.ts';
export { applyBins, type Binned, binMatrix, selectBinnedRows } from './learn/binning.ts';
export {
  averageModels,
  type GbdtModel,
  type GbdtParams,
  sigmoid,
  type TrainOptions,
  trainGbdt,
  trainGbdtBinned,
  widenFeatures,
} from './learn/gbdt.ts';
export { type Matrix, selectRows, sortedColumn } from './learn/matrix.ts';
export { auroc, averagePrecision, bestThreshold, f1Macro, reportAt } from './learn/metrics.ts';
export { defaultThreads, type GbdtJob, GbdtPool, type JobResult, runJob } from './learn/pool.ts';
// The running service
export { migrations } from './migrations/index.ts';
export type { Alert, AlertFilter, BatchRun, RunTrigger, SignalFilter, StoredRing } from './repository.ts';
export { detectRoutes, detectSchemas } from './routes.ts';
export type { RuleStatus } from './rule-admin.ts';
// Rules and the stream engine
export { DEFAULT_RULES_FILE, loadRulesFile, parseRules } from './rules/load.ts';
export type { Policy, Rule, RuleKind, RuleSet } from './rules/schema.ts';
export type { BatchSchedule } from './runs.ts';
export {
  DEFAULT_MODEL_FILE,
  type KindModel,
  type Labelled,
  loadScorer,
  type Scored,
  type Scorer,
  saveScorer,
  scoreKinds,
  trainScorer,
} from './scorer.ts';
export {
  createDetection,
  DEFAULT_READY_LAG,
  DEFAULT_SNAPSHOT_SCHEDULE,
  type Detection,
  type DetectionDeps,
  type DetectionLog,
  type DetectionStatus,
  type DetectionThread,
  type Readiness,
  startDetectionThread,
} from './service.ts';
export { type Explanation, type Signal, SUBJECT_KINDS, type SubjectKind } from './signals.ts';
export {
  decodeSnapshot,
  encodeSnapshot,
  type SnapshotHeader,
  SnapshotRefused,
  snapshotHeader,
  streamDigest,
} from './snapshots.ts';
export type { SnapshotSchedule } from './snapshots-keeper.ts';
export {
  FolderSnapshotStore,
  type SnapshotStore,
  type StoredSnapshot,
  TableSnapshotStore,
} from './snapshots-store.ts';
export { createStreamEngine, type EngineMemory, type RuleHits, type StreamEngine } from './stream/engine.ts';
export type { MoneyTrail } from './stream/money.ts';
export type { IdentifierKind, MarketState } from './stream/state.ts';
