import type { Histogram } from "../metrics";

/**
 * The steps of accepting a submission, timed one by one into `medring_relayer_acceptance_step_seconds{step}`, so
 * that where the acceptance time goes is measured where it is spent (`npm run bench:relayer` reads them under load).
 *   decode      MRS-1 point decoding of the signature on the event loop (pipeline step 3)
 *   penalty     the signer's suspension, read from the store
 *   membership  ring membership (cached registry reads) of a new record's ring
 *   record_ring the record's fixed ring (`recordRingHash`, one node read) for a later action
 *   verify      MRS-1 verification and hints in a worker, including the wait for a free worker and the hand-off
 *   calldata    the registry call's ABI encoding
 *   replay      idempotency and replay slots, read from the store
 *   simulation  the acceptance simulation on the node
 *   insert      the durable insert (with the atomic replay check)
 *   total       the whole request, from the parsed body to the answer
 */
export type AcceptanceStep = "decode" | "penalty" | "membership" | "record_ring" | "verify" | "calldata" | "replay" | "simulation" | "insert" | "total";

/** One frozen label object per step (no object built per observation on the hot path). */
const LABELS = new Map<AcceptanceStep, Readonly<{ step: AcceptanceStep }>>();

export async function timeStep<T>(steps: Histogram<"step">, step: AcceptanceStep, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    let labels = LABELS.get(step);
    if (!labels) LABELS.set(step, (labels = Object.freeze({ step })));
    steps.observe(labels, (performance.now() - started) / 1000);
  }
}
