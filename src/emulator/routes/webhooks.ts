// Interaction webhook routes: get/edit/delete the original response and create/get/edit/delete follow-ups.
// The token in the path authorises them (no bot token). Messages are stored per token so tests can read the
// whole conversation afterwards.

import { reportRuleViolation, SPEC_OPERATIONS, type SpecOperation } from "../conformance.ts";
import { MESSAGE_FLAGS } from "../limits.ts";
import { tooManyFollowups, unknownMessage } from "../errors.ts";
import { createMessage, editMessage, renderMessage } from "../messages.ts";
import { lookupWebhook } from "../registry.ts";
import type { Route, RouteContext } from "../router.ts";
import type { InteractionRecord, StoredMessage } from "../state.ts";

// Discord's interaction webhook buckets are per webhook + token; these numbers are illustrative.
const BUCKET = { limit: 5, windowMs: 2_000 };
const MAJOR = ["app", "token"] as const;
const USER_INSTALL_FOLLOWUP_LIMIT = 5;

function lookup(ctx: RouteContext, create: boolean) {
  return lookupWebhook(ctx.state, ctx.params.app!, ctx.params.token!, ctx.now, { create });
}

const live = (message: StoredMessage | null | undefined): message is StoredMessage => !!message && !message.deleted;

function findMessage(record: InteractionRecord, id: string): StoredMessage | undefined {
  if (record.original?.id === id) return record.original;
  return record.followups.find((m) => m.id === id);
}

function replaceMessage(record: InteractionRecord, next: StoredMessage): void {
  if (record.original?.id === next.id) record.original = next;
  else record.followups = record.followups.map((m) => (m.id === next.id ? next : m));
}

function removeFiles(ctx: RouteContext, message: StoredMessage): void {
  for (const a of message.attachments) ctx.state.files.delete(a.id);
}

function getOriginal(ctx: RouteContext): Response {
  const found = lookup(ctx, false);
  if (!found.ok) return found.response;
  const original = found.record.original;
  return live(original) ? Response.json(renderMessage(original, found.record)) : unknownMessage();
}

/** Only these acknowledgements leave no message to edit. */
const NO_MESSAGE_CALLBACKS = new Set([1, 8, 9]);

function editOriginal(ctx: RouteContext): Response {
  const found = lookup(ctx, true);
  if (!found.ok) return found.response;
  const record = found.record;
  let original = record.original;
  if (original?.deleted) return unknownMessage();
  if (!original) {
    const last = record.callbacks.at(-1);
    if (last && NO_MESSAGE_CALLBACKS.has(last.type)) return unknownMessage();
    // Acknowledged inline (or lazily adopted): Discord has a message we never saw; start from an empty one.
    const placeholder = createMessage({ ...ctx, files: [], record, role: "original", body: {}, loading: true });
    if (!placeholder.ok) return placeholder.response;
    original = placeholder.message;
  }
  const edited = editMessage({ ...ctx, record, message: original, body: ctx.body.payload, files: ctx.body.files });
  if (!edited.ok) return edited.response;
  record.original = edited.message;
  if (edited.ignoredUploads.length > 0) {
    ctx.log({
      event: "emulator.attachments.ignored",
      fields: edited.ignoredUploads,
      reason: "not listed in attachments",
    });
  }
  return Response.json(renderMessage(edited.message, record));
}

function deleteOriginal(ctx: RouteContext): Response {
  const found = lookup(ctx, false);
  if (!found.ok) return found.response;
  const original = found.record.original;
  if (!live(original)) return unknownMessage();
  removeFiles(ctx, original);
  found.record.original = { ...original, deleted: true };
  return new Response(null, { status: 204 });
}

function createFollowup(ctx: RouteContext): Response {
  const found = lookup(ctx, true);
  if (!found.ok) return found.response;
  const record = found.record;
  if (record.original?.loading && !record.original.deleted) {
    // Discord's rule: after a type-5 defer, the first follow-up becomes the loading message itself, with the
    // deferral's visibility (an ephemeral follow-up turns public after a public defer; the next PATCH @original then
    // overwrites it). Discord accepts the call, and so does the emulator, but it is almost always a bot's mistake:
    // it is reported (tests fail on it, the playground's log shows it), as Discord's behaviour is enforced here.
    const edited = editMessage({
      ...ctx,
      record,
      message: record.original,
      body: ctx.body.payload,
      files: ctx.body.files,
    });
    if (!edited.ok) return edited.response;
    record.original = edited.message;
    ctx.log({ event: "emulator.deprecated_followup_edit", hint: "PATCH @original to finish a deferred reply" });
    const requested = (ctx.body.payload as { flags?: unknown } | undefined)?.flags;
    const asked = typeof requested === "number" && (requested & MESSAGE_FLAGS.EPHEMERAL) !== 0;
    const shown = (record.original.flags & MESSAGE_FLAGS.EPHEMERAL) !== 0;
    reportRuleViolation(
      SPEC_OPERATIONS.executeWebhook,
      "follow-up-after-deferral",
      `a follow-up sent while @original still shows "thinking…" replaced it${asked && !shown ? " and was shown publicly, though it asked to be ephemeral" : ""}; edit @original first (or send the follow-up after the final edit)`,
      ctx.log,
    );
    return Response.json(renderMessage(edited.message, record));
  }
  // discord-api-docs, receiving-and-responding, "Create Followup Message": 5 follow-ups per interaction when
  // only a user install authorised it (deleted ones still count: Discord counts messages created).
  if (record.userInstallOnly && record.followups.length >= USER_INSTALL_FOLLOWUP_LIMIT) return tooManyFollowups();
  const created = createMessage({ ...ctx, record, role: "followup", body: ctx.body.payload, files: ctx.body.files });
  if (!created.ok) return created.response;
  record.followups.push(created.message);
  return Response.json(renderMessage(created.message, record));
}

function getMessage(ctx: RouteContext): Response {
  const found = lookup(ctx, false);
  if (!found.ok) return found.response;
  const message = findMessage(found.record, ctx.params.message!);
  return live(message) ? Response.json(renderMessage(message, found.record)) : unknownMessage();
}

function editFollowup(ctx: RouteContext): Response {
  const found = lookup(ctx, false);
  if (!found.ok) return found.response;
  const message = findMessage(found.record, ctx.params.message!);
  if (!live(message)) return unknownMessage();
  const edited = editMessage({ ...ctx, record: found.record, message, body: ctx.body.payload, files: ctx.body.files });
  if (!edited.ok) return edited.response;
  replaceMessage(found.record, edited.message);
  return Response.json(renderMessage(edited.message, found.record));
}

function deleteFollowup(ctx: RouteContext): Response {
  const found = lookup(ctx, false);
  if (!found.ok) return found.response;
  const message = findMessage(found.record, ctx.params.message!);
  if (!live(message)) return unknownMessage();
  removeFiles(ctx, message);
  replaceMessage(found.record, { ...message, deleted: true });
  return new Response(null, { status: 204 });
}

const ORIGINAL = "/webhooks/:app/:token/messages/@original";
const MESSAGE = "/webhooks/:app/:token/messages/:message";
const route = (method: string, template: string, handler: Route["handler"], spec?: SpecOperation): Route => ({
  method,
  template,
  auth: false,
  bucket: BUCKET,
  major: MAJOR,
  handler,
  ...(spec ? { spec } : {}),
});

export const webhookRoutes: Route[] = [
  route("GET", ORIGINAL, getOriginal),
  route("PATCH", ORIGINAL, editOriginal, SPEC_OPERATIONS.editWebhookMessage),
  route("DELETE", ORIGINAL, deleteOriginal),
  route("POST", "/webhooks/:app/:token", createFollowup, SPEC_OPERATIONS.executeWebhook),
  route("GET", MESSAGE, getMessage),
  route("PATCH", MESSAGE, editFollowup, SPEC_OPERATIONS.editWebhookMessage),
  route("DELETE", MESSAGE, deleteFollowup),
];
