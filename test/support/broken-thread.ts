// A pool thread whose script fails as it loads, as a render thread would with a missing module (thread-pool.ts).
throw new Error("this thread cannot start");
