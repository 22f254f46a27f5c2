/**
 * The load generator: N keep-alive HTTP/1.1 connections, each sending one pre-built request at a time
 * (closed loop, no pipelining) for a fixed duration. Requests are raw bytes built before the run, so the
 * client spends almost nothing per request: on a 2-core machine the client shares the CPU with workerd,
 * and node:http's per-request cost (~50-100 µs) would otherwise show up as a lower server number.
 *
 * Only what the benchmark needs of HTTP/1.1 is parsed: the status line, Content-Length, and chunked
 * bodies (by their terminating zero chunk, enough for the small JSON bodies the Workers send).
 */
import net from "node:net";
import { performance } from "node:perf_hooks";

export interface LoadOptions {
  readonly host: string;
  readonly port: number;
  readonly concurrency: number;
  /** Measured window; responses that complete during the warm-up before it are not counted. */
  readonly durationMs: number;
  readonly warmupMs: number;
  /** Complete HTTP requests (head + body); used round-robin. */
  readonly requests: readonly Buffer[];
  readonly expectedStatus: number;
  /** Called when the measured window opens and when it closes (e.g. to sample CPU counters). */
  readonly onWindow?: (edge: "open" | "close") => void;
}

export interface LoadResult {
  /** Responses completed inside the measured window. */
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses whose status was not the expected one (measured window and warm-up). */
  readonly unexpected: number;
  /** Connection errors or resets. */
  readonly errors: number;
  /** First unexpected status seen, for the report. */
  readonly firstUnexpected: number | null;
}

const HEADER_END = Buffer.from("\r\n\r\n");
const CHUNKED_END = Buffer.from("\r\n0\r\n\r\n");

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.requests.length === 0) throw new Error("bench(load): no requests to send");
  return new Promise((resolve) => {
    const started = performance.now();
    const measureFrom = started + options.warmupMs;
    const stopAt = measureFrom + options.durationMs;
    const latencies: number[] = [];
    let next = 0;
    let unexpected = 0;
    let errors = 0;
    let firstUnexpected: number | null = null;
    let open = options.concurrency;
    let windowEdges = 0;
    // Edges are noticed on the first response after them: at thousands of responses a second, that is
    // within a fraction of a millisecond, and the closing edge is always reported before the result.
    const edge = (now: number): void => {
      if (windowEdges === 0 && now >= measureFrom) {
        windowEdges = 1;
        options.onWindow?.("open");
      }
      if (windowEdges === 1 && now >= stopAt) {
        windowEdges = 2;
        options.onWindow?.("close");
      }
    };

    const finishOne = (): void => {
      if (--open > 0) return;
      edge(Number.POSITIVE_INFINITY);
      latencies.sort((a, b) => a - b);
      const seconds = options.durationMs / 1000;
      resolve({
        requests: latencies.length,
        seconds,
        rps: latencies.length / seconds,
        p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99),
        unexpected,
        errors,
        firstUnexpected,
      });
    };

    const connection = (): void => {
      let socket = connect();
      let buffered: Buffer | null = null;
      let sentAt = 0;
      let done = false;

      function connect(): net.Socket {
        const s = net.connect({ host: options.host, port: options.port, noDelay: true });
        s.on("connect", send);
        s.on("data", onData);
        s.on("error", () => {
          errors++;
        });
        s.on("close", () => {
          if (done) return;
          // The server closed the connection (or it failed): open another so concurrency stays at N.
          buffered = null;
          if (performance.now() < stopAt) socket = connect();
          else finish();
        });
        return s;
      }

      function send(): void {
        if (performance.now() >= stopAt) return finish();
        const request = options.requests[next++ % options.requests.length]!;
        sentAt = performance.now();
        socket.write(request);
      }

      function finish(): void {
        if (done) return;
        done = true;
        socket.destroy();
        finishOne();
      }

      function onData(chunk: Buffer): void {
        buffered = buffered ? Buffer.concat([buffered, chunk]) : chunk;
        const headerEnd = buffered.indexOf(HEADER_END);
        if (headerEnd < 0) return;
        const head = buffered.toString("latin1", 0, headerEnd);
        const status = Number(head.slice(9, 12));
        const bodyStart = headerEnd + HEADER_END.length;
        let end: number;
        const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (length) {
          end = bodyStart + Number(length[1]);
        } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
          const at = buffered.indexOf(CHUNKED_END, bodyStart - 2);
          if (at < 0) return;
          end = at + CHUNKED_END.length;
        } else {
          end = bodyStart; // no body (e.g. 204)
        }
        if (buffered.length < end) return;
        const now = performance.now();
        edge(now);
        buffered = buffered.length > end ? buffered.subarray(end) : null;
        if (status !== options.expectedStatus) {
          unexpected++;
          firstUnexpected ??= status;
        }
        if (now >= measureFrom && now < stopAt) latencies.push(now - sentAt);
        send();
      }
    };

    for (let i = 0; i < options.concurrency; i++) connection();
  });
}

/** Nearest-rank percentile of sorted values, in the values' unit; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
