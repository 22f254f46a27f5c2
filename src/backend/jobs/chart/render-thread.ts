// The entry module of a Node render thread (render-pool.ts starts it): draws each chart it is sent exactly as the
// backend would in-process (render.ts, resvg's native addon) and hands the PNG's bytes back without copying them.
import { serveThreadTasks } from "../../thread-pool.ts";
import { drawInThisThread } from "./draw.ts";
import { rasteriseWithResvgNode } from "./rasterise-node.ts";

serveThreadTasks(drawInThisThread(rasteriseWithResvgNode), (image) => [image.png.buffer as ArrayBuffer]);
