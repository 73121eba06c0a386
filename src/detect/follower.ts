// The log follower: reads the event log in arrival order into the stream engine, stores what the rules
// find and keeps alerts current. On start it rebuilds the rules' windows by replaying the log from the
// beginning; signal ids come from their evidence, so the replay re-finds what was already stored without
// doubling it, and stores whatever a crash kept from being stored.
import type { EventLog, LogFollower } from '../events/index.ts';
import type { AlertBook } from './alerts.ts';
import type { DetectionRepository } from './repository.ts';
import type { RuleSet } from './rules/schema.ts';
import type { Signal } from './signals.ts';
import { StreamEngine } from './stream/engine.ts';
import { DETECTORS } from './stream/rules/index.ts';

const CHECKPOINT = 'stream';

export class StreamFollower {
  readonly engine: StreamEngine;
  private found: Signal[] = [];
  private follower: LogFollower | undefined;

  constructor(
    rules: RuleSet,
    private readonly log: EventLog,
    private readonly repo: DetectionRepository,
    private readonly alerts: AlertBook,
  ) {
    this.engine = new StreamEngine(rules, DETECTORS, (s) => this.found.push(s));
  }

  /** Starts following (replaying the stored log first); later calls do nothing. */
  start(): void {
    this.follower ??= this.log.follow(0, async (page) => {
      for (const { seq, event } of page) this.engine.process(event, Date.parse(event.time), seq);
      await this.flush();
    });
  }

  /** Waits until every event committed so far has been through the rules. */
  async caughtUp(): Promise<void> {
    this.start();
    await this.follower!.caughtUp();
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
  }

  private async flush(): Promise<void> {
    const found = this.found;
    this.found = [];
    await this.alerts.add(found);
    await this.repo.saveRuleHits(this.engine.ruleHits());
    await this.repo.checkpoint(CHECKPOINT, this.engine.lastSeq);
  }
}
