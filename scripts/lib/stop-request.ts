// How a launcher (`npm start`, `npm run backend:worker`) learns it must stop. Installed before it starts anything, so
// Ctrl-C, SIGTERM (a supervisor, a test harness) or SIGHUP (the terminal closed) at any moment is a request to stop
// what has started, also halfway through start-up: the start functions take the signal and stop what they started
// so far. A second signal exits at once; the watchdogs (watchdog.ts) then stop the process groups left running.

export class StopRequested extends Error {
  override readonly name = "StopRequested";
  readonly signal: NodeJS.Signals;
  /** How a person reads the signal: "Ctrl-C" for SIGINT. */
  readonly what: string;
  constructor(signal: NodeJS.Signals) {
    super(`stop requested (${signal})`);
    this.signal = signal;
    this.what = signal === "SIGINT" ? "Ctrl-C" : signal;
  }
}

/** `launcher` names the script in the line a second signal prints. The signal's reason is a StopRequested. */
export function stopOnSignals(launcher: string): AbortSignal {
  const controller = new AbortController();
  for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(name, () => {
      if (!controller.signal.aborted) return controller.abort(new StopRequested(name));
      console.error(`${launcher}: ${name} again: exiting now; the watchdogs stop what is still running`);
      process.exit(1);
    });
  }
  return controller.signal;
}

/** `promise`, or the stop request's reason if the stop comes first. */
export function unlessStopped<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const stopped = () => reject(signal.reason);
    signal.addEventListener("abort", stopped, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", stopped));
  });
}
