import type { ServerOptions } from "node:http";
import type { RelayerConfig } from "../config";

/**
 * Node's HTTP server options that bound how long a client may hold a connection without finishing its request
 * (relayer/README.md "Slow and greedy clients"). Node's defaults (300 s for a request, no limit on a trickled body
 * between its bytes) let a few hundred slow uploads hold every slot for minutes.
 */
export function serverTimeouts(t: RelayerConfig["timeouts"]): ServerOptions {
  return {
    headersTimeout: t.headersSeconds * 1000,
    requestTimeout: t.requestSeconds * 1000,
    keepAliveTimeout: t.keepAliveSeconds * 1000,
    // How often Node looks for requests past the two timeouts above (default 30 s, coarser than the timeouts).
    connectionsCheckingInterval: 1000,
  };
}
