// What the emulated Discord remembers for OAuth2 and Linked Roles, beside the rest of its state: issued codes and
// tokens, each user's role connection, and the application's role connection metadata records. Kept per emulator
// state object (so a fresh emulator starts empty, and reset() clears it with clearOAuth).

import type { EmulatorState } from "./state.ts";

export interface OAuthGrant {
  userId: string;
  scopes: string[];
  expiresAt: number;
}

interface RoleConnection {
  platform_name: string | null;
  platform_username: string | null;
  metadata: Record<string, string>;
}

export interface RoleConnectionMetadataRecord {
  type: number;
  key: string;
  name: string;
  description: string;
  name_localizations?: Record<string, string | null> | null;
  description_localizations?: Record<string, string | null> | null;
}

export interface OAuthStore {
  /** When set, only this client secret passes the token endpoint; otherwise any non-empty one does. */
  clientSecret: string | undefined;
  codes: Map<string, OAuthGrant & { redirectUri: string }>;
  accessTokens: Map<string, OAuthGrant>;
  refreshTokens: Map<string, Omit<OAuthGrant, "expiresAt">>;
  roleConnections: Map<string, RoleConnection>;
  metadata: RoleConnectionMetadataRecord[];
}

const stores = new WeakMap<EmulatorState, OAuthStore>();

export function oauthStore(state: EmulatorState): OAuthStore {
  let store = stores.get(state);
  if (!store) {
    store = {
      clientSecret: undefined,
      codes: new Map(),
      accessTokens: new Map(),
      refreshTokens: new Map(),
      roleConnections: new Map(),
      metadata: [],
    };
    stores.set(state, store);
  }
  return store;
}

/** A random opaque credential, like Discord's 30-character codes and tokens. */
export function credential(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  return Array.from(bytes, (b) => b.toString(36).padStart(2, "0"))
    .join("")
    .slice(0, 30);
}

/** Forgets every code, token, role connection and metadata record (the emulator's reset). */
export function clearOAuth(state: EmulatorState): void {
  stores.delete(state);
}
