import http from "node:http";

/**
 * A JSON-RPC HTTP proxy in front of the test node that behaves like a node without `eth_call` state overrides while
 * `refuseOverrides` is set: an `eth_call` with a third parameter gets the JSON-RPC error -32602 (invalid params),
 * as clients answer a parameter they do not know; and, for `transientErrors` calls with overrides, a rate-limit error
 * (-32005) that says nothing about overrides. Everything else is forwarded unchanged.
 */
export class NoOverrideProxy {
  refuseOverrides: boolean;
  /** `eth_call`s refused so far. */
  refused = 0;
  /** How many of the next `eth_call`s with an override set get a transient error answer (a provider's rate limit). */
  transientErrors = 0;
  private server: http.Server | undefined;
  port = 0;

  constructor(
    private readonly target: string,
    refuseOverrides: boolean,
  ) {
    this.refuseOverrides = refuseOverrides;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => void this.handle(body, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.server.address() as { port: number }).port;
  }

  private async handle(body: string, res: http.ServerResponse): Promise<void> {
    const request = JSON.parse(body) as { id: unknown; method: string; params?: unknown[] } | { id: unknown; method: string; params?: unknown[] }[];
    const refuse = (r: { id: unknown; method: string; params?: unknown[] }) => this.refuseOverrides && r.method === "eth_call" && (r.params?.length ?? 0) >= 3;
    const one = async (r: { id: unknown; method: string; params?: unknown[] }) => {
      if (r.method === "eth_call" && (r.params?.length ?? 0) >= 3 && this.transientErrors > 0) {
        this.transientErrors--;
        return { jsonrpc: "2.0", id: r.id, error: { code: -32005, message: "request rate limit exceeded, retry later" } };
      }
      if (refuse(r)) {
        this.refused++;
        return { jsonrpc: "2.0", id: r.id, error: { code: -32602, message: "invalid params: too many arguments, want at most 2" } };
      }
      const upstream = await fetch(this.target, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(r) });
      return upstream.json();
    };
    const answer = Array.isArray(request) ? await Promise.all(request.map(one)) : await one(request);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
