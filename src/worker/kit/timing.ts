/**
 * The Worker's own time limits (storage waits, the queue send, the job's budget, the final edit's deadline, the
 * backend call, Discord's per-attempt timeout and backoffs, the auto-deferral) are written in real milliseconds and
 * read through `scaled`. Production never changes the scale. Tests of hangs set it (scaleTimingsForTests(1 / 40)) so
 * that a hang ends through the Worker's own deadline logic, in the same order as in production, in a fraction of the
 * time: no test sleeps real seconds waiting for a 20 s timeout.
 */
let scale = 1;

export function scaled(ms: number): number {
  return ms * scale;
}

/** For tests only: scales every limit read through `scaled`; returns the function that restores real time. */
export function scaleTimingsForTests(factor: number): () => void {
  scale = factor;
  return () => {
    scale = 1;
  };
}
