// A bounded pool of worker threads with a wall-clock limit per task, for CPU-heavy work that must not run on the
// event loop answering requests (issue 19: one chart held the Node backend's event loop for 7 s, and a /health sent
// meanwhile failed). Every resource it uses is bounded:
//   threads  at most `size`, started on demand (a backend that draws nothing starts none), or all at once by warm().
//            A thread being stopped still counts until it has exited, so runaway threads never pile up beside their
//            replacements.
//   tasks    at most `size + maxWaiting` accepted at once (running or waiting for a thread); run() refuses one more
//            at once with ThreadPoolBusyError, which the caller answers with 503 + Retry-After: no queue grows unseen.
//   time     a task still running `timeoutMs` after its thread took it is failed with ThreadTaskTimeoutError and its
//            thread terminated; a fresh thread takes the next task. The clock starts when the thread takes the task,
//            so neither the wait for a thread nor a thread's start-up (its imports) counts against the task.
//   memory   each thread's V8 heap is capped (resourceLimits): a task that allocates without end ends its thread,
//            not the process.
// terminate() stops a thread's JavaScript at once; native code it is in (resvg's addon) runs to its return first,
// which the chart's input bounds keep short (drawn-text.ts, render-cost.ts).
//
// The thread side is serveThreadTasks: one task at a time, each answered with its value or its error.

import { Worker, isMainThread, parentPort } from "node:worker_threads";

export class ThreadPoolBusyError extends Error {
  override readonly name = "ThreadPoolBusyError";
}

export class ThreadTaskTimeoutError extends Error {
  override readonly name = "ThreadTaskTimeoutError";
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`thread-pool: the task was still running after ${timeoutMs} ms; its thread was terminated`);
    this.timeoutMs = timeoutMs;
  }
}

export interface ThreadPoolOptions {
  /** The thread's entry module; it calls serveThreadTasks. */
  script: URL;
  /** Threads at most. */
  size: number;
  /** Tasks that may wait for a thread beyond the `size` running. */
  maxWaiting: number;
  /** Wall-clock limit of one task on its thread. */
  timeoutMs: number;
  /** Passed to every thread (node:worker_threads' workerData). */
  workerData?: unknown;
  /** Each thread's V8 old-generation heap, MiB. */
  maxHeapMb?: number;
  /** One object per thread event (started, stopped and why). */
  log: (event: object) => void;
  /** Names the pool in log lines. */
  name: string;
}

export interface ThreadPool<Input, Output> {
  run(input: Input): Promise<Output>;
  /** Starts every thread now, so the first tasks do not wait for start-up. */
  warm(): void;
  /** Fails waiting tasks, terminates every thread, resolves when all have exited. */
  close(): Promise<void>;
  /** Threads alive (starting, idle, busy or stopping), tasks on a thread, tasks waiting for one. */
  stats(): { threads: number; running: number; waiting: number };
}

interface Task {
  input: unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  stopping: boolean;
  task?: Task & { id: number; timer: ReturnType<typeof setTimeout>; started: number };
  exited: Promise<void>;
}

type Answer =
  | { type: "ready" }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string; stack?: string };

export function createThreadPool<Input, Output>(options: ThreadPoolOptions): ThreadPool<Input, Output> {
  const { size, maxWaiting, timeoutMs } = options;
  for (const [name, value, min] of [
    ["size", size, 1],
    ["maxWaiting", maxWaiting, 0],
    ["timeoutMs", timeoutMs, 1],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < min)
      throw new RangeError(`thread-pool(${options.name}): ${name} must be an integer of at least ${min}, got ${value}`);
  }
  const threads = new Set<Thread>();
  const waiting: Task[] = [];
  let nextId = 1;
  let closed = false;

  const running = () => [...threads].filter((thread) => thread.task).length;
  const starting = () => [...threads].filter((thread) => !thread.ready && !thread.stopping).length;

  function spawn(): Thread {
    const worker = new Worker(options.script, {
      workerData: options.workerData,
      resourceLimits: options.maxHeapMb ? { maxOldGenerationSizeMb: options.maxHeapMb } : undefined,
    });
    const thread: Thread = {
      worker,
      ready: false,
      stopping: false,
      exited: new Promise((resolve) => worker.once("exit", () => resolve())),
    };
    threads.add(thread);
    // An idle thread must not keep the process alive; one with work to do must (pump refs it).
    worker.unref();
    worker.on("message", (answer: Answer) => onAnswer(thread, answer));
    let failure: Error | undefined;
    worker.on("error", (error) => {
      // An uncaught exception or the heap limit: the thread is ending; its task (if any) fails with the reason.
      options.log({ event: "thread_failed", pool: options.name, error: error.message });
      failure = error;
      finish(thread, (task) => task.reject(error));
      thread.stopping = true;
    });
    worker.once("exit", (code) => {
      threads.delete(thread);
      finish(thread, (task) =>
        task.reject(new Error(`thread-pool(${options.name}): the thread exited (code ${code}) during a task`)),
      );
      // A thread that never became ready cannot start (its script fails): the tasks waiting for it fail with why,
      // rather than wait for threads that would fail the same way, one after another, without end.
      if (!thread.ready && !closed) {
        const why = new Error(
          `thread-pool(${options.name}): a thread failed to start (exit code ${code})${failure ? `: ${failure.message}` : ""}`,
        );
        for (const task of waiting.splice(0)) task.reject(why);
      }
      pump();
    });
    return thread;
  }

  function finish(thread: Thread, settle: (task: Task) => void): void {
    const task = thread.task;
    if (!task) return;
    clearTimeout(task.timer);
    thread.task = undefined;
    thread.worker.unref();
    settle(task);
  }

  function onAnswer(thread: Thread, answer: Answer): void {
    if ("type" in answer) {
      thread.ready = true;
    } else if (thread.task?.id === answer.id) {
      finish(thread, (task) => {
        if (answer.ok) task.resolve(answer.value);
        else task.reject(Object.assign(new Error(answer.message), answer.stack ? { stack: answer.stack } : {}));
      });
    }
    pump();
  }

  function dispatch(thread: Thread, task: Task): void {
    const id = nextId++;
    const started = performance.now();
    const timer = setTimeout(() => {
      thread.stopping = true;
      options.log({ event: "thread_stopped", pool: options.name, reason: "timeout", timeout_ms: timeoutMs });
      finish(thread, (running) => running.reject(new ThreadTaskTimeoutError(timeoutMs)));
      void thread.worker.terminate();
    }, timeoutMs);
    thread.task = { ...task, id, timer, started };
    thread.worker.ref();
    thread.worker.postMessage({ id, input: task.input });
  }

  function pump(): void {
    if (closed) return;
    for (const thread of threads) {
      if (waiting.length === 0) break;
      if (thread.ready && !thread.stopping && !thread.task) dispatch(thread, waiting.shift()!);
    }
    // Threads for the tasks still waiting, as far as the size allows (a starting thread will take one).
    while (waiting.length > starting() && threads.size < size) spawn().worker.ref();
  }

  return {
    run(input) {
      if (closed) return Promise.reject(new Error(`thread-pool(${options.name}): closed`));
      if (running() + waiting.length >= size + maxWaiting) {
        return Promise.reject(
          new ThreadPoolBusyError(
            `thread-pool(${options.name}): ${size} threads busy and ${waiting.length} tasks waiting`,
          ),
        );
      }
      return new Promise<Output>((resolve, reject) => {
        waiting.push({ input, resolve: resolve as (value: unknown) => void, reject });
        pump();
      });
    },
    warm() {
      while (!closed && threads.size < size) spawn();
    },
    async close() {
      closed = true;
      for (const task of waiting.splice(0)) task.reject(new Error(`thread-pool(${options.name}): closed`));
      const all = [...threads];
      await Promise.all(all.map((thread) => thread.worker.terminate()));
      await Promise.all(all.map((thread) => thread.exited));
    },
    stats: () => ({ threads: threads.size, running: running(), waiting: waiting.length }),
  };
}

/**
 * The thread side: answers each task with `handle`'s value (its `transfer` list moved, not copied) or its error.
 * Call once, in the pool's thread script; the pool sends the next task only after this one's answer.
 */
export function serveThreadTasks<Input, Output>(
  handle: (input: Input) => Output | Promise<Output>,
  transfer: (output: Output) => ArrayBuffer[] = () => [],
): void {
  if (isMainThread || !parentPort) throw new Error("thread-pool: serveThreadTasks runs in a pool's thread only");
  const port = parentPort;
  port.on("message", async ({ id, input }: { id: number; input: Input }) => {
    try {
      const value = await handle(input);
      port.postMessage({ id, ok: true, value }, transfer(value));
    } catch (error) {
      port.postMessage({
        id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      });
    }
  });
  port.postMessage({ type: "ready" });
}
