// A MODAL_SUBMIT's `data.resolved`, filled as Discord fills it: the users, members, roles and channels that the
// submitted user/role/mentionable/channel selects name, and the files a file upload sent (uploaded first to
// POST /__emulator/uploads, as /chart's file: option does). Ids the emulator does not know are left out, so the
// Worker sees what Discord would send for an entity it cannot resolve.

import { serverMembers } from "./channel.ts";
import { DEFAULT_GUILD_ID } from "./signed-interactions.ts";
import { DEFAULT_CHANNEL_ID } from "./registry.ts";
import type { EmulatorState } from "./state.ts";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const MEMBER = {
  roles: [],
  joined_at: "2024-01-01T00:00:00.000000+00:00",
  nick: null,
  permissions: "0",
  flags: 0,
  pending: false,
};
const EVERYONE = {
  id: DEFAULT_GUILD_ID,
  name: "@everyone",
  color: 0,
  position: 0,
  permissions: "0",
  managed: false,
  mentionable: false,
  hoist: false,
};
const GENERAL = { id: DEFAULT_CHANNEL_ID, type: 0, name: "general", permissions: "0", flags: 0 };

/** Which resolved tables a submitted component's ids may name. */
const TABLES: Record<number, readonly string[]> = {
  5: ["users"],
  6: ["roles"],
  7: ["users", "roles"],
  8: ["channels"],
  19: ["attachments"],
};

export function resolveModalSubmit(state: EmulatorState, data: Json): Json {
  const resolved: Record<string, Json> = {};
  const put = (table: string, id: string, value: Json) => ((resolved[table] ??= {})[id] = value);
  const users = new Map(serverMembers(state).map((u) => [u.id, u]));
  const visit = (node: unknown, depth: number) => {
    if (depth > 2 || !isObject(node)) return;
    const tables = typeof node.type === "number" ? TABLES[node.type] : undefined;
    if (tables && Array.isArray(node.values)) {
      for (const id of node.values) {
        if (typeof id !== "string") continue;
        const user = tables.includes("users") ? users.get(id) : undefined;
        const upload = tables.includes("attachments") ? state.uploads.get(id) : undefined;
        if (user) {
          put("users", id, { ...user });
          put("members", id, { ...MEMBER });
        } else if (upload) put("attachments", id, { ...upload, ephemeral: true });
        else if (tables.includes("roles") && id === EVERYONE.id) put("roles", id, { ...EVERYONE });
        else if (tables.includes("channels") && id === GENERAL.id) put("channels", id, { ...GENERAL });
      }
    }
    if (Array.isArray(node.components)) for (const child of node.components) visit(child, depth + 1);
    visit(node.component, depth + 1);
  };
  if (Array.isArray(data.components)) for (const component of data.components) visit(component, 0);
  return Object.keys(resolved).length > 0 ? { ...data, resolved } : data;
}
