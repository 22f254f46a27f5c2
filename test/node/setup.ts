// Every body sent to an emulator in these tests must satisfy Discord's API description (test/support/spec-watch.ts).
import { failOnSpecViolations } from "../support/spec-watch.ts";

failOnSpecViolations();
