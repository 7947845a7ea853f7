import { expect } from "chai";
import { ethers } from "hardhat";
import Ajv2020 from "ajv/dist/2020";
import { deployChain, get, post, recordIdOfBody, ringCreateRecord, startTestRelayer, waitFor, type Chain, type LogCapture } from "./helpers/fixture";
import type { RunningRelayer } from "../../relayer/server";

describe("relayer API", function () {
  let chain: Chain;
  let relayer: RunningRelayer;
  let logs: LogCapture;
  let validate: (path: string, method: string, status: number, body: unknown) => void;

  before(async function () {
    chain = await deployChain(10);
    ({ relayer, logs } = await startTestRelayer(chain));
    const doc = (await get(`${relayer.url}/v1/openapi.json`)).json;
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: "openapi", components: doc.components }, "openapi");
    validate = (p, method, status, body) => {
      const op = doc.paths[p]?.[method];
      expect(op, `${method} ${p} is in the OpenAPI document`).to.not.equal(undefined);
      const resp = op.responses[String(status)];
      expect(resp, `${method} ${p} documents status ${status}`).to.not.equal(undefined);
      const schema = resp.content["application/json"].schema;
      const ref = schema.$ref ? { $ref: `openapi${schema.$ref}` } : schema;
      const ok = ajv.validate(ref, body);
      expect(ok, `${method} ${p} ${status}: ${ajv.errorsText()}`).to.equal(true);
    };
  });
  after(async function () {
    await relayer?.stop();
    await chain?.close();
  });

  const signer = () => relayer.ctx.lanes[0].address;
  const finalJob = (id: string) =>
    waitFor(async () => {
      const r = await get(`${relayer.url}/v1/submissions/${id}`);
      return ["confirmed", "failed", "expired"].includes(r.json.status) ? r : undefined;
    });

  it("accepts a valid anonymous createRecord with 202, confirms it on chain, and both answers match the OpenAPI document", async function () {
    const body = await ringCreateRecord(chain, chain.patients[3]);
    const res = await post(`${relayer.url}/v1/submissions`, body);
    expect(res.status, res.text).to.equal(202);
    validate("/v1/submissions", "post", 202, res.json);
    const job = await finalJob(res.json.id);
    validate("/v1/submissions/{id}", "get", 200, job.json);
    expect(job.json.status, job.json.reason).to.equal("confirmed");
    const receipt = await ethers.provider.getTransactionReceipt(job.json.txHash);
    expect(receipt!.status).to.equal(1);
    expect(receipt!.from).to.equal(signer());
    expect(job.json.gasUsed).to.equal(receipt!.gasUsed.toString());
    const id = recordIdOfBody(body);
    expect(await chain.registry.recordOf(id)).to.not.equal(ethers.ZeroAddress);
  });

  it("accepts one of several concurrent requests for the same nonce (different deadlines, so different ids) and answers 409 replay to the rest", async function () {
    const scope = ethers.zeroPadValue(ethers.randomBytes(32), 32);
    const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
    const bodies = await Promise.all([1, 2, 3, 4].map((k) => ringCreateRecord(chain, chain.patients[5], { scope, deadline: BigInt(latest + 3600 + k) })));
    const nonceBefore = await ethers.provider.getTransactionCount(signer());
    const answers = await Promise.all(bodies.map((b) => post(`${relayer.url}/v1/submissions`, b)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses, answers.map((a) => a.text).join("\n")).to.deep.equal([202, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.json.error.code).to.equal("replay");
      validate("/v1/submissions", "post", 409, a.json);
    }
    const accepted = answers.find((a) => a.status === 202)!;
    expect((await finalJob(accepted.json.id)).json.status).to.equal("confirmed");
    expect(await ethers.provider.getTransactionCount(signer())).to.equal(nonceBefore + 1); // one transaction paid for
  });

  it("returns the same id for the same signed request and sends one transaction", async function () {
    const body = await ringCreateRecord(chain, chain.patients[4]);
    const nonceBefore = await ethers.provider.getTransactionCount(signer());
    const a = await post(`${relayer.url}/v1/submissions`, body);
    const b = await post(`${relayer.url}/v1/submissions`, body);
    expect(a.status).to.equal(202);
    expect(b.status).to.equal(202);
    expect(b.json.id).to.equal(a.json.id);
    await finalJob(a.json.id);
    const c = await post(`${relayer.url}/v1/submissions`, body);
    expect(c.status, c.text).to.equal(202);
    expect(c.json).to.deep.equal({ id: a.json.id, status: "confirmed" });
    expect(await ethers.provider.getTransactionCount(signer())).to.equal(nonceBefore + 1);
  });

  it("dry-runs a valid request on /v1/verify with a gas estimate, storing and sending nothing", async function () {
    const body = await ringCreateRecord(chain, chain.patients[5]);
    const before = await relayer.ctx.store.countByStatus();
    const res = await post(`${relayer.url}/v1/verify`, body);
    expect(res.status, res.text).to.equal(200);
    validate("/v1/verify", "post", 200, res.json);
    expect(BigInt(res.json.gasEstimate) > 21000n).to.equal(true);
    expect(await relayer.ctx.store.getJob(res.json.id)).to.equal(undefined);
    expect(await relayer.ctx.store.countByStatus()).to.deep.equal(before);
  });

  it("serves the anonymity set paginated from the registry", async function () {
    const res = await get(`${relayer.url}/v1/ring/members?offset=2&limit=3`);
    expect(res.status).to.equal(200);
    validate("/v1/ring/members", "get", 200, res.json);
    expect(res.json.total).to.equal(10);
    expect(res.json.members.map((m: { x: string }) => BigInt(m.x))).to.deep.equal(chain.patients.slice(2, 5).map((p) => p.publicKey.toAffine().x));
    const bad = await get(`${relayer.url}/v1/ring/members?limit=100000`);
    expect(bad.status).to.equal(400);
    validate("/v1/ring/members", "get", 400, bad.json);
  });

  it("reports chain, contracts, relayer balance, queue and ring policy on /v1/status", async function () {
    const res = await get(`${relayer.url}/v1/status`);
    expect(res.status).to.equal(200);
    validate("/v1/status", "get", 200, res.json);
    expect(res.json.chainId).to.equal("31337");
    expect(res.json.ringPolicy).to.deep.equal({ min: 8, max: 64 });
    expect(res.json.relayers[0].address).to.equal(signer());
    expect(res.json.relayers[0].balanceWei).to.equal((await ethers.provider.getBalance(signer())).toString());
  });

  it("answers /healthz, /readyz and /metrics", async function () {
    const h = await get(`${relayer.url}/healthz`);
    validate("/healthz", "get", 200, h.json);
    // /readyz gives the node 2 s to answer: on a loaded machine one probe may say 503, so the test waits for a 200.
    const r = await waitFor(async () => {
      const probe = await get(`${relayer.url}/readyz`);
      return probe.status === 200 ? probe : undefined;
    });
    validate("/readyz", "get", 200, r.json);
    expect((await get(`${relayer.url}/metrics`)).status).to.equal(404); // only on the private listener
    const m = await get(`${relayer.metricsUrl}/metrics`);
    expect(m.status).to.equal(200);
    expect(m.headers.get("content-type")).to.match(/^text\/plain/);
    for (const name of [
      'medring_relayer_submissions_total{outcome="accepted"}',
      "medring_relayer_gas_used_total",
      'medring_relayer_queue_depth{status="queued"}',
      "medring_relayer_confirmation_seconds_count",
      "medring_relayer_balance_wei{signer=",
    ]) {
      expect(m.text).to.include(name);
    }
  });

  it("answers unknown routes with 404 in the error shape", async function () {
    const res = await get(`${relayer.url}/v1/nope`);
    expect(res.status).to.equal(404);
    expect(res.json).to.deep.equal({ error: { code: "not_found", message: "no route GET /v1/nope" } });
    const missing = await get(`${relayer.url}/v1/submissions/0x${"ab".repeat(32)}`);
    expect(missing.status).to.equal(404);
    validate("/v1/submissions/{id}", "get", 404, missing.json);
  });

  it("logs no payload, no signature and no client IP", async function () {
    const body = await ringCreateRecord(chain, chain.patients[6]);
    const res = await post(`${relayer.url}/v1/submissions`, body);
    expect(res.status).to.equal(202);
    await finalJob(res.json.id);
    const text = logs.text;
    expect(text).to.include(res.json.id); // the log does record the job
    expect(text).to.not.include(body.action.args.ciphertext.slice(2));
    expect(text).to.not.include(body.authorization.signature.keyImage.slice(4));
    expect(text).to.not.include(body.authorization.signature.c[0].slice(2));
    expect(text).to.not.include('127.0.0.1"'); // no client address field
    expect(text).to.not.match(/"(ip|remoteAddress|body|signature)"/);
  });
});

describe("relayer rate limit", function () {
  it("answers 429 in the error shape on every route once a client exceeds its per-minute budget", async function () {
    const chain = await deployChain(0);
    const { relayer } = await startTestRelayer(chain, { MEDRING_RELAYER_RATE_LIMIT: "3" });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof get>> | undefined;
      for (let i = 0; i < 5; i++) {
        last = await get(`${relayer.url}/v1/status`);
        statuses.push(last.status);
      }
      expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
      expect(last!.json.error.code).to.equal("rate_limited");
      // Every route counts against the same budget: /readyz reads the chain and the store too.
      for (const route of ["/healthz", "/readyz", "/v1/openapi.json"]) {
        const res = await get(`${relayer.url}${route}`);
        expect(res.status, route).to.equal(429);
        expect(res.json.error.code, route).to.equal("rate_limited");
      }
    } finally {
      await relayer.stop();
      await chain.close();
    }
  });
});
