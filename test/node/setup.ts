// Every body sent to an emulator in these tests must satisfy Discord's API description (test/support/spec.ts).
import { failOnSpecViolations } from "../support/spec.ts";

failOnSpecViolations();
