/**
 * Record scenarios shared by the tests and the benchmark: identified and anonymous creation, anonymous
 * warrant/unwarrant, each building the action's digest client-side and signing it with MRS-1.
 */
import { ethers } from "hardhat";
import type { Signer, TypedDataDomain } from "ethers";
import { Point, keyImage } from "../../../src/mrs1";
import type { RingAuthorizationStruct } from "../../../typechain-types/contracts/MedRingRegistry";
import { institutionEncryptionKey, type Patient, type World } from "./fixture";
import { anonymousRecordId, authorize, authorizeWithRing, keyImageHash, medRingDomain, ringActionDigest, type RingSigner } from "../../../src/actions";

/** Far enough in the future for any test; the deadline tests set their own. */
export const FAR_DEADLINE = 2n ** 40n;

export function randomScope(): string {
  return ethers.hexlify(ethers.randomBytes(32));
}

/** Opaque bytes standing in for a ciphertext, with its content hash (keccak256). */
export function fakeCiphertext(length = 120): { ciphertext: string; contentHash: string } {
  const ciphertext = ethers.hexlify(ethers.randomBytes(length));
  return { ciphertext, contentHash: ethers.keccak256(ciphertext) };
}

export async function domainOf(world: World) {
  const { chainId } = await ethers.provider.getNetwork();
  return medRingDomain(chainId, await world.registry.getAddress());
}

/** The decoys for a ring of `size` around `signer`: the first registered patients other than the signer. */
export function decoysFor(world: World, signer: Patient, size: number): Point[] {
  const decoys = world.patients
    .filter((p) => p !== signer)
    .slice(0, size - 1)
    .map((p) => p.keys.publicKey);
  if (decoys.length !== size - 1) throw new Error(`need ${size} registered patients, have ${world.patients.length}`);
  return decoys;
}

export async function createIdentifiedRecord(world: World, owner: Patient, scope = randomScope()) {
  const { ciphertext, contentHash } = fakeCiphertext();
  const tx = await world.registry.connect(owner.account).createRecord(scope, contentHash, "0x", ciphertext);
  const receipt = await tx.wait();
  const id = await world.registry.identifiedRecordIdOf(owner.account.address, scope);
  return { scope, id, record: await world.registry.recordOf(id), receipt, contentHash, ciphertext };
}

export interface AnonymousOptions {
  ringSize?: number;
  submitter?: Signer;
  ciphertext?: string;
  /** Replace the RingAuthorization just before submission (for negative tests). */
  tamper?: (auth: RingAuthorizationStruct) => RingAuthorizationStruct;
}

export interface CreationOptions {
  scope?: string;
  ciphertext?: string;
  nonce?: bigint;
  deadline?: bigint;
}

/**
 * A CreateRecord of `ciphertext` (fresh random bytes unless given) in `scope` (fresh unless given), signed by `signer`
 * with the ring {signer} ∪ `decoys` at `nonce` (0: a creation is a record's first action) and `deadline`. Not sent.
 */
export async function signCreation(world: World, signer: RingSigner, decoys: Point[], options: CreationOptions = {}) {
  const scope = options.scope ?? randomScope();
  const ciphertext = options.ciphertext ?? fakeCiphertext().ciphertext;
  const { nonce = 0n, deadline = FAR_DEADLINE } = options;
  const args = { scope, contentHash: ethers.keccak256(ciphertext), locator: "0x", ciphertext };
  const digest = ringActionDigest(await domainOf(world), "CreateRecord", { ...args, nonce, deadline });
  return { args, auth: authorize(signer, decoys, scope, digest, nonce, deadline) };
}

export async function createAnonymousRecord(world: World, signer: Patient, scope = randomScope(), options: AnonymousOptions = {}) {
  const decoys = decoysFor(world, signer, options.ringSize ?? 8);
  const { args, auth: signed } = await signCreation(world, signer.keys, decoys, { scope, ciphertext: options.ciphertext });
  const { contentHash, ciphertext } = args;
  const auth: RingAuthorizationStruct = options.tamper ? options.tamper(signed) : signed;
  const tx = await world.registry.connect(options.submitter ?? world.relayer).createRecordAnonymous(scope, contentHash, "0x", ciphertext, auth);
  const receipt = await tx.wait();
  const id = anonymousIdOf(auth, scope);
  return { scope, id, record: await world.registry.recordOf(id), receipt, contentHash, ciphertext, ring: ringOf(auth) };
}

/** The id of the anonymous record `auth`'s key image owns in `scope` (signer-bound, MedRingTypes.RecordId). */
export function anonymousIdOf(auth: RingAuthorizationStruct, scope: string): string {
  const { x, y } = auth.signature.keyImage;
  return anonymousRecordId(scope, keyImageHash(Point.fromAffine({ x: BigInt(x), y: BigInt(y) })));
}

/** The ring of `auth`'s signature as points (the ring a created record keeps). */
export function ringOf(auth: RingAuthorizationStruct): Point[] {
  return auth.signature.ring.map((m) => Point.fromAffine({ x: BigInt(m.x), y: BigInt(m.y) }));
}

/** The record id of `signer`'s anonymous record in `scope`, computed off chain. */
export function anonymousIdFor(signer: RingSigner, scope: string): string {
  return anonymousRecordId(scope, keyImageHash(keyImage(signer.secretKey, ethers.getBytes(scope))));
}

/** Signs a Warrant for `signer`'s anonymous record of `scope` with its current nonce and `ring` (the creation ring). */
export async function warrantAuth(
  world: World,
  signer: RingSigner,
  ring: Point[],
  scope: string,
  institution: string,
  wrappedKey: string,
  deadline = FAR_DEADLINE,
) {
  const nonce = await world.registry.ringNonce(anonymousIdFor(signer, scope));
  return signWarrant(signer, ring, { domain: await domainOf(world), scope, institution, wrappedKey, nonce, deadline });
}

/** What `signWarrant` signs: the Warrant's typed-data value, its EIP-712 domain and the MRS-1 scope to sign in. */
export interface WarrantValue {
  domain: TypedDataDomain;
  scope: string;
  institution: string;
  wrappedKey: string;
  nonce: bigint;
  deadline: bigint;
  /** The MRS-1 scope of the signature (its key image); the record's `scope` unless a test signs in another. */
  signingScope?: string;
}

/** Signs exactly the Warrant `value` describes with `ring`, for the negative tests that need a wrong nonce, domain or scope. */
export function signWarrant(signer: RingSigner, ring: Point[], value: WarrantValue) {
  const { domain, signingScope = value.scope, ...typed } = value;
  const digest = ringActionDigest(domain, "Warrant", typed);
  return authorizeWithRing(signer, ring, signingScope, digest, value.nonce, value.deadline);
}

/** Signs an Unwarrant for `signer`'s anonymous record of `scope` with its current nonce and `ring` (the creation ring). */
export async function unwarrantAuth(world: World, signer: RingSigner, ring: Point[], scope: string, institution: string, deadline = FAR_DEADLINE) {
  const nonce = await world.registry.ringNonce(anonymousIdFor(signer, scope));
  const digest = ringActionDigest(await domainOf(world), "Unwarrant", { scope, institution, nonce, deadline });
  return authorizeWithRing(signer, ring, scope, digest, nonce, deadline);
}

export async function certify(world: World, institution: Signer) {
  await (await world.registry.connect(world.regulator).certifyInstitution(await institution.getAddress(), institutionEncryptionKey())).wait();
  const [accessList] = await world.registry.accessListOf(await institution.getAddress());
  return accessList;
}
