/** Generating actor keys and deriving their public parts (address, encryption and ring public keys). */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { computeAddress } from "ethers";
import { encryptionPublicKey } from "../envelope";
import { bytesToHex } from "../hex";
import { generateKeyPair, pointToHex, publicKeyOf } from "../mrs1";
import type { ActorKeys, ActorPublicInfo, ActorRole } from "./types";

/** Fresh keys for `role`; each secret is uniform in [1, n-1] (the ring key from MRS-1 `generateKeyPair`). */
export function generateActorKeys<R extends ActorRole>(role: R): Extract<ActorKeys, { role: R }>;
export function generateActorKeys(role: ActorRole): ActorKeys {
  const accountKey = secp256k1.utils.randomSecretKey();
  if (role === "regulator") return { role, accountKey };
  const encryptionKey = secp256k1.utils.randomSecretKey();
  if (role === "institution") return { role, accountKey, encryptionKey };
  if (role === "patient") return { role, accountKey, encryptionKey, ringKey: generateKeyPair().secretKey };
  throw new TypeError(`generateActorKeys: unknown role ${JSON.stringify(role)}`);
}

/** The account address, as ethers v6 computes it (EIP-55 checksummed). */
export function accountAddress(accountKey: Uint8Array): string {
  return computeAddress(bytesToHex(accountKey));
}

/** MRS-1 spec §Keys: P = x·G, compressed SEC1 as the spec's interchange writers emit it. */
export function ringPublicKey(ringKey: bigint): `0x${string}` {
  return pointToHex(publicKeyOf(ringKey)) as `0x${string}`;
}

export function publicInfoOf(keys: ActorKeys): ActorPublicInfo {
  const info: ActorPublicInfo = { role: keys.role, address: accountAddress(keys.accountKey) };
  if (keys.role !== "regulator") info.encryptionPublicKey = bytesToHex(encryptionPublicKey(keys.encryptionKey)) as `0x${string}`;
  if (keys.role === "patient") info.ringPublicKey = ringPublicKey(keys.ringKey);
  return info;
}
