// The job registry: the one list the router reads. Adding a job = one module and one line here.

import type { Job } from "./job.ts";
import { chartJob } from "./chart/job.ts";

export const defaultJobs: readonly Job[] = [chartJob];
