/**
 * The bot as the platform takes it: its command modules, its Webhook Event modules, the after-steps every
 * interaction passes (the one log line) and its message catalogue. The entry (src/worker/index.ts) hands these to
 * the platform; tests that need the whole bot build the same registry from them.
 */
import type { RegistryOptions } from "../kit/index.ts";
import { messages } from "./i18n/messages.ts";
import { interactionLog } from "./middleware/interaction-log.ts";

export { commands } from "./commands/index.ts";
export { events } from "./events/index.ts";

export const registryOptions: RegistryOptions = { after: [interactionLog], messages };
