/**
 * Outbound HTTP for Worker tests: every fetch the Worker makes is routed by host to an in-test handler
 * (the Discord emulator, a scripted backend). An unexpected host fails the test rather than touching the
 * network. Responses are built inside the handlers, as workerd requires.
 */
import { vi } from "vitest";

export type Handler = (request: Request) => Response | Promise<Response>;

/** Requests the Worker made that have neither been answered nor aborted by it (see openRequests). */
const open = new Set<string>();

export function routeOutbound(routes: Record<string, Handler>) {
  open.clear();
  return vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const handler = routes[new URL(request.url).host];
    if (!handler) throw new TypeError(`test(outbound): unexpected fetch to ${request.url}`);
    const key = `${request.method} ${new URL(request.url).pathname} #${open.size}-${Math.random()}`;
    open.add(key);
    return callLikeFetch(handler, request).finally(() => open.delete(key));
  });
}

/**
 * The requests routed since the last routeOutbound that are still waiting: neither answered nor given up by the Worker
 * (its signal). A call the Worker awaits without a deadline on a hung server stays here.
 */
export function openRequests(): string[] {
  return [...open].map((key) => key.slice(0, key.indexOf(" #")));
}

/** Like a real fetch: once the caller's signal aborts, the call rejects, whatever the server does later. */
async function callLikeFetch(handler: Handler, request: Request): Promise<Response> {
  const { signal } = request;
  if (signal.aborted) throw signal.reason;
  return Promise.race([
    Promise.resolve().then(() => handler(request)),
    new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true })),
  ]);
}

/** A service binding (env.BACKEND) served by `handler`, with the same abort behaviour as routeOutbound. */
export function serviceBinding(handler: Handler): Fetcher {
  return {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => callLikeFetch(handler, new Request(input, init)),
    connect: () => {
      throw new TypeError("test(outbound): connect() on a test service binding");
    },
  } as Fetcher;
}

/** A handler that never answers until the caller aborts, like a hung server. */
export function hang(request: Request): Promise<Response> {
  return new Promise((_, reject) => {
    request.signal.addEventListener("abort", () => reject(request.signal.reason ?? new Error("aborted")), {
      once: true,
    });
  });
}
