/**
 * Running a command against the chain and the relayer: connect the SDK (src/client), report progress (on a
 * terminal only: src/cli/progress.ts), print the submission body (--dry-run) or send it and wait, and always close
 * the RPC provider so the process exits.
 */
import {
  MedRingClient,
  MemoryAnonymityStore,
  encodeSubmissionBody,
  type AnonymityStore,
  type SubmissionBody,
  type SubmissionView,
  type SubmitProgress,
} from "../client";
import type { CommandContext } from "./context";
import type { Network } from "./options";

/** A milestone of the running command (a step it finished), shown on a terminal with the elapsed time. */
export function progress(context: CommandContext, line: string): void {
  context.progress?.report(line);
}

/** What the running command waits for now, shown on a terminal with a live clock until the next milestone. */
export function waiting(context: CommandContext, what: string): void {
  context.progress?.waiting(what);
}

/**
 * Connects, runs `run` and closes. `store` keeps the anonymity set seen so far and each scope's ring between runs:
 * commands that sign with a ring give the patient's file store (src/client/fileAnonymityStore.ts); the others sign
 * no ring, so a store that lasts for the command is enough.
 */
export async function withClient<T>(
  network: Network,
  context: CommandContext,
  run: (client: MedRingClient) => Promise<T>,
  store: AnonymityStore = new MemoryAnonymityStore(),
): Promise<T> {
  waiting(context, `connecting to the relayer ${network.relayerUrl} and the chain ${network.rpcUrl}`);
  const client = await MedRingClient.connect({
    relayerUrl: network.relayerUrl,
    rpcUrl: network.rpcUrl,
    registry: network.registry,
    checkRpcUrl: network.checkRpcUrl,
    ringFloor: network.ringFloor,
    store,
  });
  progress(context, `connected: chain ${client.chain.chainId}, registry ${client.chain.registryAddress}`);
  try {
    return await run(client);
  } finally {
    client.close();
  }
}

/**
 * `withClient` for the commands that sign with a ring: the anonymity set and each scope's ring are kept in the
 * patient's store file (--anonymity-store, default next to the key file), so that a later run, a retry included,
 * checks against what this one saw and signs a scope with the same ring again.
 */
export async function withRingClient<T>(
  network: Network,
  context: CommandContext,
  files: { key: string; anonymityStore?: string },
  run: (client: MedRingClient) => Promise<T>,
): Promise<T> {
  const { FileAnonymityStore, anonymityStorePathFor } = await import("../client/fileAnonymityStore");
  return withClient(network, context, run, new FileAnonymityStore(files.anonymityStore ?? anonymityStorePathFor(files.key)));
}

/** What --dry-run prints: exactly the bytes a real run POSTs to /v1/submissions, and a newline. */
export function dryRunText(body: SubmissionBody): string {
  return encodeSubmissionBody(body) + "\n";
}

/**
 * The relayer's job states (relayer/README.md, GET /v1/submissions/{id}) as milestones, each followed by what is
 * awaited next. A poll can miss a short-lived state (queued → mined); each state seen is reported once.
 */
export function submissionMilestone(event: Parameters<SubmitProgress>[0]): { done: string; next?: string } {
  switch (event.status) {
    case "queued":
      return { done: `accepted by the relayer: submission ${event.id}`, next: "waiting for the relayer to send the transaction" };
    case "submitted":
      return { done: `sent: tx ${event.txHash}`, next: "waiting for it to be mined" };
    case "mined":
      return { done: `mined in block ${event.blockNumber} (tx ${event.txHash})`, next: "waiting for confirmations" };
    case "confirmed":
      return { done: `confirmed: tx ${event.txHash}` };
    default:
      return { done: `${event.status}: submission ${event.id}` };
  }
}

/**
 * --dry-run: prints the body and returns undefined (nothing is sent). Otherwise POSTs it and waits for the
 * relayer's final status, with a milestone per status change.
 */
export async function submitOrPrint(
  client: Pick<MedRingClient, "send">,
  body: SubmissionBody,
  dryRun: boolean | undefined,
  context: CommandContext,
): Promise<SubmissionView | undefined> {
  if (dryRun) {
    context.stdout(dryRunText(body));
    return undefined;
  }
  waiting(context, "sending to the relayer (it checks the signature and simulates)");
  const view = await client.send(body, (event) => {
    if (event.status === "confirmed") return; // reported below, with the block and the gas of the final view
    const { done, next } = submissionMilestone(event);
    progress(context, done);
    if (next) waiting(context, next);
  });
  progress(context, `confirmed: ${txLine(view)}`);
  return view;
}

/** The fields every submitting command reports about its transaction. */
export function submissionResult(view: SubmissionView): {
  submissionId: string;
  status: string;
  txHash: string | null;
  blockNumber: number | null;
  gasUsed: string | null;
} {
  return { submissionId: view.id, status: view.status, txHash: view.txHash, blockNumber: view.blockNumber, gasUsed: view.gasUsed };
}

/** How a record action was signed, for its progress and result lines: with the record's fixed ring, or identified. */
export function signedHow(info: { anonymous: boolean; ringSize?: number }): string {
  return info.anonymous ? `anonymously, with the record's ring of ${info.ringSize}` : "identified";
}

/**
 * The end of a command that sends a prepared action: send it (or print it with --dry-run), then print the outcome,
 * as JSON (the action's info, what `jsonExtra` reads, the submission) or as the line `text`.
 */
export async function sendAndReport(
  client: Pick<MedRingClient, "send">,
  prepared: { body: SubmissionBody; info: object },
  how: { dryRun: boolean | undefined; network: Network; context: CommandContext; text: string; jsonExtra?: () => Promise<object> },
): Promise<void> {
  const view = await submitOrPrint(client, prepared.body, how.dryRun, how.context);
  if (!view) return;
  const extra = how.network.json && how.jsonExtra ? await how.jsonExtra() : {};
  how.context.stdout(how.network.json ? JSON.stringify({ ...prepared.info, ...extra, ...submissionResult(view) }) + "\n" : `${how.text}\n`);
}

/** "tx 0x… (block 12, gas 345678)" */
export function txLine(view: SubmissionView): string {
  return `tx ${view.txHash} (block ${view.blockNumber}, gas ${view.gasUsed})`;
}
