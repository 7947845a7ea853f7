import { expect } from "chai";
import { ethers } from "hardhat";
import { deployChain, get, post, ringCreateRecord, startTestRelayer, waitFor, type Chain } from "./fixture";
import type { RunningRelayer } from "../../relayer/server";
import type { LogCapture } from "./fixture";

describe("relayer API", function () {
  let chain: Chain;
  let relayer: RunningRelayer;
  let logs: LogCapture;

  before(async function () {
    chain = await deployChain(10);
    ({ relayer, logs } = await startTestRelayer(chain));
  });
  after(async function () {
    await relayer?.stop();
    await chain?.close();
  });

  it("accepts a valid anonymous createRecord with 202 and confirms it on chain", async function () {
    const body = await ringCreateRecord(chain, chain.patients[3]);
    const res = await post(`${relayer.url}/v1/submissions`, body);
    expect(res.status, res.text).to.equal(202);
    expect(res.json.id).to.match(/^0x[0-9a-f]{64}$/);
    const job = await waitFor(async () => {
      const r = await get(`${relayer.url}/v1/submissions/${res.json.id}`);
      return r.json.status === "confirmed" || r.json.status === "failed" ? r.json : undefined;
    });
    expect(job.status, job.reason).to.equal("confirmed");
    const receipt = await ethers.provider.getTransactionReceipt(job.txHash);
    expect(receipt!.status).to.equal(1);
    const id = await chain.registry.recordIdOf(ethers.ZeroAddress, body.action.args.scope);
    expect(await chain.registry.recordOf(id)).to.not.equal(ethers.ZeroAddress);
  });
});
