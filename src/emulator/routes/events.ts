// GET /__emulator/events: a Server-Sent Events stream that says "something changed" (with the new version), so
// the playground redraws deferred edits as they land instead of polling. It carries no data: the page then reads
// GET /__emulator/feed, which also makes a missed event harmless. Standard fetch and streams only (portable).

const encoder = new TextEncoder();
const HEARTBEAT_MS = 15_000;

export interface ChangeSource {
  version(): number;
  subscribe(listener: () => void): () => void;
  /** Aborted when the emulator closes: streams end so the server can stop. */
  closing: AbortSignal;
}

export function eventStream(source: ChangeSource, request: Request): Response {
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let sent = -1;
      let scheduled = false;
      let open = true;
      const write = (text: string) => {
        if (open) controller.enqueue(encoder.encode(text));
      };
      // Several changes in one tick (a call recorded, then answered) become one event.
      const flush = () => {
        scheduled = false;
        const version = source.version();
        if (version === sent) return;
        sent = version;
        write(`event: change\ndata: {"version":${version}}\n\n`);
      };
      const unsubscribe = source.subscribe(() => {
        if (scheduled) return;
        scheduled = true;
        queueMicrotask(flush);
      });
      const heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
      cleanup = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        clearInterval(heartbeat);
        request.signal.removeEventListener("abort", end);
        source.closing.removeEventListener("abort", end);
      };
      const end = () => {
        const wasOpen = open;
        cleanup();
        if (wasOpen) controller.close();
      };
      request.signal.addEventListener("abort", end, { once: true });
      source.closing.addEventListener("abort", end, { once: true });
      write("retry: 1000\n\n");
      flush();
      if (request.signal.aborted || source.closing.aborted) end();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
    },
  });
}
