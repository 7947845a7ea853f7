import net from "node:net";

/**
 * A TCP proxy in front of the test node, to take the node away from the relayer and bring it back with the
 * same state: `cut()` refuses connections (as a stopped node does), `stall()` accepts them and never answers
 * (as a hung node does), `restore()` forwards again on the same port.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private mode: "forward" | "stall" = "forward";
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  static forUrl(url: string): TcpProxy {
    const u = new URL(url);
    return new TcpProxy({ host: u.hostname, port: Number(u.port) });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens (on a free port the first time, on the same port afterwards). */
  async start(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
  }

  private accept(client: net.Socket): void {
    this.sockets.add(client);
    client.on("close", () => this.sockets.delete(client));
    client.on("error", () => client.destroy());
    if (this.mode === "stall") return; // read nothing, answer nothing
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(upstream);
    upstream.on("close", () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private async closeAll(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The node is gone: open connections are reset and new ones refused. */
  async cut(): Promise<void> {
    await this.closeAll();
  }

  /** The node hangs: connections are accepted and never answered. */
  async stall(): Promise<void> {
    await this.closeAll();
    this.mode = "stall";
    await this.start();
  }

  /** The node is back with the state it had. */
  async restore(): Promise<void> {
    await this.closeAll();
    this.mode = "forward";
    await this.start();
  }

  async close(): Promise<void> {
    await this.closeAll();
  }
}
