import { FetchRequest, JsonRpcProvider, Network } from "ethers";

/**
 * The relayer's JSON-RPC connection. The network is fixed after the first successful `eth_chainId`
 * (`staticNetwork`), so an RPC outage makes calls fail fast instead of ethers retrying network detection
 * forever; every request is bounded by `timeoutMs` (ethers' default is five minutes, which would hold a
 * request, the submitter tick and /readyz that long against a node that accepts connections but never
 * answers); response caching is off because the submitter polls for fresh state.
 */
export async function connectRpc(
  url: string,
  opts: { attempts: number; delayMs: number; timeoutMs: number },
): Promise<{ provider: JsonRpcProvider; chainId: bigint }> {
  let lastError: unknown;
  for (let i = 0; i < opts.attempts; i++) {
    try {
      const chainId = await rawChainId(url);
      const request = new FetchRequest(url);
      request.timeout = opts.timeoutMs;
      const provider = new JsonRpcProvider(request, Network.from(chainId), { staticNetwork: true, cacheTimeout: -1, batchMaxCount: 1 });
      return { provider, chainId };
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, opts.delayMs));
    }
  }
  throw new Error(`JSON-RPC endpoint ${url} unreachable after ${opts.attempts} attempts: ${(lastError as Error)?.message}`);
}

async function rawChainId(url: string): Promise<bigint> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { result?: string; error?: { message: string } };
  if (typeof body.result !== "string") throw new Error(body.error?.message ?? "eth_chainId returned no result");
  return BigInt(body.result);
}
