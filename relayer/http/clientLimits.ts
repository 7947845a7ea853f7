import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { TrustProxy } from "../config";
import { errorBody } from "../errors";
import type { RelayerMetrics } from "../metrics";

/**
 * The limits that keep one client from starving the others (README "Security model", relayer/README.md "Slow and
 * greedy clients"). Order matters: the per-IP limits run first, so that a client holding many slow requests is
 * refused at its own budget before it can fill the global one that every other client shares.
 */

/** Express's `trust proxy` setting for `t`: false, a hop count or a list of addresses, never a blanket true. */
export function expressTrustProxy(t: TrustProxy): boolean | number | string[] {
  return t.kind === "none" ? false : t.kind === "hops" ? t.hops : t.addresses;
}

/** The key the per-IP limits count under: req.ip (after the trusted proxies), IPv6 grouped by /56 as the rate limiter does. */
export function clientKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? "unknown");
}

/** At most `max` requests of one client in progress at once (a request whose body is still arriving counts); 429 beyond. */
export function perClientConcurrency(max: number, metrics: RelayerMetrics): RequestHandler {
  const inProgress = new Map<string, number>();
  return (req: Request, res: Response, next: NextFunction) => {
    const key = clientKey(req);
    const n = inProgress.get(key) ?? 0;
    if (n >= max) {
      refusedAtIntake(req, metrics);
      res.status(429).json(errorBody("rate_limited", "too many requests from this address in progress at once; wait for them"));
      return;
    }
    inProgress.set(key, n + 1);
    res.on("close", () => {
      const left = (inProgress.get(key) ?? 1) - 1;
      if (left === 0) inProgress.delete(key);
      else inProgress.set(key, left);
    });
    next();
  };
}

/** At most `perMinute` requests of one client per minute, on every route; 429 beyond. */
export function perClientRate(perMinute: number, metrics: RelayerMetrics): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    keyGenerator: clientKey,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (req, res) => {
      refusedAtIntake(req, metrics);
      res.status(429).json(errorBody("rate_limited", "too many requests from this address; slow down"));
    },
  });
}

/** At most `max` requests of all clients in progress at once; 503 beyond (load shedding instead of queueing). */
export function globalConcurrency(max: number): RequestHandler {
  let inProgress = 0;
  return (_req: Request, res: Response, next: NextFunction) => {
    if (inProgress >= max) {
      res.status(503).json(errorBody("overloaded", "too many requests in progress; retry shortly"));
      return;
    }
    inProgress++;
    res.on("close", () => inProgress--);
    next();
  };
}

function refusedAtIntake(req: Request, metrics: RelayerMetrics): void {
  if (req.method === "POST" && req.path === "/v1/submissions") metrics.submissions.inc({ outcome: "rejected_rate_limited" });
}
