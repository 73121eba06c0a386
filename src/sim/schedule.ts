// Work an actor of the simulation plans while it is set up, for days of the market still to come.

/** A piece of work for the day it is given. */
export type Job = (d: number) => void;

/** Jobs by day of the market, run and dropped on their day. */
export class DaySchedule {
  private readonly jobs: Job[][];

  constructor(days: number) {
    this.jobs = Array.from({ length: days }, () => []);
  }

  /** Plans `job` for day `d`; a day outside the market is dropped. */
  at(d: number, job: Job): void {
    if (d >= 0 && d < this.jobs.length) this.jobs[d].push(job);
  }

  /** Runs day `d`'s jobs in the order they were planned, those a job plans for the same day included. */
  run(d: number): void {
    for (const job of this.jobs[d]) job(d);
    this.jobs[d] = [];
  }
}
