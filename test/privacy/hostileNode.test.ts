/**
 * A hostile RPC node in front of the real CLI (README "Security model"; issue: "the node sets the ring size").
 * The proxy (./helpers/rewritingProxy.ts) rewrites the registry's answers: the ring policy (1, 1) and (2, 2), a
 * shortened member list, a member list with unregistered keys, a wrong fixed ring for an existing record. Every
 * anonymous command the lie reaches refuses with exit code 6 before signing, and nothing is POSTed to the relayer
 * (a recording proxy in front of it shows what it received). A positive control runs the same commands through
 * the same proxies with no rewrite, and a retry signs the same scope with the same ring.
 */
import { expect } from "chai";
import { join } from "node:path";
import { AbiCoder, Interface } from "ethers";
import { ringHash } from "../../src/actions";
import { accountAddress } from "../../src/keys";
import { Point, generateKeyPair, pointToHex, publicKeyOf, sortRing } from "../../src/mrs1";
import { IMedRingRegistry__factory } from "../../typechain-types";
import { ExitCode } from "../../src/cli/errors";
import { runCli } from "../cli/helpers/run";
import { cliPatient } from "./helpers/cliPatient";
import { privacyWorld, registerDirectly, type PrivacyWorld } from "./helpers/world";
import { recordingProxy, type RecordingProxy } from "./helpers/recordingProxy";
import { rewritingProxy, type RewritingProxy, type RpcCall } from "./helpers/rewritingProxy";

const REGISTRY: Interface = IMedRingRegistry__factory.createInterface();
type Affine = { x: bigint; y: bigint };

/** The registry function an eth_call calls, when it is one. */
function registryCall(call: RpcCall, registry: string): string | undefined {
  if (call.method !== "eth_call") return undefined;
  const tx = call.params[0] as { to?: string; data?: string; input?: string };
  if (tx.to?.toLowerCase() !== registry.toLowerCase()) return undefined;
  return REGISTRY.parseTransaction({ data: tx.data ?? tx.input ?? "0x" })?.name;
}

const affine = (p: Point): Affine => p.toAffine();

describe("privacy: a hostile RPC node in front of the real CLI", function () {
  this.timeout(600_000);
  let world: PrivacyWorld;
  let node: RewritingProxy;
  let relayer: RecordingProxy;
  let registry: string;
  const { dir, keys: patient, keyFile, recordFile } = cliPatient("medring-hostile-");
  let institution: string;
  let recordId: string;

  const medring = (...args: string[]) => runCli(...args, "--key", keyFile, "--rpc", node.url, "--relayer", relayer.url, "--json");
  const posted = () => relayer.requests.filter((r) => r.method === "POST").map((r) => r.path);

  /** Runs `args` with the node lying by `rewrite`: exit code 6, a message matching `why`, nothing POSTed. */
  async function refused(rewrite: RewritingProxy["rewrite"], why: RegExp, ...args: string[]): Promise<void> {
    node.rewrite = rewrite;
    relayer.clear();
    try {
      const run = await medring(...args);
      expect(run.code, `medring ${args.join(" ")}: ${run.stderr}`).to.equal(ExitCode.Anonymity);
      expect(run.stderr).to.match(why);
      expect(run.stdout).to.equal("");
      expect(posted(), "nothing is sent to the relayer").to.deep.equal([]);
    } finally {
      node.rewrite = undefined;
    }
  }

  before(async function () {
    world = await privacyWorld(11, 1);
    await registerDirectly(world.chain, world.office, patient);
    registry = await world.chain.registry.getAddress();
    institution = accountAddress(world.institutions[0].accountKey);
    node = await rewritingProxy(world.chain.rpcUrl);
    relayer = await recordingProxy(world.relayer.url);
  });
  after(async function () {
    await node?.close();
    await relayer?.close();
    await world?.close();
  });

  it("positive control: through the same proxies with no rewrite, create, grant and a create with --check-rpc go through (one POST each)", async function () {
    relayer.clear();
    const created = await medring("record", "create", "--file", recordFile);
    expect(created.code, created.stderr).to.equal(0);
    recordId = JSON.parse(created.stdout).recordId;
    const granted = await medring("record", "grant", "--record", recordId, "--institution", institution);
    expect(granted.code, granted.stderr).to.equal(0);
    // A second node given with --check-rpc is a third source: with every source honest, the action goes through.
    const checked = await medring("record", "create", "--file", recordFile, "--check-rpc", world.chain.rpcUrl);
    expect(checked.code, checked.stderr).to.equal(0);
    expect(posted()).to.deep.equal(["/v1/submissions", "/v1/submissions", "/v1/submissions"]);
  });

  for (const [min, max] of [
    [1, 1],
    [2, 2],
  ]) {
    it(`ring policy (${min}, ${max}): record create refuses to sign a ring below the floor`, async function () {
      await refused(
        (call) => (registryCall(call, registry) === "ringPolicy" ? REGISTRY.encodeFunctionResult("ringPolicy", [min, max]) : undefined),
        /allows no ring of this client's floor of 8/,
        "record",
        "create",
        "--file",
        recordFile,
      );
    });
  }

  it("--ring-size 4 and --ring-floor 7 are refused whatever the policy says", async function () {
    await refused(undefined, /below this client's floor of 8/, "record", "create", "--file", recordFile, "--ring-size", "4");
    const run = await medring("record", "create", "--file", recordFile, "--ring-floor", "7");
    expect(run.code).to.equal(ExitCode.Usage);
    expect(run.stderr).to.match(/never lowered/);
  });

  /** ringMembers / ringMemberCount answers changed by `edit` (the list as the node would show it). */
  const membersRewrite =
    (edit: (members: Affine[]) => Affine[]) =>
    (call: RpcCall, result: unknown): unknown => {
      const name = registryCall(call, registry);
      if (name === "ringMembers") {
        const [members] = REGISTRY.decodeFunctionResult("ringMembers", result as string);
        return REGISTRY.encodeFunctionResult("ringMembers", [edit(members.map((m: Affine) => ({ x: m.x, y: m.y })))]);
      }
      if (name === "ringMemberCount") {
        const [count] = REGISTRY.decodeFunctionResult("ringMemberCount", result as string);
        return REGISTRY.encodeFunctionResult("ringMemberCount", [edit(Array.from({ length: Number(count) }, () => ({ x: 0n, y: 0n }))).length]);
      }
      return undefined;
    };
  const shortened = membersRewrite((members) => members.slice(0, members.length - 3));
  const withStrangers = membersRewrite((members) => [
    ...members.slice(0, members.length - 2),
    affine(generateKeyPair().publicKey),
    affine(generateKeyPair().publicKey),
  ]);

  for (const [lie, rewrite] of [
    ["a shortened member list", shortened],
    ["a member list with unregistered keys", withStrangers],
  ] as const) {
    it(`${lie}: create, grant and revoke all refuse`, async function () {
      await refused(rewrite, /anonymity set|PatientRegistered/, "record", "create", "--file", recordFile);
      await refused(rewrite, /anonymity set|PatientRegistered/, "record", "grant", "--record", recordId, "--institution", institution);
      await refused(rewrite, /anonymity set|PatientRegistered/, "record", "revoke", "--record", recordId, "--institution", institution);
    });
  }

  describe("a wrong fixed ring for an existing record (one member swapped for another registered patient, its hash forged to match)", function () {
    let forge: (call: RpcCall, result: unknown) => unknown;

    before(async function () {
      const fixed = await world.chain.registry.queryFilter(world.chain.registry.filters.RecordRingFixed(recordId));
      const ring = fixed[0].args.ring.map((m) => Point.fromAffine({ x: m.x, y: m.y }));
      const self = pointToHex(publicKeyOf(patient.ringKey));
      const inRing = new Set(ring.map(pointToHex));
      const outsider = world.patients.map((p) => publicKeyOf(p.ringKey)).find((k) => !inRing.has(pointToHex(k)))!;
      const victimIndex = ring.findIndex((m) => pointToHex(m) !== self);
      const wrong = sortRing([...ring.filter((_, i) => i !== victimIndex), outsider]);
      const wrongHash = ringHash(wrong);
      const topic = REGISTRY.getEvent("RecordRingFixed")!.topicHash;
      forge = (call, result) => {
        if (registryCall(call, registry) === "recordRingHash") return AbiCoder.defaultAbiCoder().encode(["bytes32"], [wrongHash]);
        if (call.method !== "eth_getLogs") return undefined;
        return (result as { topics: string[]; data: string }[]).map((log) =>
          log.topics[0] === topic
            ? { ...log, data: AbiCoder.defaultAbiCoder().encode(["bytes32", "tuple(uint256 x, uint256 y)[]"], [wrongHash, wrong.map(affine)]) }
            : log,
        );
      };
    });

    it("grant and revoke refuse: the ring is not the one this client created the record with (its store)", async function () {
      await refused(forge, /not the ring this client signed its creation with/, "record", "grant", "--record", recordId, "--institution", institution);
      await refused(forge, /not the ring this client signed its creation with/, "record", "revoke", "--record", recordId, "--institution", institution);
    });

    it("grant and revoke refuse on another machine too (a fresh store): the relayer reports the registry's real ring hash", async function () {
      const fresh = join(dir, "fresh.anonymity.json");
      const why = /relayer .* reports another ring hash/;
      await refused(forge, why, "record", "grant", "--record", recordId, "--institution", institution, "--anonymity-store", fresh);
      await refused(forge, why, "record", "revoke", "--record", recordId, "--institution", institution, "--anonymity-store", fresh);
    });
  });

  it("one ring per scope: two --dry-run attempts sign the same scope with the same ring, and a third asking for another size is refused", async function () {
    const ringOf = (stdout: string) => JSON.stringify((JSON.parse(stdout) as { authorization: { signature: { ring: unknown } } }).authorization.signature.ring);
    const first = await medring("record", "create", "--file", recordFile, "--dry-run");
    const second = await medring("record", "create", "--file", recordFile, "--dry-run");
    expect(first.code, first.stderr).to.equal(0);
    expect(JSON.parse(second.stdout).action.args.scope).to.equal(JSON.parse(first.stdout).action.args.scope);
    expect(ringOf(second.stdout)).to.equal(ringOf(first.stdout));
    const other = await medring("record", "create", "--file", recordFile, "--dry-run", "--ring-size", "9");
    expect(other.code).to.equal(ExitCode.Usage);
    expect(other.stderr).to.match(/already signed with a ring of 8/);
  });
});
