// Long pieces of background work on the main thread (intake of a large body, the log follower, storing a
// batch run's findings) give way between their steps with `await nextTurn()`. Each waiting step resumes in
// an event-loop turn of its own, one per turn, so the requests that arrived meanwhile (a /health, a
// decision) are read between any two steps. With each caller on its own setImmediate, every step queued in
// a turn ran back to back before the loop looked at its sockets again: four activities of 30–50 ms each
// meant /health waited 150–200 ms. Written by hand: it is a queue and one timer, nothing a library adds.

const waiting: Array<() => void> = [];
let scheduled = false;

function resumeOne(): void {
  scheduled = false;
  const next = waiting.shift();
  if (waiting.length > 0) schedule();
  next?.();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(resumeOne);
}

/** Resolves in a later event-loop turn, after every earlier caller, and alone in its turn. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}
