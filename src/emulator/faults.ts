// Scripted failures: the next N matching calls answer 429 / 5xx, wait, or never answer. Tests push specs
// in-process (`emulator.faults.push(spec)`) or, from inside workerd, POST them to /__emulator/faults.
// The first matching spec wins; a spec is dropped once it has fired `times` times.

export interface FaultSpec {
  match?: {
    /** Exact HTTP method, case-insensitive. */
    method?: string;
    /** Substring of the URL path (e.g. "/webhooks/" or "/messages/@original"). */
    path?: string;
    /** A regular expression source tested against the URL path. */
    pathRegex?: string;
  };
  /** How many calls it affects (default 1); "always" never runs out. */
  times?: number | "always";
  /** Answer with this instead of the normal response. */
  respond?: { status: number; json?: unknown; body?: string; headers?: Record<string, string> };
  /** Never answer; the call ends when the client aborts (or the emulator is reset or closed). */
  hang?: boolean;
  /** Wait this long first, then answer normally (or with `respond`). */
  delayMs?: number;
  /** Over HTTP, a named failure instead of `respond`: "unknown_webhook" (404, code 10015) is Discord's race
   * right after a deferral, when the interaction's webhook is not known yet (discord-api-docs #7220). */
  preset?: "unknown_webhook";
}

const UNKNOWN_WEBHOOK = { status: 404, json: { message: "Unknown Webhook", code: 10015 } };

export type FaultValidation = { ok: true; fault: FaultSpec } | { ok: false; error: string };

const fired = new WeakMap<FaultSpec, number>();

/** Validates a spec that came over HTTP; in-process pushes are typed. */
export function parseFault(input: unknown): FaultValidation {
  const fail = (error: string): FaultValidation => ({ ok: false, error: `emulator(faults): ${error}` });
  if (typeof input !== "object" || input === null || Array.isArray(input)) return fail("a fault must be a JSON object");
  const spec = input as Record<string, unknown>;
  const match = spec.match as Record<string, unknown> | null | undefined;
  if (match !== undefined && (typeof match !== "object" || match === null)) return fail("match must be an object");
  if (typeof match?.pathRegex === "string") {
    try {
      new RegExp(match.pathRegex);
    } catch {
      return fail("match.pathRegex is not a valid regular expression");
    }
  }
  const times = spec.times;
  if (
    times !== undefined &&
    times !== "always" &&
    !(typeof times === "number" && Number.isInteger(times) && times > 0)
  ) {
    return fail(`times must be a positive integer or "always"`);
  }
  if (spec.preset !== undefined) {
    if (spec.preset !== "unknown_webhook") return fail(`preset must be "unknown_webhook"`);
    if (spec.respond !== undefined) return fail("a fault has a preset or respond, not both");
    return { ok: true, fault: { ...(spec as FaultSpec), respond: UNKNOWN_WEBHOOK } };
  }
  const respond = spec.respond as FaultSpec["respond"] | undefined;
  if (respond !== undefined && (typeof respond !== "object" || respond === null || !Number.isInteger(respond.status))) {
    return fail("respond needs an integer status");
  }
  if (respond === undefined && spec.hang !== true && typeof spec.delayMs !== "number") {
    return fail("a fault needs respond, preset, hang: true or delayMs");
  }
  return { ok: true, fault: spec as FaultSpec };
}

function matches(spec: FaultSpec, method: string, path: string): boolean {
  const m = spec.match;
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path && !path.includes(m.path)) return false;
  if (m.pathRegex && !new RegExp(m.pathRegex).test(path)) return false;
  return true;
}

/** Finds the fault for this call, counts it, and drops it from the list once used up. */
export function takeFault(faults: FaultSpec[], method: string, path: string): FaultSpec | undefined {
  const index = faults.findIndex((spec) => matches(spec, method, path));
  if (index < 0) return undefined;
  const spec = faults[index]!;
  const count = (fired.get(spec) ?? 0) + 1;
  fired.set(spec, count);
  const limit = spec.times ?? 1;
  if (limit !== "always" && count >= limit) faults.splice(index, 1);
  return spec;
}

/** Helpers for the common cases. */
export const fault = {
  /** A per-route 429 (scope "user"), a global one (`global: true`), or a per-resource one shared with other apps (`shared: true`). */
  rateLimited(
    match: FaultSpec["match"],
    options: { retryAfter?: number; global?: boolean; shared?: boolean; times?: FaultSpec["times"] } = {},
  ): FaultSpec {
    const retryAfter = options.retryAfter ?? 0.05;
    return {
      match,
      times: options.times ?? 1,
      respond: {
        status: 429,
        json: { message: "You are being rate limited.", retry_after: retryAfter, global: options.global ?? false },
        ...(options.shared ? { headers: { "X-RateLimit-Scope": "shared" } } : {}),
      },
    };
  },
  serverError(match: FaultSpec["match"], options: { status?: number; times?: FaultSpec["times"] } = {}): FaultSpec {
    return {
      match,
      times: options.times ?? 1,
      respond: { status: options.status ?? 500, json: { message: "500: Internal Server Error", code: 0 } },
    };
  },
  /** Discord's race right after a deferral: the interaction's webhook is not known yet (404, code 10015). */
  unknownWebhook(match: FaultSpec["match"], options: { times?: FaultSpec["times"] } = {}): FaultSpec {
    return { match, times: options.times ?? 1, respond: UNKNOWN_WEBHOOK };
  },
  hang(match: FaultSpec["match"], options: { times?: FaultSpec["times"] } = {}): FaultSpec {
    return { match, times: options.times ?? 1, hang: true };
  },
  delay(match: FaultSpec["match"], delayMs: number, options: { times?: FaultSpec["times"] } = {}): FaultSpec {
    return { match, times: options.times ?? 1, delayMs };
  },
};
