// The relay's faults end to end with the Node backend (test/support/relay-faults-e2e.ts says how each is made).
import { relayFaultsEndToEnd } from "../support/relay-faults-e2e.ts";

relayFaultsEndToEnd("node");
