// Attachment downloads against a real HTTP server on 127.0.0.1 (allowed for plain http because it is loopback):
// the allowlist, size caps, upstream failures, redirects, timeouts, and that signed query strings never reach logs.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeBackend } from "../../../src/backend/index.ts";
import {
  checkAttachmentUrl,
  downloadAttachment,
  parseAllowedHosts,
  redactUrl,
} from "../../../src/backend/attachment.ts";
import { InputError, HttpError } from "../../../src/backend/errors.ts";
import {
  NOW_MS,
  SECRET,
  errorOf,
  logCollector,
  pngSize,
  signedJobRequest,
  startLocalServer,
  type LocalServer,
} from "./support.ts";

const MIB = 1024 * 1024;
const SALES_CSV = "month;revenue\r\njan;1,5\r\nfeb;2,5\r\nmar;4\r\n";
let server: LocalServer;
let pending: Array<() => void> = [];

beforeAll(async () => {
  server = await startLocalServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    switch (path) {
      case "/sales.csv":
        res.writeHead(200, { "content-type": "text/csv; charset=utf-8" }).end(SALES_CSV);
        return;
      case "/broken.csv":
        res.writeHead(200, { "content-type": "text/csv" }).end("name,count\nb,two\n");
        return;
      case "/binary.csv":
        res.writeHead(200).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
        return;
      case "/declared-big.csv":
        res.writeHead(200, { "content-length": String(2 * MIB) });
        res.write("1\n"); // the rest never comes: the declared size alone must stop the download
        return;
      case "/streamed-big.csv": {
        res.writeHead(200, { "content-type": "text/csv" }); // chunked, no Content-Length
        const line = "1\n".repeat(32 * 1024);
        let sent = 0;
        const push = () => {
          while (sent < 3 * MIB && res.write(line)) sent += line.length;
          if (sent < 3 * MIB) res.once("drain", push);
          else res.end();
        };
        push();
        return;
      }
      case "/expired.csv":
        res.writeHead(404).end("not found");
        return;
      case "/flaky.csv":
        res.writeHead(503).end("unavailable");
        return;
      case "/hop.csv":
        res.writeHead(302, { location: "/sales.csv?ex=abc" }).end();
        return;
      case "/escape.csv":
        res.writeHead(302, { location: "https://evil.example/steal.csv" }).end();
        return;
      case "/loop.csv":
        res.writeHead(302, { location: "/loop.csv" }).end();
        return;
      case "/hang.csv":
        pending.push(() => res.end());
        return;
      default:
        res.writeHead(404).end();
    }
  });
});

afterAll(async () => {
  for (const finish of pending) finish();
  pending = [];
  await server.close();
});

function backendFor(hosts: string[]) {
  const logs = logCollector();
  const backend = createNodeBackend({ relaySecret: SECRET, now: () => NOW_MS, attachmentHosts: hosts, log: logs.log });
  return {
    events: logs.events,
    run: async (file: Record<string, unknown>) =>
      backend.fetch(await signedJobRequest("chart", { id: "9", input: { kind: "bar", file } })),
  };
}

describe("chart from an attachment", () => {
  it("downloads a CSV from an allowed host and charts it", async () => {
    const { run } = backendFor([server.host]);
    const response = await run({ url: `${server.origin}/sales.csv`, filename: "sales.csv", content_type: "text/csv" });
    expect(response.status).toBe(200);
    const { result } = (await response.json()) as {
      result: { png: string; points: unknown; stats: { count: number } };
    };
    expect(result.points).toEqual([
      { label: "jan", value: 1.5 },
      { label: "feb", value: 2.5 },
      { label: "mar", value: 4 },
    ]);
    expect(result.stats.count).toBe(3);
    expect(pngSize(new Uint8Array(Buffer.from(result.png, "base64")))).toEqual({ width: 800, height: 450 });
  });

  it("logs the download without the URL's signed query string", async () => {
    const { run, events } = backendFor([server.host]);
    const token = "hm=5ecret-token-value";
    expect((await run({ url: `${server.origin}/sales.csv?ex=1&${token}` })).status).toBe(200);
    expect(server.requests).toContain(`/sales.csv?ex=1&${token}`); // the full URL was used to download
    expect(events.find((event) => event.event === "attachment_fetched")).toMatchObject({
      url: `${server.origin}/sales.csv`,
      bytes: SALES_CSV.length,
    });
    expect(JSON.stringify(events)).not.toContain("5ecret-token-value");
  });

  it("refuses a host outside the allowlist without contacting it (422 file.url)", async () => {
    const { run } = backendFor(["cdn.discordapp.com", "media.discordapp.net"]);
    const before = server.requests.length;
    const response = await run({ url: `${server.origin}/sales.csv` });
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.field).toBe("file.url");
    expect(error.message).toBe(
      `file.url: host "${server.host}" is not allowed; attachments are fetched only from cdn.discordapp.com, media.discordapp.net`,
    );
    expect(server.requests.length).toBe(before);
  });

  it("refuses the right host on another port", async () => {
    const { run } = backendFor(["127.0.0.1:1"]);
    expect((await run({ url: `${server.origin}/sales.csv` })).status).toBe(422);
  });

  it("gives a 422 naming the row when no row of the downloaded CSV can be read", async () => {
    const response = await backendFor([server.host]).run({ url: `${server.origin}/broken.csv` });
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({ field: "file", message: 'file: row 2: "two" is not a number' });
  });

  it("rejects binary content", async () => {
    const response = await backendFor([server.host]).run({ url: `${server.origin}/binary.csv` });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).message).toMatch(/not a text file/);
  });

  it("refuses a declared size over 1 MiB without reading it", async () => {
    const response = await backendFor([server.host]).run({ url: `${server.origin}/declared-big.csv` });
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({
      field: "file",
      message: "file: the attachment is 2.0 MiB; the limit is 1.0 MiB",
    });
  });

  it("stops a streamed body once it passes 1 MiB", async () => {
    const response = await backendFor([server.host]).run({ url: `${server.origin}/streamed-big.csv` });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).message).toBe("file: the attachment is larger than the 1.0 MiB limit");
  });

  it("explains an expired link (upstream 404 → 422 file.url)", async () => {
    const response = await backendFor([server.host]).run({ url: `${server.origin}/expired.csv` });
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({
      field: "file.url",
      message: expect.stringMatching(/HTTP 404.*upload the file again/),
    });
  });

  it("reports an upstream failure as 502", async () => {
    const response = await backendFor([server.host]).run({ url: `${server.origin}/flaky.csv` });
    expect(response.status).toBe(502);
    expect(await errorOf(response)).toMatchObject({
      code: "attachment_unavailable",
      message: expect.stringMatching(/HTTP 503/),
    });
  });

  it("reports a refused connection as 502", async () => {
    const closed = await startLocalServer((_req, res) => res.end());
    await closed.close();
    const response = await backendFor([closed.host]).run({ url: `${closed.origin}/a.csv` });
    expect(response.status).toBe(502);
    expect((await errorOf(response)).message).toMatch(/could not be downloaded: fetch failed \(ECONNREFUSED\)/);
  });

  it("follows a redirect within the allowlist", async () => {
    const response = await backendFor([server.host]).run({ url: `${server.origin}/hop.csv` });
    expect(response.status).toBe(200);
  });

  it("refuses a redirect to a host outside the allowlist", async () => {
    const response = await backendFor([server.host]).run({ url: `${server.origin}/escape.csv` });
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({
      field: "file.url",
      message: expect.stringMatching(/"evil.example" is not allowed/),
    });
  });

  it("gives up on a redirect loop", async () => {
    const response = await backendFor([server.host]).run({ url: `${server.origin}/loop.csv` });
    expect(response.status).toBe(502);
  });
});

describe("attachment helpers", () => {
  const hosts = parseAllowedHosts(["cdn.discordapp.com", "127.0.0.1:9000", "[::1]:9000", "localhost:9000"]);

  it.each([
    ["https://cdn.discordapp.com/attachments/1/2/a.csv?ex=1&hm=2", true],
    ["https://CDN.DiscordApp.com/a.csv", true],
    ["https://cdn.discordapp.com:443/a.csv", true],
    ["http://127.0.0.1:9000/a.csv", true],
    ["http://[::1]:9000/a.csv", true],
    ["http://localhost:9000/a.csv", true],
    ["http://cdn.discordapp.com/a.csv", false], // plain http off loopback
    ["https://cdn.discordapp.com.evil.example/a.csv", false],
    ["https://evil.example/cdn.discordapp.com/a.csv", false],
    ["https://user:pw@cdn.discordapp.com/a.csv", false],
    ["https://cdn.discordapp.com:8443/a.csv", false],
    ["http://127.0.0.1:9001/a.csv", false],
    ["ftp://cdn.discordapp.com/a.csv", false],
    ["file:///etc/passwd", false],
    ["not a url", false],
  ])("%s allowed: %s", (url, allowed) => {
    if (allowed) expect(checkAttachmentUrl(url, hosts, "file.url")).toBeInstanceOf(URL);
    else expect(() => checkAttachmentUrl(url, hosts, "file.url")).toThrow(InputError);
  });

  it("rejects allowlist entries that are not host[:port]", () => {
    expect(() => parseAllowedHosts(["https://cdn.discordapp.com"])).toThrow(
      /backend\(config\): attachment host "https:\/\/cdn.discordapp.com" is not host\[:port\]/,
    );
    expect(() => parseAllowedHosts(["cdn.discordapp.com/path"])).toThrow(/not host\[:port\]/);
    expect(parseAllowedHosts([" a.example ", "", "b.example:8080"])).toEqual([
      { hostname: "a.example", port: "" },
      { hostname: "b.example", port: "8080" },
    ]);
  });

  it("redacts query strings and fragments", () => {
    expect(redactUrl("https://cdn.discordapp.com/attachments/1/a.csv?ex=1&hm=abc#x")).toBe(
      "https://cdn.discordapp.com/attachments/1/a.csv",
    );
    expect(redactUrl("::nonsense")).toBe("(invalid url)");
  });

  it("times out a download that never completes (502)", async () => {
    const url = new URL(`${server.origin}/hang.csv`);
    const started = performance.now();
    const attempt = downloadAttachment(url, {
      allowedHosts: parseAllowedHosts([server.host]),
      fetch,
      maxBytes: MIB,
      timeoutMs: 200,
      field: "file.url",
    });
    await expect(attempt).rejects.toThrow(HttpError);
    await expect(attempt).rejects.toMatchObject({
      status: 502,
      message: "the attachment download took longer than 0.2 s; try again",
    });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
