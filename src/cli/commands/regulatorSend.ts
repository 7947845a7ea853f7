import type { TransactionRequest } from "ethers";
import { Wallet } from "ethers";
import { sendAsRegulator, type MedRingChain, type SentTransaction } from "../../client";
import { bytesToHex } from "../../hex";
import type { RegulatorKeys } from "../../keys";
import type { CommandContext } from "../context";
import type { Network } from "../options";
import { progress, waiting, withClient } from "../session";

/** --dry-run of a regulator command: the transaction it would send, as JSON. */
export function printTransaction(from: string, tx: TransactionRequest, context: CommandContext): void {
  context.stdout(JSON.stringify({ from, to: tx.to, data: tx.data }, null, 2) + "\n");
}

/** Builds the regulator's transaction, prints it (--dry-run) or sends it, then reports with `report`. */
export async function regulatorSends(
  network: Network,
  keys: RegulatorKeys,
  context: CommandContext,
  build: (chain: MedRingChain) => TransactionRequest,
  dryRun: boolean | undefined,
  report: (chain: MedRingChain, sent: SentTransaction) => Promise<{ text: string; json: Record<string, unknown> }>,
): Promise<void> {
  await withClient(network, context, async (client) => {
    const tx = build(client.chain);
    const from = new Wallet(bytesToHex(keys.accountKey)).address;
    if (dryRun) return printTransaction(from, tx, context);
    waiting(context, `simulating, then signing as the regulator ${from}`);
    const sent = await sendAsRegulator(client.chain, keys, tx, (txHash) => {
      progress(context, `sent: tx ${txHash}`);
      waiting(context, "waiting for it to be mined");
    });
    progress(context, `mined: tx ${sent.txHash} (block ${sent.blockNumber}, gas ${sent.gasUsed})`);
    const out = await report(client.chain, sent);
    context.stdout(network.json ? JSON.stringify(out.json) + "\n" : out.text + "\n");
  });
}
