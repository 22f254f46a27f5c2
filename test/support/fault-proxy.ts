// A minimal HTTP proxy for fault tests, put where the Worker's BACKEND_URL points, in front of a real backend.
// "pass" forwards each request and streams the backend's answer back unchanged; "fail" answers every request
// itself with the 500 given (the backend is not asked). Test-only: production code has no fault switches.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";

interface ProxyFailure {
  status: number;
  contentType: string;
  body: string;
}

export interface FaultProxy {
  /** Where requests go in "pass" mode. */
  target: URL;
  mode: "pass" | { fail: ProxyFailure };
  /** Requests received, in order (method and path). */
  readonly received: string[];
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (the port the Worker was given for its backend). */
export async function startFaultProxy(port: number, target: string): Promise<FaultProxy> {
  const proxy: FaultProxy = { target: new URL(target), mode: "pass", received: [], close: async () => {} };
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    proxy.received.push(`${incoming.method} ${incoming.url}`);
    if (proxy.mode !== "pass") {
      const { status, contentType, body } = proxy.mode.fail;
      // Drain the body first, as any HTTP server does, then answer.
      incoming.resume();
      incoming.once("end", () => outgoing.writeHead(status, { "content-type": contentType }).end(body));
      return;
    }
    const upstream = httpRequest(
      {
        host: proxy.target.hostname,
        port: proxy.target.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, host: proxy.target.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    // The backend unreachable or gone mid-answer: drop the Worker's connection too, as a dead backend would.
    upstream.once("error", () => outgoing.destroy());
    // The Worker gave up (its relay timeout): stop waiting on the backend as well.
    outgoing.once("close", () => upstream.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
