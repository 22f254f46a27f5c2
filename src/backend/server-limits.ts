// The Node server's connection limits (server.ts applies them; config.ts reads their variables).

// Node's own limits are made for browsers on slow links: 60 s for headers, 300 s for a whole request, checked
// every 30 s. The only legitimate client here is the Worker, which sends its headers and a body it already holds
// at once, so anything slower is a client holding a socket (and its buffers) open. The body has its own deadline
// in the portable handler (BackendOptions.bodyTimeoutMs, answered 408); Node's requestTimeout is the backstop
// behind it for requests the handler never reads.
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
// Each open connection costs a file descriptor and a few KiB even when idle (see BENCHMARKS.md, "Slow sockets"),
// so the count is bounded too; well above what the Worker opens, and above the 1,000 sockets of the bench so a
// signed job still gets a connection while they are held.
export const DEFAULT_MAX_CONNECTIONS = 4_096;
export const REQUEST_TIMEOUT_MARGIN_MS = 1_000;

/** Node checks headersTimeout and requestTimeout only on this beat, so it must be a fraction of them. */
export function checkingInterval(headersTimeoutMs: number): number {
  return Math.min(1_000, Math.max(10, Math.floor(headersTimeoutMs / 4)));
}

// A chart that is still being drawn after this long is stopped and its thread replaced (render-pool.ts), and the
// user reads why (422 render_timeout). Ordinary charts take ≈ 10 ms and the costliest accepted ones a few times that
// (BENCHMARKS.md, "Render cost"), so this only ever ends a runaway; it equals the backend Worker's cpu_ms, the
// limit the same render meets there, and leaves the Worker's relay (20 s) time to deliver the answer.
export const DEFAULT_RENDER_TIMEOUT_MS = 5_000;

// How far Node reads ahead into a request body nobody has asked for yet (per socket and per IncomingMessage; Node's
// default is 64 KiB). Between a connection's headers and its 401, the body keeps arriving; a small read-ahead keeps
// what 1,000 simultaneous unauthenticated connections make Node buffer to a few KiB each. Legitimate bodies are read
// at once by the handler, so this costs them only a few more reads.
export const READ_HIGH_WATER_MARK_BYTES = 16 * 1024;
