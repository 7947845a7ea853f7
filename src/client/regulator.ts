/**
 * The regulator's actions (REGULATOR_ROLE): certify and decertify institutions, set admitters' quotas. The regulator is an
 * administrator with its own funded account, and the relayer forwards only patients' and institutions' actions,
 * so these are ordinary transactions sent from the regulator's account (not through the relayer).
 */
import { Wallet, type TransactionRequest } from "ethers";
import { bytesToHex } from "../hex";
import type { RegulatorKeys } from "../keys";
import { revertReason, type MedRingChain } from "./chain";
import { ClientError } from "./errors";

export interface SentTransaction {
  txHash: string;
  blockNumber: number;
  gasUsed: string;
}

export function certifyTransaction(chain: MedRingChain, institution: string, encryptionKey: string): TransactionRequest {
  return { to: chain.registryAddress, data: chain.registry.interface.encodeFunctionData("certifyInstitution", [institution, encryptionKey]) };
}

/** The admitter may admit `quota` patients in all (IMedRingRegistry.setAdmissionQuota; below its count stops it). */
export function admissionQuotaTransaction(chain: MedRingChain, admitter: string, quota: bigint): TransactionRequest {
  return { to: chain.registryAddress, data: chain.registry.interface.encodeFunctionData("setAdmissionQuota", [admitter, quota]) };
}

export function decertifyTransaction(chain: MedRingChain, institution: string): TransactionRequest {
  return { to: chain.registryAddress, data: chain.registry.interface.encodeFunctionData("decertifyInstitution", [institution]) };
}

/**
 * Simulates (a revert is refused with the registry's custom error), sends from the regulator and waits for the
 * receipt; `onSent` hears the transaction hash as soon as the node has it.
 */
export async function sendAsRegulator(
  chain: MedRingChain,
  keys: RegulatorKeys,
  tx: TransactionRequest,
  onSent?: (txHash: string) => void,
): Promise<SentTransaction> {
  const wallet = new Wallet(bytesToHex(keys.accountKey), chain.provider);
  const request = { ...tx, from: wallet.address };
  try {
    await chain.provider.call(request);
  } catch (err) {
    throw new ClientError("refused", `the registry refuses: ${revertReason(err)}`, "reverted");
  }
  let receipt;
  try {
    const sent = await wallet.sendTransaction(request);
    onSent?.(sent.hash);
    receipt = await sent.wait();
  } catch (err) {
    throw new ClientError("unavailable", `sending from ${wallet.address} failed: ${(err as { shortMessage?: string }).shortMessage ?? (err as Error).message}`);
  }
  if (!receipt || receipt.status !== 1) throw new ClientError("refused", `transaction ${receipt?.hash} reverted`, "reverted");
  return { txHash: receipt.hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed.toString() };
}
