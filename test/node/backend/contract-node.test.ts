// The backend's HTTP contract (test/support/backend-contract.ts) against the Node server.
import { startBackendServer } from "../../../src/backend/index.ts";
import { backendContract } from "../../support/backend-contract.ts";
import { SECRET, logCollector } from "./support.ts";

backendContract("Node server", async (attachmentHost, settings = {}) => {
  const server = await startBackendServer({
    relaySecret: SECRET,
    attachmentHosts: [attachmentHost],
    maxConcurrent: 1,
    log: logCollector().log,
    ...settings,
  });
  return { url: server.url, stop: () => server.close() };
});
