import { expect } from "chai";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { MedRingClient, RelayerClient, ringSubmission, type AnonymityGuard, type MedRingChain } from "../../src/client";
import { medRingDomain } from "../../src/actions";
import { submitOrPrint } from "../../src/cli/session";
import { generateKeyPair, sortRing } from "../../src/mrs1";

/** A stand-in relayer that records the raw bytes POSTed to /v1/submissions and confirms at once. */
async function recordingRelayer(): Promise<{ url: string; posted: string[]; close(): Promise<void> }> {
  const posted: string[] = [];
  const id = "0x" + "ab".repeat(32);
  const view = {
    id,
    kind: "createRecord",
    status: "confirmed",
    txHash: "0x" + "cd".repeat(32),
    blockNumber: 7,
    gasUsed: "123",
    reason: null,
    batchIndex: null,
    createdAt: "t",
    updatedAt: "t",
  };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.method === "POST" && req.url === "/v1/submissions") {
        posted.push(body);
        res.statusCode = 202;
        res.end(JSON.stringify({ id, status: "queued" }));
      } else if (req.method === "GET" && req.url === `/v1/submissions/${id}`) {
        res.end(JSON.stringify(view));
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { code: "not_found", message: "no" } }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, posted, close: () => new Promise((r) => server.close(() => r())) };
}

describe("--dry-run", () => {
  const signer = generateKeyPair();
  const decoys = Array.from({ length: 7 }, () => generateKeyPair().publicKey);
  const scope = "0x" + "11".repeat(32);
  const body = ringSubmission(
    { kind: "unwarrant", args: { scope, institution: "0x" + "22".repeat(20) } },
    signer,
    sortRing([signer.publicKey, ...decoys]),
    3n,
    1_900_000_000n,
    medRingDomain(31337n, "0x" + "33".repeat(20)),
  );

  it("prints byte for byte what a real run POSTs to /v1/submissions, and sends nothing", async () => {
    const relayer = await recordingRelayer();
    try {
      const client = new MedRingClient(new RelayerClient(relayer.url), undefined as unknown as MedRingChain, undefined as unknown as AnonymityGuard);
      let printed = "";
      const context = { stdout: (s: string) => void (printed += s), stderr: () => undefined };
      expect(await submitOrPrint(client, body, true, context)).to.equal(undefined);
      expect(relayer.posted).to.have.length(0);
      const view = await submitOrPrint(client, body, false, context);
      expect(view?.status).to.equal("confirmed");
      expect(relayer.posted).to.have.length(1);
      expect(printed).to.equal(relayer.posted[0] + "\n");
      expect(JSON.parse(printed)).to.deep.equal(body);
    } finally {
      await relayer.close();
    }
  });

  it("is a ring submission the relayer's schema accepts, binding the nonce and deadline", async () => {
    const { submissionRequest } = await import("../../src/api");
    expect(submissionRequest.safeParse(body).success).to.equal(true);
    expect(body.authorization).to.include({ type: "ring", nonce: "3", deadline: "1900000000" });
    expect((body.authorization as { signature: { ring: string[] } }).signature.ring).to.have.length(8);
  });
});
