// The playground's routes: the page itself (GET / and /playground/<file>, through an asset loader the Node
// adapter injects, so this module stays portable), and its control routes: the change feed (snapshot + SSE),
// sending an interaction to the Worker, running the Worker's daily cron, and uploading a file for an ATTACHMENT option.

import type { DiscordEmulator } from "../app.ts";
import { DAILY_CRON, runWorkerCron } from "../cron.ts";
import { parseSendInput } from "../send.ts";
import { readUpload } from "../uploads.ts";
import { eventStream, type ChangeSource } from "./events.ts";

export interface Asset {
  body: string | Uint8Array;
  contentType: string;
}

/** Loads a page file by name ("index.html", "main.ts", "style.css"); null when there is none. */
export type AssetLoader = (name: string) => Promise<Asset | null>;

/** What a file under /playground/ may be called: no folders, no dot-files. */
export const ASSET_NAME = /^[a-z0-9][a-z0-9-]*\.(ts|css|html|svg)$/;

const json = (value: unknown, status = 200) => Response.json(value, { status });
const problem = (status: number, message: string) => json({ error: message }, status);

export async function servePage(assets: AssetLoader | undefined, pathname: string): Promise<Response> {
  if (!assets) {
    return new Response(
      "emulator(playground): the playground page is served by the Node adapter (startDiscordEmulator / npm start)",
      {
        status: 404,
        headers: { "content-type": "text/plain; charset=utf-8" },
      },
    );
  }
  const name = pathname === "/" ? "index.html" : pathname.slice("/playground/".length);
  const asset = ASSET_NAME.test(name) ? await assets(name) : null;
  if (!asset)
    return new Response(`emulator(playground): no file ${pathname}`, {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  return new Response(asset.body as BodyInit, {
    headers: { "content-type": asset.contentType, "cache-control": "no-store" },
  });
}

/** Answers the playground's control routes; null for any other /__emulator path. */
export async function handlePlaygroundControl(
  emulator: DiscordEmulator,
  changes: ChangeSource,
  request: Request,
  url: URL,
  path: string,
): Promise<Response | null> {
  const method = request.method;
  if (path === "/feed" && method === "GET") return json(emulator.feed());
  if (path === "/events" && method === "GET") return eventStream(changes, request);

  if (path === "/send" && method === "POST") {
    let value: unknown;
    try {
      value = JSON.parse(await request.text());
    } catch {
      return problem(400, "emulator(send): the body must be JSON");
    }
    const parsed = parseSendInput(value);
    if (!parsed.ok) return problem(400, parsed.error);
    const result = await emulator.send(parsed.input);
    return result.ok ? json(result.outcome) : problem(result.status, result.error);
  }

  // Runs the Worker's scheduled handler (the daily cron); ?cron= picks the expression it is told.
  if (path === "/cron" && method === "POST") {
    const result = await runWorkerCron(emulator.state, emulator.worker, url.searchParams.get("cron") || DAILY_CRON);
    return result.ok ? json(result) : problem(result.status, result.error);
  }

  if (path === "/uploads" && method === "POST") {
    const read = await readUpload(request, url);
    if (!read.ok) return problem(400, read.error);
    const stored = emulator.upload(read.input, url.origin);
    return stored.ok ? json(stored.attachment, 201) : problem(stored.status, stored.error);
  }
  return null;
}
