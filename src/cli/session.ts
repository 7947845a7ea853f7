/**
 * Running a command against the chain and the relayer: connect the SDK (src/client), report progress on
 * stderr, print the submission body (--dry-run) or send it and wait, and always close the RPC provider so the
 * process exits.
 */
import { MedRingClient, encodeSubmissionBody, type SubmissionBody, type SubmissionView } from "../client";
import type { CommandContext } from "./context";
import type { Network } from "./options";

/** One progress line on stderr (stdout stays clean for the result and for --json). */
export function progress(context: CommandContext, line: string): void {
  context.stderr(`· ${line}\n`);
}

export async function withClient<T>(network: Network, context: CommandContext, run: (client: MedRingClient) => Promise<T>): Promise<T> {
  const client = await MedRingClient.connect({ relayerUrl: network.relayerUrl, rpcUrl: network.rpcUrl, registry: network.registry });
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

/** What --dry-run prints: exactly the bytes a real run POSTs to /v1/submissions, and a newline. */
export function dryRunText(body: SubmissionBody): string {
  return encodeSubmissionBody(body) + "\n";
}

/**
 * --dry-run: prints the body and returns undefined (nothing is sent). Otherwise POSTs it and waits for the
 * relayer's final status, with a progress line per status change.
 */
export async function submitOrPrint(client: Pick<MedRingClient, "send">, body: SubmissionBody, dryRun: boolean | undefined, context: CommandContext): Promise<SubmissionView | undefined> {
  if (dryRun) {
    context.stdout(dryRunText(body));
    return undefined;
  }
  return client.send(body, (event) => {
    if (event.txHash) progress(context, `${event.status}: tx ${event.txHash}`);
    else progress(context, `${event.status}: submission ${event.id}`);
  });
}

/** The fields every submitting command reports about its transaction. */
export function submissionResult(view: SubmissionView): { submissionId: string; status: string; txHash: string | null; blockNumber: number | null; gasUsed: string | null } {
  return { submissionId: view.id, status: view.status, txHash: view.txHash, blockNumber: view.blockNumber, gasUsed: view.gasUsed };
}

/** "tx 0x… (block 12, gas 345678)" */
export function txLine(view: SubmissionView): string {
  return `tx ${view.txHash} (block ${view.blockNumber}, gas ${view.gasUsed})`;
}
