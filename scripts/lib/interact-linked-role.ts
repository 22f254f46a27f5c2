// `npm run interact -- /linked-role`: the Linked Roles flow from a terminal, each step as a browser would make it:
// the Worker's Verification URL (302 to Discord's authorize page, with the state cookie), the person's Authorize on
// the emulated page (as the playground's user), the way back to the Worker's /discord-oauth-callback with the cookie,
// the page the bot answers, and the role connection Discord now holds. Codes, states and tokens are never printed.

export interface LinkRolesOptions {
  /** The Worker's origin, e.g. http://127.0.0.1:8787. */
  worker: string;
  /** The Discord emulator, e.g. http://127.0.0.1:8790. */
  emulator: string;
  /** "cancel" presses Cancel on the authorize page instead. */
  decision: "approve" | "cancel";
  out: (line?: string) => void;
}

export class LinkRolesError extends Error {
  override readonly name = "LinkRolesError";
}

const SECRET_PARAMS = ["code", "state"];

/** A URL fit to print: the one-time code and the state replaced by "…". */
function shown(url: string): string {
  const parsed = new URL(url);
  for (const name of SECRET_PARAMS) if (parsed.searchParams.has(name)) parsed.searchParams.set(name, "…");
  return decodeURIComponent(parsed.toString());
}

/** The visible text of a small HTML page. */
function pageText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&[a-z]+;|&#\d+;/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

async function get(url: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(10_000), ...init });
  } catch (error) {
    throw new LinkRolesError(
      `nothing answers at ${new URL(url).origin} (${(error as Error).message}): is the local stack running? Run \`npm start\``,
    );
  }
}

/** Returns the exit code: 0 when the user ends up linked (or, with Cancel, when the bot says so). */
export async function linkRoles(options: LinkRolesOptions): Promise<number> {
  const { out } = options;
  const start = `${options.worker}/linked-role`;
  out(`→ GET ${start} (the Linked Roles Verification URL), as a browser`);
  const first = await get(start);
  const location = first.headers.get("location");
  if (first.status !== 302 || !location) {
    out(`← ${first.status}: ${pageText(await first.text()).slice(0, 300)}`);
    return 1;
  }
  const cookie = /^([^=;]+=[^;]*)/.exec(first.headers.get("set-cookie") ?? "")?.[1];
  const attributes = (first.headers.get("set-cookie") ?? "")
    .split(";")
    .slice(1)
    .map((a) => a.trim())
    .filter((a) => !/^max-age|^path/i.test(a));
  out(`← 302 to Discord's authorize page: ${shown(location)}`);
  out(`  state cookie set (${attributes.join(", ")}); scopes asked: ${new URL(location).searchParams.get("scope")}`);

  const consent = await get(location);
  if (consent.status !== 200) {
    out(`← the authorize page answered ${consent.status}: ${pageText(await consent.text()).slice(0, 300)}`);
    return 1;
  }
  const decision = options.decision === "approve" ? "Authorize" : "Cancel";
  out(`→ ${decision} on the authorize page (as the playground's user)`);
  const form = new URLSearchParams(new URL(location).searchParams);
  form.set("decision", options.decision);
  const chosen = await get(`${options.emulator}/oauth2/authorize`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  const back = chosen.headers.get("location");
  if (chosen.status !== 302 || !back) {
    out(`← ${chosen.status}: ${pageText(await chosen.text()).slice(0, 300)}`);
    return 1;
  }
  out(`← 302 back to the bot: ${shown(back)}`);

  out(`→ GET /discord-oauth-callback with the state cookie`);
  const callback = await get(back, { headers: cookie ? { Cookie: cookie } : {} });
  out(`← ${callback.status}: ${pageText(await callback.text()).slice(0, 300)}`);
  if (callback.status !== 200) return 1;

  const feed = await get(`${options.emulator}/__emulator/feed`);
  const linked = feed.ok
    ? (
        (await feed.json()) as {
          app?: {
            linked_role?: { platform_name: string | null; values: Array<{ name: string; value: string }> } | null;
          };
        }
      ).app?.linked_role
    : null;
  if (linked)
    out(
      `  role connection on Discord: ${linked.platform_name ?? "(no platform name)"} · ${linked.values.map((v) => `${v.name} ${v.value}`).join(", ") || "no values"}`,
    );
  else out("  no role connection on Discord for this user");
  return options.decision === "cancel" || linked ? 0 : 1;
}
