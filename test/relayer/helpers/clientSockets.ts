import http from "node:http";
import net from "node:net";

/** HTTP clients for the slow-client tests: a request from a chosen loopback address, and a body trickled byte by byte. */

export interface Answer {
  status: number;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/** One request to `url` whose socket is bound to `localAddress` (any of 127.0.0.0/8 on Linux), so the relayer sees another client. */
export function requestFrom(localAddress: string, url: string, o: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const data = o.body === undefined ? undefined : JSON.stringify(o.body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: o.method ?? (data === undefined ? "GET" : "POST"),
        localAddress,
        agent: false,
        headers: { ...(data === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(data) }), ...o.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, json, text });
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

/**
 * A POST whose headers promise a large JSON body that then arrives one byte per `everyMs`: the slow upload that
 * holds a request slot. `status` is the status line the relayer answered with, once it answered; `closed` whether
 * the relayer closed the connection.
 */
export class TrickledPost {
  status: number | undefined;
  closed = false;
  private readonly socket: net.Socket;
  private timer: NodeJS.Timeout | undefined;

  constructor(url: string, localAddress: string, everyMs = 500) {
    const u = new URL(url);
    this.socket = net.connect({ host: u.hostname, port: Number(u.port), localAddress });
    this.socket.on("error", () => undefined); // a reset by the server is one of the outcomes under test
    this.socket.on("close", () => {
      this.closed = true;
      clearInterval(this.timer);
    });
    this.socket.on("data", (d: Buffer) => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(d.toString("latin1"));
      if (m && this.status === undefined) this.status = Number(m[1]);
    });
    this.socket.on("connect", () => {
      this.socket.write(`POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n{"pad":"`);
      this.timer = setInterval(() => this.socket.write("x"), everyMs);
    });
  }

  close(): void {
    clearInterval(this.timer);
    this.socket.destroy();
  }
}
