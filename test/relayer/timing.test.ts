import { expect } from "chai";
import type { RunningRelayer } from "../../relayer/server";
import { deployChain, get, post, ringCreateRecord, startTestRelayer, waitForStatus, type Chain } from "./helpers/fixture";

/**
 * No public timing (README, security model): a third party without a job's id learns nothing from the relayer about
 * when an on-chain action reached it. It cannot compute the id from public data (its own relayer, running the same
 * code on the same request, derives another id under its own secret), cannot read /metrics from the public port, and
 * the client holding the id sees a ring job's times only to the minute. Instances given the same secret agree on ids.
 */
describe("relayer: no public timing", function () {
  this.timeout(300_000);
  let chain: Chain;
  const running: RunningRelayer[] = [];
  const start = async (overrides: Record<string, string> = {}) => {
    const { relayer } = await startTestRelayer(chain, overrides);
    running.push(relayer);
    return relayer;
  };

  before(async function () {
    chain = await deployChain(10);
  });
  after(async function () {
    for (const r of running) await r.stop();
    await chain?.close();
  });

  it("derives job ids under the relayer's secret: idempotent for it and its peers, underivable for anyone else", async function () {
    const relayer = await start();
    const attacker = await start(); // the same code on the same chain and request, with a secret of its own
    const peer = await start({ MEDRING_RELAYER_JOB_ID_SECRET: relayer.ctx.pipeline.jobIdKey });
    expect(relayer.ctx.pipeline.jobIdKey).to.match(/^0x[0-9a-f]{64}$/);
    const body = await ringCreateRecord(chain, chain.patients[4]);
    const guessed = (await post(`${attacker.url}/v1/verify`, body)).json.id as string;
    const fromPeer = (await post(`${peer.url}/v1/verify`, body)).json.id as string;

    const res = await post(`${relayer.url}/v1/submissions`, body);
    expect(res.status, res.text).to.equal(202);
    expect(fromPeer).to.equal(res.json.id);
    expect(guessed).to.match(/^0x[0-9a-f]{64}$/);
    expect(guessed).to.not.equal(res.json.id);
    expect((await get(`${relayer.url}/v1/submissions/${guessed}`)).status).to.equal(404);
    // Resubmission is idempotent: the same request, the same id, no second job.
    const again = await post(`${relayer.url}/v1/submissions`, body);
    expect([again.status, again.json.id]).to.deep.equal([202, res.json.id]);

    // The client, holding the id, sees its ring job's times to the minute only.
    const job = await waitForStatus(relayer.url, res.json.id, ["confirmed", "failed", "expired"]);
    expect(job.status, job.reason).to.equal("confirmed");
    for (const t of [job.createdAt, job.updatedAt]) expect(t).to.match(/T\d\d:\d\d:00\.000Z$/);
  });

  it("serves /metrics only on its own listener on 127.0.0.1, behind the token when one is set", async function () {
    const relayer = await start({ MEDRING_RELAYER_METRICS_TOKEN: "a-token-of-16-chars-or-more" });
    expect((await get(`${relayer.url}/metrics`)).status).to.equal(404);
    expect(new URL(relayer.metricsUrl).hostname).to.equal("127.0.0.1");
    expect(new URL(relayer.metricsUrl).port).to.not.equal(new URL(relayer.url).port);
    expect((await fetch(`${relayer.metricsUrl}/metrics`)).status).to.equal(401);
    expect((await fetch(`${relayer.metricsUrl}/metrics`, { headers: { authorization: "Bearer a-token-of-16-chars-or-morX" } })).status).to.equal(401);
    const ok = await fetch(`${relayer.metricsUrl}/metrics`, { headers: { authorization: "Bearer a-token-of-16-chars-or-more" } });
    expect(ok.status).to.equal(200);
    const text = await ok.text();
    for (const name of ["medring_relayer_submissions_total", "medring_relayer_queue_depth", "process_cpu_seconds_total", "nodejs_eventloop_lag_seconds"]) {
      expect(text).to.include(name);
    }
    expect((await fetch(`${relayer.metricsUrl}/v1/status`)).status).to.equal(404);
  });
});
