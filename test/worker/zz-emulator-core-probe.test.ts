import { expect, it } from "vitest";
import { createDiscordEmulator, generateDevKeyPair, signInteraction, keyPairFromSeed } from "../../src/emulator/core.ts";
it("core runs in workerd", async () => {
  const e = createDiscordEmulator();
  const i = e.issueInteraction({ type: 2, data: { name: "x" } });
  const form = new FormData();
  form.set("payload_json", JSON.stringify({ content: "x" }));
  form.set("files[0]", new Blob([new Uint8Array([1, 2])], { type: "image/png" }), "a.png");
  await e.fetch(new Request(`http://d/api/v10/interactions/${i.id}/${i.token}/callback`, { method: "POST", headers: { "user-agent": "DiscordBot (x, 1)", "content-type": "application/json" }, body: JSON.stringify({ type: 5 }) }));
  const r = await e.fetch(new Request(`http://d/api/v10/webhooks/${i.application_id}/${i.token}/messages/@original`, { method: "PATCH", headers: { "user-agent": "DiscordBot (x, 1)" }, body: form }));
  expect(r.status).toBe(200);
  const k = await generateDevKeyPair();
  expect((await signInteraction(k.privateKeyHex, "{}"))["X-Signature-Ed25519"]).toMatch(/^[0-9a-f]{128}$/);
  expect((await keyPairFromSeed("11".repeat(32))).publicKeyHex).toMatch(/^[0-9a-f]{64}$/);
});
