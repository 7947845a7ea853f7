import { expect } from "chai";
import { loadConfig } from "../../relayer/config";
import type { RunningRelayer } from "../../relayer/server";
import { requestFrom, TrickledPost } from "./helpers/clientSockets";
import { chainPerDescribe, deployChain, ringCreateRecord, startTestRelayer, waitFor, type Chain } from "./helpers/fixture";

/**
 * Slow and greedy clients (README "Security model", relayer/README.md "Slow and greedy clients"): per-IP limits
 * come before the global one, the server times slow uploads out, the probes answer, and a forged X-Forwarded-For
 * does not buy a client a fresh budget.
 */
describe("relayer under slow and greedy clients", function () {
  this.timeout(180_000);

  describe("300 trickled uploads from one address", function () {
    let chain: Chain;
    let relayer: RunningRelayer;
    const slow: TrickledPost[] = [];

    before(async function () {
      chain = await deployChain(10);
      // The default limits (16 per address, 256 in all); a short request timeout so that the test sees it act.
      ({ relayer } = await startTestRelayer(chain, { MEDRING_RELAYER_REQUEST_TIMEOUT_S: "8", MEDRING_RELAYER_HEADERS_TIMEOUT_S: "4" }));
    });
    after(async function () {
      for (const s of slow) s.close();
      await relayer?.stop();
      await chain?.close();
    });

    it("refuses the attacker past its own budget while /healthz, /readyz and a valid submission from 127.0.0.2 are answered normally", async function () {
      for (let i = 0; i < 300; i++) slow.push(new TrickledPost(`${relayer.url}/v1/submissions`, "127.0.0.1"));
      // Every upload reached the relayer: all but the 16 the attacker's address may hold were answered 429 at once.
      await waitFor(async () => (slow.filter((s) => s.status === 429).length >= 300 - 16 ? true : undefined), 60_000);
      expect(slow.filter((s) => s.status === undefined).length, "uploads still held").to.equal(16);
      expect(slow.filter((s) => s.status !== undefined && s.status !== 429)).to.deep.equal([]);

      // The attacker's next request is refused at its own budget...
      const own = await requestFrom("127.0.0.1", `${relayer.url}/healthz`);
      expect(own.status, own.text).to.equal(429);
      expect(own.json.error.code).to.equal("rate_limited");
      // ...and everyone else is served as usual.
      expect((await requestFrom("127.0.0.2", `${relayer.url}/healthz`)).status).to.equal(200);
      expect((await requestFrom("127.0.0.2", `${relayer.url}/readyz`)).status).to.equal(200);
      expect((await requestFrom("127.0.0.3", `${relayer.url}/v1/status`)).status).to.equal(200);
      const body = await ringCreateRecord(chain, chain.patients[1]);
      const res = await requestFrom("127.0.0.2", `${relayer.url}/v1/submissions`, { body });
      expect(res.status, res.text).to.equal(202);
    });

    it("times a trickled upload out after the request timeout (408), which frees the attacker's slots", async function () {
      const held = slow.filter((s) => s.status === undefined);
      await waitFor(async () => (held.every((s) => s.closed) ? true : undefined), 60_000);
      expect(held.map((s) => s.status ?? 0).filter((st) => st !== 408 && st !== 0)).to.deep.equal([]);
      for (const s of slow) s.close();
      expect((await requestFrom("127.0.0.1", `${relayer.url}/healthz`)).status).to.equal(200);
    });
  });

  describe("X-Forwarded-For", function () {
    const chain = chainPerDescribe(0);

    for (const trust of ["1", "127.0.0.1", "127.0.0.0/8"]) {
      it(`with MEDRING_RELAYER_TRUST_PROXY=${trust}, a forged leftmost entry does not give the client a fresh rate budget`, async function () {
        const { relayer } = await startTestRelayer(chain(), { MEDRING_RELAYER_RATE_LIMIT: "3", MEDRING_RELAYER_TRUST_PROXY: trust });
        try {
          // The proxy (this test) appends the address it saw, 203.0.113.7; the client forged everything before it.
          const statuses: number[] = [];
          for (let i = 0; i < 5; i++) {
            const forged = `198.51.100.${i + 1}`;
            statuses.push((await requestFrom("127.0.0.1", `${relayer.url}/v1/status`, { headers: { "x-forwarded-for": `${forged}, 203.0.113.7` } })).status);
          }
          expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
          // Another client behind the same proxy has its own budget.
          const other = await requestFrom("127.0.0.1", `${relayer.url}/v1/status`, { headers: { "x-forwarded-for": "203.0.113.8" } });
          expect(other.status).to.equal(200);
        } finally {
          await relayer.stop();
        }
      });
    }

    it("without a trusted proxy, X-Forwarded-For is ignored: the socket's address is the client", async function () {
      const { relayer } = await startTestRelayer(chain(), { MEDRING_RELAYER_RATE_LIMIT: "3" });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 5; i++) {
          statuses.push((await requestFrom("127.0.0.4", `${relayer.url}/v1/status`, { headers: { "x-forwarded-for": `198.51.100.${i + 1}` } })).status);
        }
        expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
        expect((await requestFrom("127.0.0.5", `${relayer.url}/v1/status`)).status).to.equal(200);
      } finally {
        await relayer.stop();
      }
    });
  });

  describe("configuration", function () {
    const env = (extra: Record<string, string>) => ({ MEDRING_RELAYER_STORE: "memory", ...extra });

    it("refuses a blanket TRUST_PROXY=true and malformed proxy lists", function () {
      for (const bad of ["true", "yes", "127.0.0.1,proxy.example", "10.0.0.0/x", "17"]) {
        expect(() => loadConfig(env({ MEDRING_RELAYER_TRUST_PROXY: bad })), bad).to.throw(/MEDRING_RELAYER_TRUST_PROXY/);
      }
    });

    it("parses hop counts and address lists, and trusts no proxy by default", function () {
      expect(loadConfig(env({})).trustProxy).to.deep.equal({ kind: "none" });
      expect(loadConfig(env({ MEDRING_RELAYER_TRUST_PROXY: "2" })).trustProxy).to.deep.equal({ kind: "hops", hops: 2 });
      expect(loadConfig(env({ MEDRING_RELAYER_TRUST_PROXY: "10.0.0.1, 10.1.0.0/16" })).trustProxy).to.deep.equal({
        kind: "addresses",
        addresses: ["10.0.0.1", "10.1.0.0/16"],
      });
    });

    it("has server timeouts in seconds by default and refuses a headers timeout above the request timeout", function () {
      expect(loadConfig(env({})).timeouts).to.deep.equal({ headersSeconds: 10, requestSeconds: 30, keepAliveSeconds: 5 });
      expect(() => loadConfig(env({ MEDRING_RELAYER_HEADERS_TIMEOUT_S: "40" }))).to.throw(/HEADERS_TIMEOUT_S/);
    });
  });
});
