// `npm run register`'s third step: the bot's application emojis (src/worker/app/emojis/), synced to
// /applications/{application.id}/emojis (discord.com/developers/docs/resources/emoji, "Application Emojis"):
//   - a declared emoji Discord does not have is created (POST, the file as a data URI);
//   - one the bot created whose image differs from the file is replaced (DELETE, then POST: Discord cannot change
//     an emoji's image in place); the image is compared by SHA-256 with what the CDN serves;
//   - one with the same name that a person uploaded (its `user` is not the bot) is never deleted or replaced, and
//     Discord's emojis the code does not declare are left alone.
// It ends by printing EMOJI_IDS, the var the Worker reads to turn a name into <:name:id>.

import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { appEmojis } from "../../src/worker/app/emojis/index.ts";
import { USER_AGENT, type Io, type RegisterConfig } from "./register-core.ts";

const EMOJI_DIR = new URL("../../src/worker/app/emojis/", import.meta.url);
const TIMEOUT_MS = 15_000;
const MAX_BYTES = 256 * 1024;
const TYPES: Record<string, string> = { png: "image/png", gif: "image/gif", webp: "image/webp" };

export interface LocalEmoji {
  name: string;
  file: string;
  contentType: string;
  bytes: Uint8Array;
  sha256: string;
}

interface RemoteEmoji {
  id: string;
  name: string;
  animated?: boolean;
  user?: { id: string; username?: string };
}

type EmojiAction =
  | { kind: "create"; name: string }
  | { kind: "replace"; name: string; id: string }
  | { kind: "keep"; name: string; id: string }
  | { kind: "foreign"; name: string; id: string; owner: string };

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The declared emojis with their files, checked as Discord checks them (name, type, ≤ 256 KiB). */
export function loadLocalEmojis(
  declaration: Readonly<Record<string, string>> = appEmojis,
  dir: URL = EMOJI_DIR,
): LocalEmoji[] {
  return Object.entries(declaration).map(([name, file]) => {
    const where = `register: emoji "${name}" (${file})`;
    if (!/^\w{2,32}$/.test(name)) throw new Error(`${where}: the name must be 2-32 letters, digits or _`);
    const contentType = TYPES[file.split(".").pop()!.toLowerCase()];
    if (!contentType) throw new Error(`${where}: must be a PNG, GIF or WebP file`);
    const url = new URL(file, dir);
    let size: number;
    try {
      size = statSync(url).size;
    } catch {
      throw new Error(`${where}: no such file in src/worker/app/emojis/`);
    }
    if (size > MAX_BYTES) throw new Error(`${where}: ${Math.ceil(size / 1024)} KiB; Discord takes at most 256 KiB`);
    const bytes = new Uint8Array(readFileSync(url));
    return { name, file, contentType, bytes, sha256: sha(bytes) };
  });
}

/** What to do for each declared emoji, given Discord's list and the bot's user id. `remoteSha` reads an emoji's image. */
async function planEmojiSync(
  local: readonly LocalEmoji[],
  remote: readonly RemoteEmoji[],
  botUserId: string,
  remoteSha: (emoji: RemoteEmoji) => Promise<string | null>,
): Promise<EmojiAction[]> {
  const byName = new Map(remote.map((e) => [e.name, e]));
  const actions: EmojiAction[] = [];
  for (const emoji of local) {
    const found = byName.get(emoji.name);
    if (!found) actions.push({ kind: "create", name: emoji.name });
    else if (found.user && found.user.id !== botUserId)
      actions.push({ kind: "foreign", name: emoji.name, id: found.id, owner: found.user.username ?? found.user.id });
    else
      actions.push(
        (await remoteSha(found)) === emoji.sha256
          ? { kind: "keep", name: emoji.name, id: found.id }
          : { kind: "replace", name: emoji.name, id: found.id },
      );
  }
  return actions;
}

/** Discord's CDN for the real API; an emulator serves its images on its own origin. */
function cdnBase(apiBase: string): string {
  const url = new URL(apiBase);
  return url.hostname === "discord.com" || url.hostname.endsWith(".discord.com")
    ? "https://cdn.discordapp.com"
    : url.origin;
}

async function call(config: RegisterConfig, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${config.apiBase}${path}`, {
    method,
    headers: {
      Authorization: `Bot ${config.token}`,
      "User-Agent": USER_AGENT,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch((error: Error) => {
    throw new Error(
      `register: could not reach ${config.apiBase} for the emojis (${error.name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : error.message})`,
    );
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(
      `register: ${method} ${path.replace(/\/\d{15,}/g, "/…")} answered ${response.status}: ${text.slice(0, 300)}`,
    );
  return text ? JSON.parse(text) : null;
}

const describe = (a: EmojiAction) =>
  a.kind === "create"
    ? `+ ${a.name}: create`
    : a.kind === "replace"
      ? `~ ${a.name}: replace (the file changed)`
      : a.kind === "keep"
        ? `= ${a.name}: unchanged`
        : `! ${a.name}: left alone (uploaded by ${a.owner}, not by the bot)`;

/** The EMOJI_IDS value: name:id pairs, comma-separated. */
export const emojiIdsVar = (ids: ReadonlyMap<string, string>) =>
  [...ids].map(([name, id]) => `${name}:${id}`).join(",");

/** Syncs (or with dryRun, only plans) the emojis; returns the ids by name (empty on a dry run), null on a failure (said on io.err). */
export async function syncEmojis(
  config: RegisterConfig,
  local: readonly LocalEmoji[],
  io: Io,
  options: { dryRun?: boolean } = {},
): Promise<Map<string, string> | null> {
  try {
    const bot = (await call(config, "GET", "/users/@me")) as { id: string };
    const list = (await call(config, "GET", `/applications/${config.applicationId}/emojis`)) as {
      items: RemoteEmoji[];
    };
    const actions = await planEmojiSync(local, list.items, bot.id, async (emoji) => {
      const image = await fetch(`${cdnBase(config.apiBase)}/emojis/${emoji.id}.${emoji.animated ? "gif" : "png"}`, {
        signal: AbortSignal.timeout(TIMEOUT_MS),
      }).catch(() => null);
      return image?.ok ? sha(new Uint8Array(await image.arrayBuffer())) : null;
    });
    const extra = list.items.filter((e) => !local.some((l) => l.name === e.name)).map((e) => e.name);
    io.out(
      `register: emojis${options.dryRun ? " (dry run: nothing sent)" : ""}: ${actions.length === 0 ? "none declared" : ""}`,
    );
    for (const action of actions) io.out(`  ${describe(action)}`);
    if (extra.length > 0) io.out(`  (on Discord, not declared, left alone: ${extra.join(", ")})`);
    if (options.dryRun) return new Map();
    const ids = new Map<string, string>();
    for (const action of actions) {
      const emoji = local.find((l) => l.name === action.name)!;
      if (action.kind === "keep" || action.kind === "foreign") {
        ids.set(action.name, action.id);
        continue;
      }
      if (action.kind === "replace")
        await call(config, "DELETE", `/applications/${config.applicationId}/emojis/${action.id}`);
      const created = (await call(config, "POST", `/applications/${config.applicationId}/emojis`, {
        name: emoji.name,
        image: `data:${emoji.contentType};base64,${Buffer.from(emoji.bytes).toString("base64")}`,
      })) as { id: string };
      ids.set(action.name, created.id);
    }
    io.out(`register: EMOJI_IDS=${emojiIdsVar(ids)}  (set it in the environment's [vars] in wrangler.toml)`);
    return ids;
  } catch (error) {
    io.err((error as Error).message);
    return null;
  }
}
