import type { Request, Response } from "express";
import type { AppContext } from "../context";

/** GET /healthz: the process is alive and serving. */
export function healthz() {
  return (_req: Request, res: Response): void => {
    res.json({ status: "ok" });
  };
}

/** How long /readyz waits for the node: a probe must answer quickly even when the node hangs. */
const READY_RPC_TIMEOUT_MS = 2_000;

/** GET /readyz: the RPC endpoint answers (within READY_RPC_TIMEOUT_MS) and the store is usable; 503 otherwise. */
export function readyz(ctx: AppContext) {
  return async (_req: Request, res: Response): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const rpc = await Promise.race([
      ctx.provider.send("eth_blockNumber", []).then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), READY_RPC_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    let store = true;
    try {
      ctx.store.ping();
    } catch {
      store = false;
    }
    const ok = rpc && store;
    res.status(ok ? 200 : 503).json({ status: ok ? "ready" : "not_ready", checks: { rpc, store } });
  };
}
