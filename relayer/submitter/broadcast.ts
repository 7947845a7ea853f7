import type { JsonRpcProvider } from "ethers";

/** What a node's answer to eth_sendRawTransaction means for the submitter. */
export type BroadcastResult =
  | "sent" // accepted now
  | "known" // the node already has it ("already known", "known transaction"): fine
  | "nonce_too_low" // the nonce is used: by one of our attempts (find its receipt) or by someone else
  | "underpriced" // another transaction holds the nonce in the mempool ("replacement transaction underpriced")
  | "fee_too_low" // maxFeePerGas below the base fee
  | "insufficient_funds"
  | "unreachable"; // transport error: try again later

/** Error messages differ between clients (geth, Hardhat/EDR, Nethermind, Besu); these substrings cover them. */
const PATTERNS: [RegExp, BroadcastResult][] = [
  [/already known|known transaction|already imported|AlreadyKnown|already in the mempool/i, "known"],
  [/nonce too low|nonce has already been used|OldNonce|Nonce too low/i, "nonce_too_low"],
  [/replacement (transaction )?underpriced|replacement fee too low|ReplacementUnderpriced/i, "underpriced"],
  [/max fee per gas less than block base fee|fee cap less than block base fee|FeeTooLow|is too low for the next block/i, "fee_too_low"],
  [/insufficient funds/i, "insufficient_funds"],
];

export async function broadcastRaw(provider: JsonRpcProvider, raw: string): Promise<BroadcastResult> {
  try {
    await provider.send("eth_sendRawTransaction", [raw]);
    return "sent";
  } catch (err) {
    const e = err as { message?: string; info?: { error?: { message?: string } }; error?: { message?: string } };
    const text = [e.info?.error?.message, e.error?.message, e.message].filter(Boolean).join(" | ");
    for (const [re, result] of PATTERNS) if (re.test(text)) return result;
    return "unreachable";
  }
}
