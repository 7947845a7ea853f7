/**
 * What the RPC node and the relayer learn from a patient's client (docs/design.md#who-learns-what): recording proxies
 * sit in front of both, and the real CLI (src/cli main, in-process) runs its commands through them.
 * - create, grant, revoke and show on an anonymous record send nothing that contains the patient's account, RC
 *   address, or any identified record id or scope;
 * - `records` sends none of the patient's anonymous record ids or scopes (it reads the public index in bulk).
 * A positive control shows that the same check does catch the account where it is legitimately sent.
 */
import { expect } from "chai";
import { IMedRingRegistry__factory } from "../../typechain-types";
import { anonymousSlot } from "../../src/client/discovery";
import { accountAddress } from "../../src/keys";
import { runCli } from "../cli/helpers/run";
import { cliPatient } from "./helpers/cliPatient";
import { privacyWorld, registerDirectly, type PrivacyWorld } from "./helpers/world";
import { recordingProxy, type RecordingProxy } from "./helpers/recordingProxy";

const hexOf = (v: string) => v.toLowerCase().replace(/^0x/, "");

describe("privacy: what the RPC node and the relayer receive from the CLI", function () {
  this.timeout(300_000);
  let world: PrivacyWorld;
  let rpc: RecordingProxy;
  let relayer: RecordingProxy;
  const { keys: patient, keyFile, recordFile } = cliPatient("medring-privacy-");
  const account = accountAddress(patient.accountKey);
  let register: string;
  let identifiedId: string;
  let identifiedScope: string;
  let institution: string;

  const medring = async (...args: string[]) => {
    const run = await runCli(...args, "--key", keyFile, "--rpc", rpc.url, "--relayer", relayer.url, "--json");
    expect(run.code, `medring ${args.join(" ")}: ${run.stderr}`).to.equal(0);
    return JSON.parse(run.stdout);
  };
  /** Nothing the node or the relayer received since the last clear contains any of `secrets`. */
  const expectNothingOf = (secrets: Record<string, string>) => {
    expect(rpc.requests.length + relayer.requests.length, "the proxies saw the traffic").to.be.greaterThan(0);
    for (const [proxy, name] of [
      [rpc, "RPC node"],
      [relayer, "relayer"],
    ] as const) {
      const text = proxy.text();
      for (const [what, value] of Object.entries(secrets)) expect(text.includes(hexOf(value)), `the ${name} received the ${what}`).to.equal(false);
    }
  };

  before(async function () {
    world = await privacyWorld(9, 1);
    await registerDirectly(world.chain, world.office, patient);
    register = await world.chain.registry.registerOf(account);
    institution = accountAddress(world.institutions[0].accountKey);
    rpc = await recordingProxy(world.chain.rpcUrl);
    relayer = await recordingProxy(world.relayer.url);
  });
  after(async function () {
    await rpc?.close();
    await relayer?.close();
    await world?.close();
  });

  it("positive control: an identified record's creation does send the account, and the check sees it", async function () {
    const created = await medring("record", "create", "--file", recordFile, "--identified");
    identifiedId = created.recordId;
    identifiedScope = created.scope;
    expect(created.anonymous).to.equal(false);
    expect(rpc.text().includes(hexOf(account)) || relayer.text().includes(hexOf(account))).to.equal(true);
  });

  describe("an anonymous record's create, grant, revoke and show", function () {
    let recordId: string;
    const secrets = () => ({
      "patient's account": account,
      "patient's RC address": register,
      "identified record id": identifiedId,
      "identified scope": identifiedScope,
    });

    it("record create", async function () {
      rpc.clear();
      relayer.clear();
      const created = await medring("record", "create", "--file", recordFile);
      expect(created).to.include({ anonymous: true, status: "confirmed" });
      recordId = created.recordId;
      expectNothingOf(secrets());
    });

    it("record grant", async function () {
      rpc.clear();
      relayer.clear();
      expect(await medring("record", "grant", "--record", recordId, "--institution", institution)).to.include({ anonymous: true, status: "confirmed" });
      expectNothingOf(secrets());
    });

    it("record revoke", async function () {
      rpc.clear();
      relayer.clear();
      expect(await medring("record", "revoke", "--record", recordId, "--institution", institution)).to.include({ anonymous: true, status: "confirmed" });
      expectNothingOf(secrets());
    });

    it("record show", async function () {
      rpc.clear();
      relayer.clear();
      const shown = await medring("record", "show", "--record", recordId);
      expect(shown.recordId).to.equal(recordId);
      expectNothingOf(secrets());
      // No eth_call of the anonymous record carries a `from` at all.
      for (const r of rpc.requests) {
        const calls = [JSON.parse(r.body)].flat().filter((m: { method: string }) => m.method === "eth_call");
        for (const c of calls) expect(c.params[0].from, JSON.stringify(c)).to.equal(undefined);
      }
    });

    it("records: none of the anonymous record ids or scopes is sent (the public index is read in bulk)", async function () {
      const second = await medring("record", "create", "--file", recordFile);
      const anonymous = [recordId, second.recordId];
      rpc.clear();
      relayer.clear();
      const { records: listed } = await medring("records");
      expect(listed.filter((r: { anonymous: boolean }) => r.anonymous).map((r: { recordId: string }) => r.recordId)).to.deep.equal(anonymous);
      expect(listed.filter((r: { anonymous: boolean }) => !r.anonymous).map((r: { recordId: string }) => r.recordId)).to.deep.equal([identifiedId]);
      // Each anonymous record's scope, derived here from the ring key and the index the listing gives (src/client/discovery.ts).
      const scopes = listed.filter((r: { anonymous: boolean }) => r.anonymous).map((r: { index: number }) => anonymousSlot(patient.ringKey, r.index).scope);
      expectNothingOf(
        Object.fromEntries([
          ...anonymous.map((id, i) => [`anonymous record id ${i}`, id]),
          ...scopes.map((s: string, i: number) => [`anonymous scope ${i}`, s]),
        ]),
      );
      // Positive control: the index was read through the proxy (the selector of anonymousRecords(uint256,uint256)).
      expect(rpc.text()).to.include(hexOf(IMedRingRegistry__factory.createInterface().getFunction("anonymousRecords").selector));
    });
  });
});
