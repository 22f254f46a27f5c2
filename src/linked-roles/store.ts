/**
 * Linked users in D1 (migrations/0009_linked_roles.sql), their OAuth2 tokens sealed with AES-GCM (WebCrypto) under
 * TOKEN_ENCRYPTION_KEY: a fresh 96-bit IV per value and the user id as additional data, so a token copied into
 * another user's row does not decrypt. Stored as base64(iv ‖ ciphertext ‖ tag); never in plain text.
 */
import type { RESTPostOAuth2AccessTokenResult } from "discord-api-types/v10";
import { base64ToBytes } from "../worker/kit/base64.ts";
import { withStorageTimeout } from "../worker/kit/storage/deadline.ts";

export interface LinkedUser {
  readonly user_id: string;
  /** Sealed. */
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_at: number;
  readonly charts_drawn: number;
}

const gcm = async (key: Uint8Array, userId: string, use: "encrypt" | "decrypt", iv: Uint8Array, data: Uint8Array) =>
  new Uint8Array(
    await crypto.subtle[use](
      { name: "AES-GCM", iv: iv as Uint8Array<ArrayBuffer>, additionalData: new TextEncoder().encode(userId) },
      await crypto.subtle.importKey("raw", key as Uint8Array<ArrayBuffer>, "AES-GCM", false, [use]),
      data as Uint8Array<ArrayBuffer>,
    ),
  );

export async function seal(key: Uint8Array, userId: string, token: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...iv, ...(await gcm(key, userId, "encrypt", iv, new TextEncoder().encode(token)))));
}

/** Rejects when the value was not sealed under this key for this user (the key changed, the row was altered). */
export async function unseal(key: Uint8Array, userId: string, sealed: string): Promise<string> {
  const bytes = base64ToBytes(sealed);
  return new TextDecoder().decode(await gcm(key, userId, "decrypt", bytes.subarray(0, 12), bytes.subarray(12)));
}

/**
 * Links a user, or stores refreshed tokens, keeping the count; returns the row. One statement for both: a refresh
 * is a re-link with new tokens.
 */
export async function saveTokens(
  db: D1Database,
  key: Uint8Array,
  userId: string,
  tokens: RESTPostOAuth2AccessTokenResult,
  now: number,
): Promise<LinkedUser> {
  const row = await withStorageTimeout(
    db
      .prepare(
        "INSERT INTO linked_roles VALUES (?1,?2,?3,?4,?5,0,?6,?6) ON CONFLICT DO UPDATE SET access_token=?2,refresh_token=?3,expires_at=?4,scope=?5,updated_at=?6 RETURNING *",
      )
      .bind(
        userId,
        await seal(key, userId, tokens.access_token),
        await seal(key, userId, tokens.refresh_token),
        now + tokens.expires_in * 1000,
        tokens.scope,
        now,
      )
      .first<LinkedUser>(),
    "linked_roles.save",
  );
  return row!;
}

/** Counts one chart for a linked user; null when the user has not linked (one statement either way). */
export function countChart(db: D1Database, userId: string, now: number): Promise<LinkedUser | null> {
  return withStorageTimeout(
    db
      .prepare("UPDATE linked_roles SET charts_drawn=charts_drawn+1,updated_at=?2 WHERE user_id=?1 RETURNING *")
      .bind(userId, now)
      .first<LinkedUser>(),
    "linked_roles.count",
  );
}
