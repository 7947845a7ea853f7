import path from "node:path";
import { Worker } from "node:worker_threads";
import { ApiError } from "../errors";
import type { VerifyOutcome, VerifyTask } from "./verifyWorker";

/**
 * A fixed pool of worker threads for MRS-1 verification (relayer/README.md, pipeline step 3: verification must stay off the event
 * loop). Under ts-node (tests, `npm run relayer`) the worker is TypeScript, so it is started through a tiny
 * JavaScript bootstrap that registers ts-node (transpile only: the main process has type-checked) first.
 */
export class VerifyPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: { task: VerifyTask; resolve: (o: VerifyOutcome) => void; reject: (e: Error) => void }[] = [];
  private readonly pending = new Map<number, { resolve: (o: VerifyOutcome) => void; reject: (e: Error) => void; worker: Worker }>();
  private nextId = 1;
  private closed = false;

  /**
   * @param size worker threads.
   * @param maxQueued signatures that may wait for a worker; beyond that `verify` refuses at once with 503 busy, so
   *        a flood of forged signatures cannot queue unbounded work (or memory) behind the honest ones.
   */
  constructor(
    size: number,
    private readonly maxQueued = Number.MAX_SAFE_INTEGER,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`VerifyPool: size must be a positive integer, got ${size}`);
    for (let i = 0; i < size; i++) this.spawn();
  }

  private spawn(): void {
    const file = path.join(__dirname, `verifyWorker${path.extname(__filename)}`);
    const worker = file.endsWith(".ts")
      ? new Worker(`require("ts-node").register({ transpileOnly: true }); require(${JSON.stringify(file)});`, { eval: true })
      : new Worker(file);
    worker.unref();
    worker.on("message", (o: VerifyOutcome) => {
      const p = this.pending.get(o.id);
      if (!p) return;
      this.pending.delete(o.id);
      p.resolve(o);
      this.release(worker);
    });
    worker.on("error", (err) => this.fail(worker, err));
    worker.on("exit", (code) => {
      if (!this.closed) this.fail(worker, new Error(`verify worker exited with code ${code}`));
    });
    this.workers.push(worker);
    this.idle.push(worker);
  }

  /** A worker died: fail its task, replace it. */
  private fail(worker: Worker, err: Error): void {
    for (const [id, p] of this.pending) {
      if (p.worker === worker) {
        this.pending.delete(id);
        p.reject(err);
      }
    }
    const i = this.workers.indexOf(worker);
    if (i < 0) return;
    this.workers.splice(i, 1);
    const j = this.idle.indexOf(worker);
    if (j >= 0) this.idle.splice(j, 1);
    if (!this.closed) {
      this.spawn();
      this.drain();
    }
  }

  private release(worker: Worker): void {
    this.idle.push(worker);
    this.drain();
  }

  private drain(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const worker = this.idle.pop()!;
      const { task, resolve, reject } = this.waiting.shift()!;
      this.pending.set(task.id, { resolve, reject, worker });
      worker.postMessage(task);
    }
  }

  /** Verifies one interchange-format signature (already schema-checked) in a worker. */
  verify(signature: unknown): Promise<VerifyOutcome> {
    if (this.closed) return Promise.reject(new Error("VerifyPool is closed"));
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(new ApiError("busy", "every signature verifier is busy; retry shortly", 1));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ task: { id: this.nextId++, signature }, resolve, reject });
      this.drain();
    });
  }

  get queued(): number {
    return this.waiting.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error("VerifyPool closed"));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
