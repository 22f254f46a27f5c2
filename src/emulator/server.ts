// The Node adapter: serves an emulator on 127.0.0.1 so Worker tests in workerd, the end-to-end test and the
// local stack reach it over real HTTP. Port 0 picks a free port; the URL says which. It also supplies the
// playground page's files (playground-assets.ts), which need Node's file system and type stripper. Every request
// must name a loopback host (loopback.ts): listening on 127.0.0.1 alone does not stop DNS rebinding.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createDiscordEmulator, type DiscordEmulator, type EmulatorOptions } from "./app.ts";
import { refuseNonLoopbackHost } from "./loopback.ts";
import { playgroundAssets } from "./playground-assets.ts";

export interface StartOptions extends EmulatorOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  host?: "127.0.0.1";
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** url + "/api/v10": what DISCORD_API_BASE should be. */
  apiBase: string;
  emulator: DiscordEmulator;
  close(): Promise<void>;
}

export function startDiscordEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const emulator = createDiscordEmulator({ assets: playgroundAssets, ...options });
  const host = options.host ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: (request) => refuseNonLoopbackHost(request) ?? emulator.fetch(request),
      port: options.port ?? 0,
      hostname: host,
    }) as Server;
    server.once("error", (error) =>
      reject(new Error(`emulator(server): cannot listen on ${host}:${options.port ?? 0}: ${error.message}`)),
    );
    server.once("listening", () => {
      const { port } = server.address() as AddressInfo;
      const url = `http://${host}:${port}`;
      options.log?.({ event: "emulator.listening", url });
      resolve({
        url,
        apiBase: `${url}/api/v10`,
        emulator,
        close: () =>
          new Promise<void>((done) => {
            emulator.close();
            server.close(() => done());
            // Keep-alive sockets from clients (undici, workerd) would hold close() open.
            server.closeAllConnections();
          }),
      });
    });
  });
}
