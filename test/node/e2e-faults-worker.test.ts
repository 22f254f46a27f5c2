// The relay's faults end to end with the backend Worker (test/support/relay-faults-e2e.ts says how each is made).
import { relayFaultsEndToEnd } from "../support/relay-faults-e2e.ts";

relayFaultsEndToEnd("worker");
