// File uploads: multipart bodies are stored and served back, and PATCH follows Discord's v10 rule that the
// `attachments` array lists exactly what the message keeps.
import { describe, expect, it } from "vitest";
import {
  callDiscord,
  createDiscordEmulator,
  DEFAULT_APPLICATION_ID,
  multipart,
  type DiscordEmulator,
  type FileUpload,
} from "../../support/discord-emulator.ts";

const APP = DEFAULT_APPLICATION_ID;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const png = (n: number, filename = "chart.png", bytes = PNG): FileUpload => ({
  n,
  filename,
  contentType: "image/png",
  bytes,
});
const csv = (n: number): FileUpload => ({
  n,
  filename: "data.csv",
  contentType: "text/csv",
  bytes: new TextEncoder().encode("a,1\nb,2\n"),
});

async function deferred(emulator: DiscordEmulator) {
  const i = emulator.issueInteraction({ type: 2, data: { name: "chart" } });
  await callDiscord(emulator, "POST", `/interactions/${i.id}/${i.token}/callback`, { type: 5 });
  return i;
}
const original = (token: string) => `/webhooks/${APP}/${token}/messages/@original`;

async function fetchFile(emulator: DiscordEmulator, url: string) {
  const response = await emulator.fetch(new Request(url));
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    bytes: new Uint8Array(await response.arrayBuffer()),
  };
}

describe("multipart uploads", () => {
  it("stores files[n] with payload_json and serves them back with their content type", async () => {
    const emulator = createDiscordEmulator();
    const i = await deferred(emulator);
    const body = multipart(
      { content: "here", attachments: [{ id: "0", filename: "chart.png", description: "a chart" }] },
      [png(0)],
    );
    const r = await callDiscord(emulator, "PATCH", original(i.token), body);
    expect(r.status).toBe(200);
    const [attachment] = r.json.attachments;
    expect(attachment).toMatchObject({
      filename: "chart.png",
      size: PNG.byteLength,
      content_type: "image/png",
      description: "a chart",
    });
    expect(attachment.id).toMatch(/^\d+$/);
    expect(attachment.url).toBe(`http://discord.test/attachments/${r.json.id}/${attachment.id}/chart.png`);

    const served = await fetchFile(emulator, attachment.url);
    expect(served).toEqual({ status: 200, type: "image/png", bytes: PNG });
    // By position too: /attachments/{message}/{n}/{filename}.
    expect((await fetchFile(emulator, `http://discord.test/attachments/${r.json.id}/0/chart.png`)).bytes).toEqual(PNG);
    expect(emulator.file(attachment.id)?.bytes).toEqual(PNG);
  });

  it("records a multipart summary (payload_json + file names, sizes, types), not the bytes", async () => {
    const emulator = createDiscordEmulator();
    const i = await deferred(emulator);
    await callDiscord(emulator, "PATCH", original(i.token), { content: "done" }); // @original first: Discord's follow-up rule
    await callDiscord(emulator, "POST", `/webhooks/${APP}/${i.token}`, multipart({ content: "x" }, [png(0), csv(1)]));
    const [call] = emulator.calls({ method: "POST", path: "/webhooks/" });
    expect(call!.body).toEqual({
      payload_json: { content: "x" },
      files: [
        { field: "files[0]", filename: "chart.png", size: PNG.byteLength, content_type: "image/png" },
        { field: "files[1]", filename: "data.csv", size: 8, content_type: "text/csv" },
      ],
    });
  });

  it("on create, every upload is attached even when attachments is omitted", async () => {
    const emulator = createDiscordEmulator();
    const i = await deferred(emulator);
    await callDiscord(emulator, "PATCH", original(i.token), { content: "done" }); // @original first: Discord's follow-up rule
    const r = await callDiscord(
      emulator,
      "POST",
      `/webhooks/${APP}/${i.token}`,
      multipart({ content: "two files" }, [png(0), csv(1)]),
    );
    expect(r.json.attachments.map((a: { filename: string }) => a.filename)).toEqual(["chart.png", "data.csv"]);
  });

  it("the callback endpoint takes files too", async () => {
    const emulator = createDiscordEmulator();
    const i = emulator.issueInteraction({ type: 2, data: { name: "chart" } });
    const r = await callDiscord(
      emulator,
      "POST",
      `/interactions/${i.id}/${i.token}/callback?with_response=true`,
      multipart({ type: 4, data: { content: "c", attachments: [{ id: "0", filename: "chart.png" }] } }, [png(0)]),
    );
    expect(r.json.resource.message.attachments).toMatchObject([{ filename: "chart.png", content_type: "image/png" }]);
  });

  it("rejects an attachments entry without its files[n] part, and files over the size limit (413)", async () => {
    const emulator = createDiscordEmulator();
    const i = await deferred(emulator);
    const missing = await callDiscord(
      emulator,
      "PATCH",
      original(i.token),
      multipart({ attachments: [{ id: "1", filename: "x.png" }] }, [png(0)]),
    );
    expect(missing.json).toMatchObject({
      code: 50035,
      errors: { attachments: { "0": { id: { _errors: [{ code: "ATTACHMENT_NOT_FOUND" }] } } } },
    });
    const small = createDiscordEmulator();
    const j = small.issueInteraction({ type: 2, data: { name: "chart" }, attachmentSizeLimit: 4 });
    await callDiscord(small, "POST", `/interactions/${j.id}/${j.token}/callback`, { type: 5 });
    const big = await callDiscord(small, "PATCH", original(j.token), multipart({ content: "x" }, [png(0)]));
    expect(big).toMatchObject({ status: 413, json: { code: 40005 } });
  });
});

describe("PATCH attachments: the list is what the message keeps", () => {
  async function withTwoFiles() {
    const emulator = createDiscordEmulator();
    const i = await deferred(emulator);
    const r = await callDiscord(
      emulator,
      "PATCH",
      original(i.token),
      multipart({ content: "v1" }, [png(0, "a.png"), png(1, "b.png")]),
    );
    const [a, b] = r.json.attachments as Array<{ id: string; url: string }>;
    return { emulator, i, a: a!, b: b! };
  }

  it("without an attachments key, existing files stay and new uploads are added", async () => {
    const { emulator, i, a, b } = await withTwoFiles();
    const r = await callDiscord(emulator, "PATCH", original(i.token), { content: "text only" });
    expect(r.json.attachments.map((x: { id: string }) => x.id)).toEqual([a.id, b.id]);
    const added = await callDiscord(
      emulator,
      "PATCH",
      original(i.token),
      multipart({ content: "plus one" }, [png(0, "c.png")]),
    );
    expect(added.json.attachments.map((x: { filename: string }) => x.filename)).toEqual(["a.png", "b.png", "c.png"]);
  });

  it("keeps listed existing ids, adds listed uploads by n, drops everything else (and stops serving it)", async () => {
    const { emulator, i, a, b } = await withTwoFiles();
    const r = await callDiscord(
      emulator,
      "PATCH",
      original(i.token),
      multipart({ attachments: [{ id: b.id }, { id: "0", filename: "new.png" }] }, [png(0, "upload.png")]),
    );
    expect(r.status).toBe(200);
    expect(r.json.attachments.map((x: { id: string; filename: string }) => x.filename)).toEqual(["b.png", "new.png"]);
    expect(r.json.attachments[0].id).toBe(b.id);
    expect((await fetchFile(emulator, a.url)).status).toBe(404);
    expect((await fetchFile(emulator, b.url)).status).toBe(200);
  });

  it("attachments: [] removes every file (replacing a chart with text)", async () => {
    const { emulator, i, b } = await withTwoFiles();
    const r = await callDiscord(emulator, "PATCH", original(i.token), { content: "no files", attachments: [] });
    expect(r.json.attachments).toEqual([]);
    expect((await fetchFile(emulator, b.url)).status).toBe(404);
  });

  it("replacing a chart: attachments [{id: 0}] + files[0] swaps the image", async () => {
    const { emulator, i } = await withTwoFiles();
    const next = new Uint8Array([9, 9, 9]);
    const r = await callDiscord(
      emulator,
      "PATCH",
      original(i.token),
      multipart({ attachments: [{ id: "0", filename: "chart.png" }] }, [png(0, "chart.png", next)]),
    );
    expect(r.json.attachments).toHaveLength(1);
    expect((await fetchFile(emulator, r.json.attachments[0].url)).bytes).toEqual(next);
  });

  it("an id that is neither kept nor uploaded is a 50035", async () => {
    const { emulator, i } = await withTwoFiles();
    const r = await callDiscord(emulator, "PATCH", original(i.token), { attachments: [{ id: "123456789012345678" }] });
    expect(r.json.code).toBe(50035);
  });

  it("uploads not listed in a PATCH's attachments are dropped (Discord ignores them)", async () => {
    const { emulator, i, a } = await withTwoFiles();
    const r = await callDiscord(
      emulator,
      "PATCH",
      original(i.token),
      multipart({ attachments: [{ id: a.id }] }, [png(0, "stray.png")]),
    );
    expect(r.json.attachments.map((x: { filename: string }) => x.filename)).toEqual(["a.png"]);
  });
});

describe("serving attachments safely from the playground's origin", () => {
  async function upload(
    filename: string,
    contentType: string,
    bytes = new TextEncoder().encode("<script>parent.fetch('/__emulator/cron',{method:'POST'})</script>"),
  ) {
    const emulator = createDiscordEmulator();
    const i = await deferred(emulator);
    // The name comes from the JSON attachments entry, so it arrives exactly as written (quotes and all).
    const r = await callDiscord(
      emulator,
      "PATCH",
      original(i.token),
      multipart({ content: "file", attachments: [{ id: "0", filename }] }, [
        { n: 0, filename: "upload.bin", contentType, bytes },
      ]),
    );
    expect(r.status).toBe(200);
    const response = await emulator.fetch(new Request(r.json.attachments[0].url));
    return { response, bytes };
  }

  it.each([
    ["page.html", "text/html"],
    ["drawing.svg", "image/svg+xml"],
    ["page.xhtml", "application/xhtml+xml"],
    ["script.js", "text/javascript"],
  ])("%s (%s): a download, sandboxed, never sniffed", async (filename, type) => {
    const { response, bytes } = await upload(filename, type);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toBe("sandbox");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="${filename}"; filename*=UTF-8''${filename}`,
    );
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it("a PNG stays inline (the playground shows it), sandboxed and never sniffed too", async () => {
    const { response } = await upload("chart.png", "image/png", PNG);
    expect(response.headers.get("content-disposition")).toBe(
      `inline; filename="chart.png"; filename*=UTF-8''chart.png`,
    );
    expect(response.headers.get("content-security-policy")).toBe("sandbox");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("a non-ASCII filename (データ.csv) is served, named per RFC 6266: an ASCII fallback and filename*=UTF-8''…", async () => {
    const { response, bytes } = await upload("データ.csv", "text/csv", new TextEncoder().encode("a,1\n"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="___.csv"; filename*=UTF-8''%E3%83%87%E3%83%BC%E3%82%BF.csv`,
    );
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it("quotes, backslashes and RFC 8187's reserved characters in a filename stay inside the header's quotes", async () => {
    const { response } = await upload(`a"b\\c (1)'*.txt`, "text/plain", new TextEncoder().encode("x"));
    expect(response.headers.get("content-disposition")).toBe(
      `inline; filename="a_b_c (1)'*.txt"; filename*=UTF-8''a%22b%5Cc%20%281%29%27%2A.txt`,
    );
  });

  it("a malformed percent-escape in the path is a 404, not a throw", async () => {
    const emulator = createDiscordEmulator();
    const response = await emulator.fetch(new Request("http://discord.test/attachments/1/%E3/x.csv"));
    expect(response.status).toBe(404);
  });
});
