import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readDeployment, writeDeployment, type DeploymentFile } from "../../src/chain/deploymentFile";
import { readDeployment as relayerDeployment } from "../../relayer/chain/deployment";

const REGISTRY = "0x" + "11".repeat(20);
const FORWARDER = "0x" + "22".repeat(20);

describe("deployment file (deployments/<network>.json)", function () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medring-deployment-"));
  const file = path.join(dir, "localhost.json");
  const put = (json: unknown) => fs.writeFileSync(file, typeof json === "string" ? json : JSON.stringify(json));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads back what writeDeployment wrote, for the deploy script and the relayer alike", function () {
    const written: DeploymentFile = {
      network: "localhost",
      chainId: "31337",
      contracts: { MedRingRegistry: REGISTRY, MedRingForwarder: FORWARDER },
      updatedAt: "2025-01-01T00:00:00.000Z",
    };
    writeDeployment(file, written);
    expect(readDeployment(file)).to.deep.equal(written);
    expect(relayerDeployment(file)).to.deep.equal({ chainId: 31337n, registry: REGISTRY, forwarder: FORWARDER, contracts: written.contracts });
  });

  it("is undefined for the deploy script and an error for the relayer when the file does not exist", function () {
    const missing = path.join(dir, "missing.json");
    expect(readDeployment(missing)).to.equal(undefined);
    expect(() => relayerDeployment(missing)).to.throw(/does not exist/);
  });

  const malformed: Array<[string, unknown, RegExp]> = [
    ["not JSON", "{", /not JSON/],
    ["a hex chain id", { network: "x", chainId: "0x7a69", contracts: {} }, /chainId: expected a decimal chain id/],
    ["an unknown contract", { network: "x", chainId: "1", contracts: { Registry: REGISTRY } }, /contracts: Unrecognized key: "Registry"/],
    ["a short address", { network: "x", chainId: "1", contracts: { RingVerifier: "0x12" } }, /contracts\.RingVerifier: expected an address/],
    [
      "a bad EIP-55 checksum",
      { network: "x", chainId: "1", contracts: { RingVerifier: "0xAbcdef" + "0".repeat(34) } },
      /contracts\.RingVerifier: expected an address/,
    ],
    ["no network", { chainId: "1", contracts: {} }, /network: /],
  ];
  for (const [what, json, message] of malformed) {
    it(`refuses a file with ${what}, naming the field`, function () {
      put(json);
      expect(() => readDeployment(file)).to.throw(message);
      expect(() => relayerDeployment(file)).to.throw(message);
    });
  }

  it("refuses a relayer deployment without the forwarder", function () {
    put({ network: "x", chainId: "1", contracts: { MedRingRegistry: REGISTRY } });
    expect(readDeployment(file)?.contracts).to.deep.equal({ MedRingRegistry: REGISTRY });
    expect(() => relayerDeployment(file)).to.throw(/needs MedRingRegistry and MedRingForwarder/);
  });
});
