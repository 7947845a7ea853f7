/**
 * Chain reads of the client through an EVM JSON-RPC endpoint (ethers JsonRpcProvider + typechain): the ring
 * policy and the anonymity set, records and their owners, ciphertexts from `RecordCreated`, institutions and
 * their access lists, forwarder nonces. Nothing here signs or sends.
 */
import { Contract, Interface, JsonRpcProvider, ZeroAddress, getBytes, toBeHex } from "ethers";
import { ringHash } from "../actions";
import { Point } from "../mrs1";
// The interfaces' factories only (ABI, no bytecode): the CLI starts faster than with the typechain index.
import { IAccessList__factory } from "../../typechain-types/factories/contracts/interfaces/IAccessList__factory";
import { IMedicalRecord__factory } from "../../typechain-types/factories/contracts/interfaces/IMedicalRecord__factory";
import { IMedRingRegistry__factory } from "../../typechain-types/factories/contracts/interfaces/IMedRingRegistry__factory";
import { IPatientRegister__factory } from "../../typechain-types/factories/contracts/interfaces/IPatientRegister__factory";
import type { IMedRingRegistry } from "../../typechain-types/contracts/interfaces/IMedRingRegistry";
import { RevertDecoder, formatRevert } from "../chain/revertDecoder";
import { ClientError } from "./errors";

/** ERC-2771: every MedRing contract trusts one forwarder (ERC2771Context.trustedForwarder, ERC2771Forwarder.nonces). */
const FORWARDING_ABI = new Interface([
  "function trustedForwarder() view returns (address)",
  "function nonces(address owner) view returns (uint256)",
  "error ERC2771ForwarderInvalidSigner(address signer, address from)",
  "error ERC2771ForwarderExpiredRequest(uint48 deadline)",
  "error ERC2771UntrustfulTarget(address target, address forwarder)",
]);

/** Page size of paginated views (ring members, ALC entries). */
const PAGE = 200;
/** Page size of the anonymous record index: 32 bytes per id, so 64 KiB per call. */
const ID_PAGE = 2000;

export interface RecordInfoView {
  id: string;
  address: string;
  scope: string;
  ownerAccount: string;
  ownerKeyImage: string;
  contentHash: string;
  locator: string;
  createdAt: number;
  institutions: string[];
}

export interface GrantView {
  record: string;
  id: string;
  contentHash: string;
  locator: string;
  createdAt: number;
  wrappedKey: string;
}

export interface InstitutionView {
  accessList: string;
  certified: boolean;
  /** 0x-hex; "0x" when the institution was never certified. */
  encryptionKey: string;
}

/** Every MedRing contract's custom errors, to name a revert (e.g. `MedicalRecordInstitutionNotCertified(0x…)`). */
const REVERTS = RevertDecoder.fromInterfaces([
  IMedRingRegistry__factory.createInterface(),
  IMedicalRecord__factory.createInterface(),
  IAccessList__factory.createInterface(),
  IPatientRegister__factory.createInterface(),
  FORWARDING_ABI,
]);

/** Why a call or transaction of the client reverted: the custom error with its arguments when it is known. */
export function revertReason(err: unknown): string {
  const e = err as { shortMessage?: string; message?: string; data?: unknown; revert?: { name: string; args: unknown[] } };
  return e.revert ? formatRevert(e.revert) : (REVERTS.name(e.data) ?? e.shortMessage ?? String(e.message));
}

/** Turns an RPC failure into ClientError: "refused" for a revert (with the custom error named), else "unavailable". */
async function rpc<T>(url: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ClientError) throw err;
    const e = err as { code?: string; shortMessage?: string; message?: string };
    if (e.code === "CALL_EXCEPTION") throw new ClientError("refused", `${what} reverts: ${revertReason(err)}`, "reverted");
    throw new ClientError("unavailable", `RPC ${url}: ${what} failed (${e.shortMessage ?? e.message})`);
  }
}

export class MedRingChain {
  private constructor(
    readonly rpcUrl: string,
    readonly provider: JsonRpcProvider,
    readonly chainId: bigint,
    readonly registry: IMedRingRegistry,
    readonly registryAddress: string,
    readonly forwarder: Contract,
    readonly forwarderAddress: string,
  ) {}

  /** Connects to `rpcUrl` and checks that `registryAddress` is a contract there; reads its trusted forwarder. */
  static async connect(rpcUrl: string, registryAddress: string): Promise<MedRingChain> {
    // No response cache: a read right after a transaction (a nonce, an ALC page) must see it.
    const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 250 });
    try {
      const chainId = BigInt(await rpc(rpcUrl, "eth_chainId", () => provider.send("eth_chainId", [])));
      if ((await rpc(rpcUrl, "eth_getCode", () => provider.getCode(registryAddress))) === "0x") {
        throw new ClientError("input", `no contract at registry address ${registryAddress} on chain ${chainId} (${rpcUrl})`);
      }
      const registry = IMedRingRegistry__factory.connect(registryAddress, provider);
      const forwarderAddress: string = await rpc(rpcUrl, "trustedForwarder", () => new Contract(registryAddress, FORWARDING_ABI, provider).trustedForwarder());
      const forwarder = new Contract(forwarderAddress, FORWARDING_ABI, provider);
      return new MedRingChain(rpcUrl, provider, chainId, registry, registryAddress, forwarder, forwarderAddress);
    } catch (err) {
      provider.destroy();
      throw err;
    }
  }

  close(): void {
    this.provider.destroy();
  }

  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return rpc(this.rpcUrl, what, fn);
  }

  async latestTimestamp(): Promise<bigint> {
    const block = await this.call("eth_getBlockByNumber", () => this.provider.getBlock("latest"));
    if (!block) throw new ClientError("unavailable", `RPC ${this.rpcUrl}: no latest block`);
    return BigInt(block.timestamp);
  }

  async ringPolicy(): Promise<{ min: number; max: number }> {
    const [min, max] = await this.call("ringPolicy", () => this.registry.ringPolicy());
    return { min: Number(min), max: Number(max) };
  }

  /** Every registered ring key (the anonymity set), read page by page from the registry. */
  async ringMembers(): Promise<Point[]> {
    const total = Number(await this.call("ringMemberCount", () => this.registry.ringMemberCount()));
    const members: Point[] = [];
    for (let offset = 0; offset < total; offset += PAGE) {
      const page = await this.call("ringMembers", () => this.registry.ringMembers(offset, PAGE));
      for (const m of page) members.push(Point.fromAffine({ x: m.x, y: m.y }));
    }
    return members;
  }

  /**
   * Every member's public admitter, from the `PatientRegistered` events (one eth_getLogs over the whole chain):
   * position in the anonymity set (memberIndex) → the ring key and the admitter, lower-case.
   */
  async memberAdmitters(): Promise<Map<number, { x: bigint; y: bigint; admitter: string }>> {
    const events = await this.call("eth_getLogs PatientRegistered", () => this.registry.queryFilter(this.registry.filters.PatientRegistered()));
    const byIndex = new Map<number, { x: bigint; y: bigint; admitter: string }>();
    for (const e of events) byIndex.set(Number(e.args.memberIndex), { x: e.args.ringKeyX, y: e.args.ringKeyY, admitter: e.args.admitter.toLowerCase() });
    return byIndex;
  }

  /** keccak256 of anonymous record `recordId`'s ring as the registry keeps it (0 for an identified or unknown record). */
  recordRingHash(recordId: string): Promise<string> {
    return this.call("recordRingHash", () => this.registry.recordRingHash(recordId));
  }

  registerOf(patient: string): Promise<string> {
    return this.call("registerOf", () => this.registry.registerOf(patient));
  }

  ringNonce(recordId: string): Promise<bigint> {
    return this.call("ringNonce", () => this.registry.ringNonce(recordId));
  }

  /** The MRC of record `id`, or undefined. */
  async recordAddress(recordId: string): Promise<string | undefined> {
    const address = await this.call("recordOf", () => this.registry.recordOf(recordId));
    return address === ZeroAddress ? undefined : address;
  }

  /** The owner of the MRC at `record`: an account, or (account 0) a key-image hash. */
  async recordOwner(record: string): Promise<{ account: string; keyImage: string }> {
    const [account, keyImage] = await this.call("owner", () => IMedicalRecord__factory.connect(record, this.provider).owner());
    return { account, keyImage };
  }

  /**
   * MRC `query()`. An identified record answers its owner account only, so `caller` is given for those; for an
   * anonymous record it must be omitted: the request then carries no `from`, and nothing that names the patient
   * (docs/design.md#who-learns-what).
   */
  async recordInfo(record: string, caller?: string): Promise<RecordInfoView> {
    const mrc = IMedicalRecord__factory.connect(record, this.provider);
    const info = await this.call("query", () => (caller === undefined ? mrc.query() : mrc.query({ from: caller })));
    return {
      id: info.id,
      address: record,
      scope: info.scope,
      ownerAccount: info.ownerAccount,
      ownerKeyImage: info.ownerKeyImage,
      contentHash: info.contentHash,
      locator: info.locator,
      createdAt: Number(info.createdAt),
      institutions: [...info.institutions],
    };
  }

  /**
   * Every anonymous record id (lower case), read in bulk from the registry's public index: a patient's client
   * matches its own records locally, so the node never learns which ids it cares about (src/client/discovery.ts).
   */
  async anonymousRecordIds(): Promise<Set<string>> {
    const total = Number(await this.call("anonymousRecordCount", () => this.registry.anonymousRecordCount()));
    const ids = new Set<string>();
    for (let offset = 0; offset < total; offset += ID_PAGE) {
      const page = await this.call("anonymousRecords", () => this.registry.anonymousRecords(offset, ID_PAGE));
      for (const id of page) ids.add(id.toLowerCase());
    }
    return ids;
  }

  /**
   * The ring anonymous record `recordId` was created with (IMedRingRegistry "One ring per record"), from its
   * `RecordRingFixed` event, checked against the hash the registry keeps. Every later ring-signed action on the
   * record must present exactly this ring.
   */
  async recordRing(recordId: string): Promise<Point[]> {
    const [events, expected] = await Promise.all([
      this.call("eth_getLogs RecordRingFixed", () => this.registry.queryFilter(this.registry.filters.RecordRingFixed(recordId))),
      this.recordRingHash(recordId),
    ]);
    if (events.length === 0) throw new ClientError("input", `no RecordRingFixed event for record ${recordId} (not an anonymous record?)`);
    const ring = events[0].args.ring.map((m) => Point.fromAffine({ x: m.x, y: m.y }));
    if (ringHash(ring).toLowerCase() !== expected.toLowerCase()) {
      throw new ClientError("integrity", `the ring in record ${recordId}'s RecordRingFixed event does not hash to the registry's recordRingHash`);
    }
    return ring;
  }

  /** Whether `account` may sign admissions now (a certified institution or an ADMITTER_ROLE holder). */
  isAdmitter(account: string): Promise<boolean> {
    return this.call("isAdmitter", () => this.registry.isAdmitter(account));
  }

  /**
   * The record's ciphertext from its `RecordCreated` event (locator "medring:event", IMedRingRegistry). Other
   * locators (content-addressed stores) are not fetched by this client.
   */
  async recordCiphertext(recordId: string): Promise<Uint8Array> {
    const events = await this.call("eth_getLogs RecordCreated", () => this.registry.queryFilter(this.registry.filters.RecordCreated(recordId)));
    if (events.length === 0) throw new ClientError("input", `no RecordCreated event for record ${recordId}`);
    const bytes = getBytes(events[0].args.ciphertext);
    if (bytes.length === 0)
      throw new ClientError(
        "input",
        `record ${recordId} keeps its ciphertext off chain (locator ${events[0].args.locator}); this client reads inline ciphertexts only`,
      );
    return bytes;
  }

  async institution(address: string): Promise<InstitutionView> {
    const info = await this.call("institutionInfo", () => this.registry.institutionInfo(address));
    return { accessList: info.accessList, certified: info.certified, encryptionKey: info.encryptionKey };
  }

  /** Every record granted to `institution` (its ALC's `getData`, called as the institution), page by page. */
  async grants(institution: string): Promise<GrantView[]> {
    const { accessList } = await this.institution(institution);
    if (accessList === ZeroAddress) return [];
    const alc = IAccessList__factory.connect(accessList, this.provider);
    const total = Number(await this.call("recordCount", () => alc.recordCount()));
    const grants: GrantView[] = [];
    for (let offset = 0; offset < total; offset += PAGE) {
      const page = await this.call("getData", () => alc.getData(offset, PAGE, { from: institution }));
      for (const g of page) {
        grants.push({ record: g.record, id: g.id, contentHash: g.contentHash, locator: g.locator, createdAt: Number(g.createdAt), wrappedKey: g.wrappedKey });
      }
    }
    return grants;
  }

  forwarderNonce(account: string): Promise<bigint> {
    return this.call("forwarder nonces", () => this.forwarder.nonces(account) as Promise<bigint>);
  }

  /**
   * Gas for `data` called on `to` by the forwarder on behalf of `from` (ERC-2771 appends the 20-byte sender to
   * the calldata). A revert here is the callee's refusal, decoded by the relayer later; it is reported as is.
   */
  estimateForwardedGas(from: string, to: string, data: string): Promise<bigint> {
    return this.call(`estimateGas ${to}`, () => this.provider.estimateGas({ from: this.forwarderAddress, to, data: data + from.slice(2).toLowerCase() }));
  }
}

/** A ring key (x, y) as the relayer's `registerPatient` args want it: two bytes32 hex strings. */
export function affineArgs(point: Point): { x: string; y: string } {
  const { x, y } = point.toAffine();
  return { x: toBeHex(x, 32), y: toBeHex(y, 32) };
}
