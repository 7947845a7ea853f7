import type { Request, Response } from "express";
import type { AppContext } from "../context";

/** GET /healthz: the process is alive and serving. */
export function healthz() {
  return (_req: Request, res: Response): void => {
    res.json({ status: "ok" });
  };
}

/** How long /readyz waits for the node and the store: a probe must answer quickly even when either hangs. */
const READY_TIMEOUT_MS = 2_000;

/** Whether `check` succeeds within READY_TIMEOUT_MS. */
async function within(check: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const ok = await Promise.race([
    check().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  return ok;
}

/** GET /readyz: the RPC endpoint answers and the store is usable, each within READY_TIMEOUT_MS; 503 otherwise. */
export function readyz(ctx: AppContext) {
  return async (_req: Request, res: Response): Promise<void> => {
    const [rpc, store] = await Promise.all([within(() => ctx.provider.send("eth_blockNumber", [])), within(() => ctx.store.ping())]);
    const ok = rpc && store;
    res.status(ok ? 200 : 503).json({ status: ok ? "ready" : "not_ready", checks: { rpc, store } });
  };
}
