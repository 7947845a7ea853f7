/**
 * Independent sources of the anonymity set and of records' fixed rings (README "Security model"): the client's
 * RPC node, the relayer's view (GET /v1/ring/members, GET /v1/records/{id}/ring), or a second RPC node the user
 * names. ./anonymityGuard.ts uses only what every source agrees on.
 */
import { Point, pointToHex } from "../mrs1";
import type { MedRingChain } from "./chain";
import { ClientError } from "./errors";
import type { RelayerClient } from "./relayerClient";

/** A member of the anonymity set: its ring key, the key's compressed hex and its public admitter (both lower-case). */
export interface Member {
  key: Point;
  hex: string;
  admitter: string;
}

export interface RingSource {
  /** Shown in refusals: which source disagreed. */
  readonly name: string;
  /** The whole anonymity set, in registration order, with each member's admitter. */
  members(): Promise<Member[]>;
  /** The registry's hash of anonymous record `recordId`'s fixed ring (zero for an identified or unknown record). */
  recordRingHash(recordId: string): Promise<string>;
}

export function memberOf(key: Point, admitter: string): Member {
  return { key, hex: pointToHex(key).toLowerCase(), admitter: admitter.toLowerCase() };
}

/**
 * An RPC node: the members from `ringMembers`, their admitters from the `PatientRegistered` events. The two must
 * name the same key at every position, else the node contradicts itself.
 */
export function rpcRingSource(chain: MedRingChain, name = `RPC node ${chain.rpcUrl}`): RingSource {
  return {
    name,
    async members() {
      const [keys, admitters] = await Promise.all([chain.ringMembers(), chain.memberAdmitters()]);
      return keys.map((key, i) => {
        const event = admitters.get(i);
        const { x, y } = key.toAffine();
        if (event === undefined || event.x !== x || event.y !== y) {
          throw new ClientError("anonymity", `${name}: member ${i} of ringMembers has no matching PatientRegistered event; refusing this anonymity set`);
        }
        return memberOf(key, event.admitter);
      });
    },
    recordRingHash: (recordId) => chain.recordRingHash(recordId),
  };
}

/** Page size of GET /v1/ring/members (the relayer's maximum). */
const RELAYER_PAGE = 500;

/** The relayer's view of the chain: the same registry read through its own node. */
export function relayerRingSource(relayer: RelayerClient, name = `relayer ${relayer.baseUrl}`): RingSource {
  return {
    name,
    async members() {
      const members: Member[] = [];
      for (let total = Infinity; members.length < total;) {
        const page = await relayer.ringMembers(members.length, RELAYER_PAGE);
        total = page.total;
        if (page.members.length === 0 && members.length < total) {
          throw new ClientError("anonymity", `${name}: reports ${total} members but stops at ${members.length}; refusing this anonymity set`);
        }
        for (const m of page.members) members.push(memberOf(Point.fromAffine({ x: BigInt(m.x), y: BigInt(m.y) }), m.admitter));
      }
      return members;
    },
    recordRingHash: async (recordId) => (await relayer.recordRing(recordId)).ringHash,
  };
}
