/**
 * A scripted backend for Worker tests in workerd (the real one needs Node's native resvg; it is exercised on
 * Node and in the end-to-end test). It checks the relay signature exactly as the backend does, records
 * each job request, and answers what the test scripts.
 */
import {
  verifyRelaySignature,
  RELAY_SIGNATURE_HEADER,
  RELAY_TIMESTAMP_HEADER,
} from "../../src/shared/relay-signature.ts";
import type { Handler } from "./outbound.worker.ts";
import type { ChartResult } from "../../src/shared/jobs/chart.ts";

export const TEST_RELAY_SECRET = "test-relay-secret-0123456789abcdef";
export const BACKEND_HOST = "backend.test";
export const BACKEND_URL = `https://${BACKEND_HOST}`;

/** A real 1×1 PNG, so attachments are images, not placeholders. */
export const TINY_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

export interface JobCall {
  job: string;
  id: string;
  input: Record<string, any>;
  signatureOk: boolean;
}

/** What the real chart job would return for this input (the contract's type), from a 1×1 PNG. */
export function chartResult(input: Record<string, any>): ChartResult {
  const points =
    input.points ??
    String(input.values ?? "1,2,3")
      .split(",")
      .map((v: string, i: number) => {
        const [label, value] = v.includes("=") ? v.split("=") : [String(i + 1), v];
        return { label: label!.trim(), value: Number(value) };
      });
  const values = points.map((p: { value: number }) => p.value);
  const first = values[0];
  const last = values[values.length - 1];
  return {
    png: TINY_PNG_BASE64,
    width: 800,
    height: 450,
    kind: input.kind ?? "line",
    stats: {
      count: values.length,
      min: Math.min(...values),
      max: Math.max(...values),
      mean: values.reduce((a: number, b: number) => a + b, 0) / values.length,
      first,
      last,
      change: last - first,
      change_pct: first === 0 ? null : ((last - first) / Math.abs(first)) * 100,
    },
    points,
    skipped: [],
    skippedCount: 0,
  };
}

export function scriptedBackend(
  answer: (call: JobCall, request: Request) => Response | Promise<Response> = (call) =>
    Response.json({ id: call.id, result: chartResult(call.input) }),
) {
  const calls: JobCall[] = [];
  /** Each call's `locale` (the user's, signed in the body), or null when the Worker sent none. */
  const locales: (string | null)[] = [];
  const handler: Handler = async (request) => {
    const body = await request.text();
    const verdict = await verifyRelaySignature(
      TEST_RELAY_SECRET,
      request.headers.get(RELAY_TIMESTAMP_HEADER),
      request.headers.get(RELAY_SIGNATURE_HEADER),
      body,
    );
    const parsed = JSON.parse(body) as { id: string; input: Record<string, any>; locale?: string };
    locales.push(parsed.locale ?? null);
    const call = {
      job: new URL(request.url).pathname.replace("/v1/jobs/", ""),
      id: parsed.id,
      input: parsed.input,
      signatureOk: verdict.ok,
    };
    calls.push(call);
    if (!verdict.ok)
      return Response.json({ error: { code: "unauthorized", message: verdict.reason } }, { status: 401 });
    return answer(call, request);
  };
  return { handler, calls, locales };
}
