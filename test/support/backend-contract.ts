// The backend's HTTP contract as one list of black-box cases over real HTTP, run against both runtimes: the Node
// server (test/node/backend/contract-node.test.ts) and the backend Worker under wrangler dev, i.e. in workerd
// (test/node/backend/contract-worker.test.ts). A target is started with RELAY_SECRET = SECRET, one job slot
// (BACKEND_MAX_CONCURRENT=1) and the attachment server below as its only allowed attachment host. Requests are
// signed with the real clock, as the Worker signs them.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { relayBodyDigest, relayHeaders, signRelayBody } from "../../src/shared/relay-signature.ts";
import { SECRET, errorOf, pngSize, startLocalServer, type LocalServer } from "../node/backend/support.ts";
import { estimateRenderCost } from "../../src/backend/jobs/chart/render-cost.ts";
import { parseValues } from "../../src/shared/chart-data/values.ts";

interface ContractTarget {
  /** Base URL without a trailing slash. */
  url: string;
  stop(): Promise<void>;
}

/** Settings a case needs other than the defaults; each is the variable of the same meaning on both backends. */
interface TargetSettings {
  /** BACKEND_RENDER_BUDGET: the most a chart may cost to draw, in ordinary charts. */
  renderBudget?: number;
}

/** Starts a target allowing attachments from `attachmentHost` (host:port) only, with one job slot. */
export type StartTarget = (attachmentHost: string, settings?: TargetSettings) => Promise<ContractTarget>;

// Each request gets its own id: the same body signed in the same second has the same signature, i.e. is a replay.
let sequence = 0;
const valid = () => ({ id: `c${Date.now()}-${++sequence}`, input: { values: "1, 2, 3" } });
const MIB = 1024 * 1024;
const CHART_CAP_BYTES = 4 * MIB;

/** A CSV of the largest accepted shape: 10,000 rows, just under 1 MiB. */
function largestCsv(): string {
  const rows = ["day,value"];
  for (let i = 0; i < 10_000; i++)
    rows.push(`${`2026-01-01 sample ${i} `.padEnd(92, "x")},${(100 + Math.sin(i / 40) * 25 + i * 0.01).toFixed(3)}`);
  const csv = `${rows.join("\n")}\n`;
  if (csv.length > MIB || csv.length < MIB - 64 * 1024)
    throw new Error(`test(contract): largest CSV is ${csv.length} bytes`);
  return csv;
}

/** The attachment host both runtimes fetch from; `hang` requests stay open until released. */
export async function startAttachmentServer(): Promise<LocalServer & { releaseHanging(): void }> {
  const hanging: Array<() => void> = [];
  const big = largestCsv();
  const server = await startLocalServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path === "/sales.csv")
      res.writeHead(200, { "content-type": "text/csv" }).end("month,revenue\njan,3\nfeb,5\nmar,4\n");
    else if (path === "/largest.csv") res.writeHead(200, { "content-type": "text/csv" }).end(big);
    else if (path === "/too-big.csv") res.writeHead(200, { "content-type": "text/csv" }).end("1\n".repeat(MIB));
    else if (path === "/hop.csv") res.writeHead(302, { location: "/sales.csv?ex=abc" }).end();
    else if (path === "/escape.csv") res.writeHead(302, { location: "https://evil.example/steal.csv" }).end();
    else if (path === "/hang.csv") hanging.push(() => res.end());
    else res.writeHead(404).end();
  });
  return {
    ...server,
    releaseHanging() {
      for (const release of hanging.splice(0)) release();
    },
  };
}

export async function signed(
  base: string,
  name: string,
  body: unknown,
  options: { secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<Request> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const headers = await relayHeaders(options.secret ?? SECRET, raw, options.timestamp ?? Math.floor(Date.now() / 1000));
  return new Request(`${base}/v1/jobs/${name}`, {
    method: "POST",
    body: raw,
    headers: { ...headers, ...options.headers },
  });
}

interface ChartAnswer {
  id: string;
  result: { png: string; width: number; height: number; kind: string; points: unknown[]; stats: { count: number } };
}

export function backendContract(runtime: string, start: StartTarget): void {
  describe(`backend HTTP contract (${runtime})`, () => {
    let target: ContractTarget;
    let files: Awaited<ReturnType<typeof startAttachmentServer>>;
    const post = async (name: string, body: unknown, options?: Parameters<typeof signed>[3]) =>
      fetch(await signed(target.url, name, body, options));
    const file = (path: string) => ({
      id: valid().id,
      input: { file: { url: `${files.origin}${path}?ex=signed-token` } },
    });

    beforeAll(async () => {
      files = await startAttachmentServer();
      target = await start(files.host);
    }, 90_000);

    afterAll(async () => {
      files?.releaseHanging();
      await target?.stop();
      await files?.close();
    });

    it("GET /health reports status and in-flight jobs", async () => {
      const response = await fetch(`${target.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: "ok", in_flight: 0 });
    });

    it("answers an unknown path with a JSON 404 listing the routes, and a wrong method with 405 + Allow", async () => {
      const missing = await fetch(`${target.url}/nope`);
      expect(missing.status).toBe(404);
      expect((await errorOf(missing)).message).toMatch(/POST \/v1\/jobs\/\{name\}/);
      const wrong = await fetch(`${target.url}/v1/jobs/chart`);
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get("allow")).toBe("POST");
    });

    it("renders a chart: 200 with an 800×450 PNG, stats and points", async () => {
      const response = await post("chart", { id: "42", input: { title: "Weekly", values: "mon=3, tue=5, wed=2" } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as ChartAnswer;
      expect(body.id).toBe("42");
      expect(body.result).toMatchObject({ width: 800, height: 450, kind: "line", stats: { count: 3 } });
      expect(pngSize(Uint8Array.from(atob(body.result.png), (c) => c.charCodeAt(0)))).toEqual({
        width: 800,
        height: 450,
      });
    });

    describe("401: the relay signature", () => {
      it("refuses a request without signature headers", async () => {
        const response = await fetch(`${target.url}/v1/jobs/chart`, { method: "POST", body: JSON.stringify(valid()) });
        expect(response.status).toBe(401);
        expect((await errorOf(response)).message).toMatch(/missing X-Relay-Timestamp header/);
      });

      it("refuses a wrong secret, even for a job that does not exist", async () => {
        for (const job of ["chart", "nope"]) {
          const response = await post(job, valid(), { secret: "not-the-secret" });
          expect(response.status).toBe(401);
          expect((await errorOf(response)).message).toMatch(/does not match/);
        }
      });

      it("refuses a body changed after signing", async () => {
        const headers = await relayHeaders(SECRET, JSON.stringify(valid()), Math.floor(Date.now() / 1000));
        const response = await fetch(`${target.url}/v1/jobs/chart`, {
          method: "POST",
          headers,
          body: JSON.stringify(valid()),
        });
        expect(response.status).toBe(401);
        expect((await errorOf(response)).message).toMatch(/changed after signing/);
      });

      it("refuses a timestamp more than 300 s old, and malformed signature headers", async () => {
        const stale = await post("chart", valid(), { timestamp: Math.floor(Date.now() / 1000) - 400 });
        expect(stale.status).toBe(401);
        expect((await errorOf(stale)).message).toMatch(/s old/);
        const malformed = await post("chart", valid(), { headers: { "X-Relay-Signature": "sha256=xyz" } });
        expect(malformed.status).toBe(401);
        expect((await errorOf(malformed)).message).toMatch(/64 hex digits/);
      });
    });

    describe("409: replays", () => {
      it("refuses the same signed request twice, also with the signature's hex in upper case", async () => {
        const body = JSON.stringify(valid());
        const timestamp = Math.floor(Date.now() / 1000);
        const signature = await signRelayBody(SECRET, timestamp, body);
        const headers = { "X-Relay-Timestamp": String(timestamp), "X-Relay-Body-SHA256": await relayBodyDigest(body) };
        const send = (sig: string) =>
          fetch(`${target.url}/v1/jobs/chart`, {
            method: "POST",
            headers: { ...headers, "X-Relay-Signature": sig },
            body,
          });
        expect((await send(signature)).status).toBe(200);
        const replay = await send(signature);
        expect(replay.status).toBe(409);
        expect((await errorOf(replay)).code).toBe("replayed");
        expect((await send(`sha256=${signature.slice(7).toUpperCase()}`)).status).toBe(409);
      });
    });

    describe("404, 400, 413, 422: jobs and input", () => {
      it("404 for an unknown job, listing the known ones", async () => {
        const response = await post("pie", valid());
        expect(response.status).toBe(404);
        expect(await errorOf(response)).toMatchObject({
          code: "unknown_job",
          message: 'no job named "pie"; available: chart',
        });
      });

      it("400 for a body that is not JSON", async () => {
        const response = await post("chart", "{not json");
        expect(response.status).toBe(400);
        expect((await errorOf(response)).code).toBe("invalid_json");
      });

      it("413 for a body over the chart job's 4 MiB", async () => {
        const base = JSON.stringify({ id: "1", input: { values: "1" }, pad: "" });
        const body = base.replace('"pad":""', `"pad":"${"x".repeat(CHART_CAP_BYTES + 1 - base.length)}"`);
        const response = await post("chart", body);
        expect(response.status).toBe(413);
        expect((await errorOf(response)).code).toBe("payload_too_large");
      });

      it.each([
        ["a missing id", { input: { values: "1" } }, "id"],
        ["a non-number value", { id: "1", input: { values: "1, 2, abc" } }, "values"],
        ["an unknown kind", { id: "1", input: { kind: "pie", values: "1" } }, "kind"],
        [
          "a non-finite point",
          {
            id: "1",
            input: {
              points: [
                { label: "a", value: 1 },
                { label: "b", value: "2" },
              ],
            },
          },
          "points[1].value",
        ],
        [
          "a file from a host not on the allow-list",
          { id: "1", input: { file: { url: "https://evil.example/a.csv" } } },
          "file.url",
        ],
      ])("422 for %s", async (_name, body, field) => {
        const response = await post("chart", body);
        expect(response.status).toBe(422);
        expect(await errorOf(response)).toMatchObject({ code: "invalid_input", field });
      });
    });

    describe("attachments: the same checks in both runtimes", () => {
      it("charts a CSV from the allowed host, following a redirect that stays on it", async () => {
        for (const path of ["/sales.csv", "/hop.csv"]) {
          const response = await post("chart", file(path));
          expect(response.status).toBe(200);
          expect(((await response.json()) as ChartAnswer).result.stats.count).toBe(3);
        }
      });

      it("re-checks a redirect's target against the allow-list (422)", async () => {
        const response = await post("chart", file("/escape.csv"));
        expect(response.status).toBe(422);
        expect(await errorOf(response)).toMatchObject({
          field: "file.url",
          message: expect.stringMatching(/evil\.example/),
        });
      });

      it("stops a download over 1 MiB (422)", async () => {
        const response = await post("chart", file("/too-big.csv"));
        expect(response.status).toBe(422);
        expect((await errorOf(response)).message).toMatch(/1\.0 MiB/);
      });

      it("renders the largest job: 10,000 points from a 1 MiB CSV", async () => {
        const response = await post("chart", file("/largest.csv"));
        expect(response.status).toBe(200);
        expect(((await response.json()) as ChartAnswer).result).toMatchObject({
          width: 800,
          height: 450,
          stats: { count: 10_000 },
        });
      }, 60_000);
    });

    describe("422 too_costly: the render budget, checked before drawing (issue 19)", () => {
      // A target of its own, with a budget of one ordinary chart, so a chart within the documented limits exceeds it.
      let budgeted: ContractTarget;
      beforeAll(async () => {
        budgeted = await start(files.host, { renderBudget: 1 });
      }, 90_000);
      afterAll(() => budgeted?.stop());

      const heavy = {
        kind: "bar",
        title: "W".repeat(100),
        points: Array.from({ length: 10_000 }, (_, i) => ({
          label: `${"W".repeat(95)}${String(i).padStart(5, "0")}`,
          value: i % 7,
        })),
      } as const;
      const light = { kind: "line", values: "1, 2, 3" } as const;

      it("refuses a chart estimated over the budget, naming the estimate, the budget and why; draws one within it", async () => {
        // The inputs straddle the budget by the estimate itself, whatever its constants are.
        expect(
          estimateRenderCost({ kind: heavy.kind, title: heavy.title, points: heavy.points }).units,
        ).toBeGreaterThan(1);
        expect(estimateRenderCost({ kind: light.kind, points: parseValues(light.values) }).units).toBeLessThanOrEqual(
          1,
        );

        const refused = await fetch(await signed(budgeted.url, "chart", { id: valid().id, input: heavy }));
        expect(refused.status).toBe(422);
        const error = await errorOf(refused);
        expect(error).toMatchObject({ code: "too_costly", field: "points", retriable: false, budget: 1 });
        expect(error.message).toMatch(
          /^This chart would take too long to draw: about [\d.]+ times an ordinary chart, and the limit is 1 \(.*10,000 points.*\)\. Try fewer rows, shorter labels or a shorter title\.$/,
        );

        const drawn = await fetch(await signed(budgeted.url, "chart", { id: valid().id, input: light }));
        expect(drawn.status).toBe(200);
      }, 60_000);
    });

    describe("503: saturation, and the attachment timeout", () => {
      it("answers 503 + Retry-After while the one slot is busy, then times the hanging download out (502)", async () => {
        const hanging = post("chart", file("/hang.csv"));
        // The slot is taken once the hanging download has reached the attachment server.
        const deadline = Date.now() + 30_000;
        while (!files.requests.some((r) => r.startsWith("/hang.csv")) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        const health = (await (await fetch(`${target.url}/health`)).json()) as { in_flight: number };
        expect(health.in_flight).toBe(1);
        const refused = await post("chart", valid());
        expect(refused.status).toBe(503);
        expect(refused.headers.get("retry-after")).toBe("2");
        expect((await errorOf(refused)).code).toBe("saturated");
        const timedOut = await hanging;
        expect(timedOut.status).toBe(502);
        expect((await errorOf(timedOut)).message).toMatch(/longer than 10 s/);
        expect((await post("chart", valid())).status).toBe(200);
      }, 40_000);
    });
  });
}
