// What the playground shows of a user's role connection: the app's platform name and each metadata value next to
// its record's name ("Charts drawn: 3"), in the order of the app's records.

import { oauthStore } from "./oauth2-store.ts";
import type { EmulatorState } from "./state.ts";

export interface LinkedRoleView {
  platform_name: string | null;
  platform_username: string | null;
  values: Array<{ key: string; name: string; value: string }>;
}

export function linkedRoleView(state: EmulatorState, userId: string): LinkedRoleView | null {
  const store = oauthStore(state);
  const connection = store.roleConnections.get(userId);
  if (!connection) return null;
  const records = new Map(store.metadata.map((r) => [r.key, r]));
  return {
    platform_name: connection.platform_name,
    platform_username: connection.platform_username,
    values: Object.entries(connection.metadata).map(([key, value]) => {
      const record = records.get(key);
      return { key, name: record?.name ?? key, value };
    }),
  };
}
