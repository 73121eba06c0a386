// For tests: the feature rows of a scripted market, read one value at a time.
import assert from 'node:assert/strict';
import { buildFeatures } from './analysis.ts';
import { loadRulesFile } from './rules/load.ts';
import type { SubjectKind } from './signals.ts';
import type { MarketScript } from './stream/testing.ts';

/** Streams the script, builds every feature row, and returns a reader of one (kind, id, feature) value. */
export function featureValues(script: MarketScript): (kind: SubjectKind, id: string, name: string) => number {
  const { engine } = script.run();
  const { features } = buildFeatures({
    state: engine.state,
    money: engine.money,
    signals: [],
    rules: loadRulesFile(),
  });
  return (kind, id, name) => {
    const set = features[kind];
    const i = set.ids.indexOf(id);
    const j = set.names.indexOf(name);
    assert.ok(i >= 0 && j >= 0, `${kind} ${id} ${name}`);
    return set.rows[i * set.names.length + j];
  };
}
