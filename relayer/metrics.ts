import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type { Histogram } from "prom-client";

/**
 * The relayer's metrics (docs/design.md, relayer invariants: submissions by outcome, gas spent, queue depth,
 * confirmation latency, balance), on a prom-client registry of their own (one per relayer started, as the tests start
 * several in one process), with prom-client's default process metrics (CPU, memory, event-loop lag, GC). The names are
 * the ones dashboards use; they predate the library and must not change.
 */
export interface RelayerMetrics {
  registry: Registry;
  submissions: Counter<"outcome">; // accepted | duplicate | verified | rejected_<code>
  jobsFinal: Counter<"status">; // confirmed | failed | expired | done_elsewhere
  gasSpent: Counter; // gas units of mined relayer transactions
  feesSpentWei: Counter;
  confirmationSeconds: Histogram; // accept → confirmed
  acceptanceStepSeconds: Histogram<"step">; // the pipeline's steps of a submission (pipeline/steps.ts)
  sendStepSeconds: Histogram<"step">; // check (the full eth_call before signing) | broadcast (eth_sendRawTransaction)
  queueDepth: Gauge<"status">;
  balanceWei: Gauge<"signer">;
  /** Errors of the stubbed acceptance eth_call other than "overrides unsupported": retried, the stub stays on (chain/verifierStub.ts). */
  verifierStubErrors: Counter;
  /** Ring jobs whose gas estimate exceeded their honest bound (pipeline/actionGasBound.ts): refused at acceptance or failed unsent. */
  gasOverBound: Counter<"stage">; // acceptance | send
  /** Sends found stale (their call would now revert) before a fee bump or re-broadcast, and cancelled instead (submitter/lane.ts). */
  staleSends: Counter;
}

export function createRelayerMetrics(): RelayerMetrics {
  const registers = [new Registry()];
  collectDefaultMetrics({ register: registers[0] });
  return {
    registry: registers[0],
    submissions: new Counter({ name: "medring_relayer_submissions_total", help: "Submissions by outcome", labelNames: ["outcome"], registers }),
    jobsFinal: new Counter({ name: "medring_relayer_jobs_final_total", help: "Jobs that reached a final state, by status", labelNames: ["status"], registers }),
    gasSpent: new Counter({ name: "medring_relayer_gas_used_total", help: "Gas used by mined relayer transactions", registers }),
    feesSpentWei: new Counter({ name: "medring_relayer_fees_wei_total", help: "Fees paid by mined relayer transactions, wei", registers }),
    confirmationSeconds: new Histogram({
      name: "medring_relayer_confirmation_seconds",
      help: "Time from acceptance to confirmation",
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
      registers,
    }),
    acceptanceStepSeconds: new Histogram({
      name: "medring_relayer_acceptance_step_seconds",
      help: "Time of each step of checking and storing a submission",
      labelNames: ["step"],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers,
    }),
    sendStepSeconds: new Histogram({
      name: "medring_relayer_send_step_seconds",
      help: "Time of the node calls a lane makes to send a job: the check before signing, the broadcast",
      labelNames: ["step"],
      buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10],
      registers,
    }),
    queueDepth: new Gauge({ name: "medring_relayer_queue_depth", help: "Jobs by status that are not final", labelNames: ["status"], registers }),
    balanceWei: new Gauge({ name: "medring_relayer_balance_wei", help: "Relayer signer balance, wei", labelNames: ["signer"], registers }),
    verifierStubErrors: new Counter({
      name: "medring_relayer_verifier_stub_errors_total",
      help: "Errors of the stubbed acceptance simulation other than unsupported overrides (retried; the stub stays on)",
      registers,
    }),
    gasOverBound: new Counter({
      name: "medring_relayer_gas_over_bound_total",
      help: "Ring jobs whose gas estimate exceeded what honest inputs of their shape cost: refused at acceptance or failed unsent, by stage",
      labelNames: ["stage"],
      registers,
    }),
    staleSends: new Counter({
      name: "medring_relayer_stale_sends_total",
      help: "Sends whose call would now revert, found before a fee bump or re-broadcast and cancelled instead of paid for",
      registers,
    }),
  };
}
