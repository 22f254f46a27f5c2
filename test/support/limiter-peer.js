// A second Worker (its own isolate) for test/worker/limiter.test.ts: it reaches the bot's one DiscordRateLimiter
// through its own DISCORD_LIMITER binding, as another isolate of the bot would, and speaks the object's
// protocol (POST /acquire, POST /answer) directly. Plain JS: the test pool loads auxiliary Workers as they are, unbundled.
export default {
  async fetch(request, env) {
    const { op, request: ask, answers, times = 1, name = "bot" } = await request.json();
    const limiter = env.DISCORD_LIMITER.get(env.DISCORD_LIMITER.idFromName(name));
    const post = (path, body) => limiter.fetch(`https://limiter/${path}`, { method: "POST", body: JSON.stringify(body) });
    if (op === "acquire") {
      const grants = [];
      for (let i = 0; i < times; i++) grants.push(await (await post("acquire", ask)).json());
      return Response.json(grants);
    }
    if (op === "answer") {
      const answered = await post("answer", answers);
      return Response.json({ ok: answered.status === 204 });
    }
    return Response.json({ error: `limiter-peer: unknown op ${op}` }, { status: 400 });
  },
};
