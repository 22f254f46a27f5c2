// A tiny route table for Discord's REST paths. Each route names its template (":token" etc.), which also gives
// the rate-limit bucket and a log-safe path with the secret parts replaced.

import type { SpecOperation } from "./conformance.ts";
import type { ParsedBody } from "./discord-body.ts";
import type { BucketRule } from "./ratelimit.ts";
import type { EmulatorState } from "./state.ts";

export interface RouteContext {
  request: Request;
  url: URL;
  params: Record<string, string>;
  body: ParsedBody;
  state: EmulatorState;
  now: number;
  /** Origin the client used to reach the emulator; attachment URLs are built on it. */
  origin: string;
  log: (event: Record<string, unknown>) => void;
}

export interface Route {
  method: string;
  /** Path after /api/v10, e.g. "/webhooks/:app/:token/messages/:message". */
  template: string;
  /** Needs `Authorization: Bot <token>` (command routes); webhook routes are authorised by their token. */
  auth: boolean;
  bucket: BucketRule;
  /** The parameter values that make the bucket's major key. */
  major: readonly string[];
  handler: (ctx: RouteContext) => Response | Promise<Response>;
  /** The operation in Discord's API description whose request schema the body must satisfy. */
  spec?: SpecOperation;
}

export type RouteMatch =
  | { kind: "found"; route: Route; params: Record<string, string> }
  | { kind: "wrong-method" }
  | { kind: "none" };

function matchTemplate(template: string, path: string): Record<string, string> | null {
  const want = template.split("/").filter(Boolean);
  const got = path.split("/").filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(":")) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) return null;
  }
  return params;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchTemplate(route.template, path);
    if (!params) continue;
    // "@original" is a literal segment in Discord's API; keep it from matching a :message parameter.
    if (params.message === "@original") continue;
    pathMatched = true;
    if (route.method === method) return { kind: "found", route, params };
  }
  return pathMatched ? { kind: "wrong-method" } : { kind: "none" };
}

/** The template with ids filled in but tokens hidden: safe for logs. */
export function redactedPath(route: Route, params: Record<string, string>): string {
  return route.template.replace(/:(\w+)/g, (_, name: string) =>
    name === "token" ? ":token" : (params[name] ?? `:${name}`),
  );
}
