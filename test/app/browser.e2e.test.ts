/**
 * The web app (app/) end to end, in a real headless Chromium (test/app/helpers/browser.ts) against the real local
 * stack (`npm start` as a child process on free ports, test/e2e/helpers/stackProcess.ts), everything through the
 * page: the regulator (the devnet key file npm start writes, imported) certifies a clinic from the clinic's public
 * file, the clinic admits a patient from the patient's public file, the patient registers with the admission,
 * creates one record from the form and one from a FHIR file, grants both to the clinic, the clinic reads them, the
 * patient revokes one, and the clinic can no longer read it.
 *
 * Checked on the way: the page's request log (every request the browser made) holds no patient account, register
 * contract address or identified record id in any request made while acting on an anonymous record (DESIGN
 * "Who learns what", docs/design.md); the page talks to its own origin, the relayer and the RPC node only; no CSP
 * violation; every control has a label; the page fits 360 px; key files move both ways between CLI and page.
 * Screenshots of the main screens go to docs/screenshots/ (README "The web app"); a failed screenshot fails the test.
 */
import { expect } from "chai";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { identifiedRecordId } from "../../src/actions";
import { ClientError, MedRingClient, MemoryAnonymityStore, readGrantedRecord } from "../../src/client";
import { deriveRecordScope } from "../../src/envelope";
import { bytesToHex } from "../../src/hex";
import { accountAddress, decodeKeyFile, encodeKeyFile, generateActorKeys, type InstitutionKeys, type PatientKeys } from "../../src/keys";
import { syntheticRecord } from "../../scripts/demo/fhirSamples";
import { registerDecoyPatients } from "../e2e/helpers/decoyPatients";
import { ROOT, descendants, startStackProcess, stopStack, type StackProcess } from "../e2e/helpers/stackProcess";
import { buildApp } from "../helpers/builtOutput";
import { launchChromium } from "./helpers/browser";

const SCREENSHOTS = join(ROOT, "docs", "screenshots");
const PASSPHRASE = { regulator: "regulator passphrase 1", clinic: "clinic passphrase 22", patient: "patient passphrase 333" };

/** The little of the DOM the page functions below use (this file is compiled without the DOM library). */
interface PageElement {
  textContent: string | null;
  tagName: string;
  tabIndex: number;
  outerHTML: string;
  labels?: { length: number } | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { right: number };
}
interface PageDocument {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  documentElement: { scrollWidth: number };
}
/** The page's `document`, for functions that run in the page (written out in each: only their own source is sent). */
type InPage = { document: PageDocument };

interface LoggedRequest {
  phase: string;
  method: string;
  url: string;
  body: string;
}

describe("web app in a headless Chromium: the whole story through the page", function () {
  this.timeout(600_000);
  // Each step needs the one before.
  this.bail(true);
  let stack: StackProcess;
  let startPids: number[] = [];
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const requests: LoggedRequest[] = [];
  const pageProblems: string[] = [];
  let phase = "start";

  const fileOf = (name: string, text: string) => ({ name, mimeType: "application/json", buffer: Buffer.from(text) });

  /** Clicks `button` and returns the text of the file the page downloads. */
  const download = async (button: string): Promise<string> => {
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button, exact: true }).first().click()]);
    return readFileSync(await file.path(), "utf8");
  };
  const screenshot = async (name: string) => {
    const path = join(SCREENSHOTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    expect(statSync(path).size, `screenshot ${name}`).to.be.greaterThan(1000);
  };
  const statusOf = (id: string) => page.locator(`#${id}`);
  /** Waits until status `id` reads `text` (a progress line or an earlier outcome may be there first). */
  const waitStatus = async (id: string, text: RegExp) => {
    try {
      // A function, not source text: the page's CSP forbids evaluating strings, and this test keeps the CSP on.
      await page.waitForFunction(
        ({ sel, source, flags }) => new RegExp(source, flags).test((globalThis as unknown as InPage).document.querySelector(sel)?.textContent ?? ""),
        { sel: `#${id}`, source: text.source, flags: text.flags },
        { timeout: 180_000 },
      );
    } catch (err) {
      throw new Error(`#${id} never read ${text}; it reads: ${await statusOf(id).innerText()} (${(err as Error).message.split("\n")[0]})`);
    }
  };
  const lock = () => page.getByRole("button", { name: "Lock", exact: true }).click();
  const unlock = async (label: string, passphrase: string) => {
    // Keyboard only: type the passphrase and press Enter.
    const input = page.getByLabel(`Passphrase for ${label}`, { exact: true });
    await input.focus();
    await page.keyboard.type(passphrase);
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Lock", exact: true }).waitFor({ timeout: 60_000 });
  };
  const createKey = async (role: string, label: string, passphrase: string) => {
    await page.getByLabel("I am").selectOption(role);
    await page.locator("#create-label").fill(label);
    await page.locator("#create-passphrase").fill(passphrase);
    await page.locator("#create-repeat").fill(passphrase);
    await page.getByRole("button", { name: "Create key" }).click();
    await page.getByRole("button", { name: "Lock", exact: true }).waitFor({ timeout: 60_000 });
  };
  const importKey = async (text: string, label: string, passphrase: string) => {
    await page.locator("#import-file").setInputFiles(fileOf("key.json", text));
    await page.locator("#import-label").fill(label);
    await page.locator("#import-passphrase").fill(passphrase);
    await page.getByRole("button", { name: "Import key" }).click();
    await page.getByRole("button", { name: "Lock", exact: true }).waitFor({ timeout: 60_000 });
  };
  /** Every input, select and button has an accessible name, and none is taken out of the tab order. */
  const expectLabelled = async (screen: string) => {
    const unlabelled = await page.evaluate(() =>
      [...(globalThis as unknown as InPage).document.querySelectorAll("input, select, textarea, button")]
        .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || (el.tagName === "BUTTON" && el.textContent?.trim())) || el.tabIndex < 0)
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled, `unlabelled or unreachable controls on the ${screen} screen`).to.deep.equal([]);
  };

  let regulatorFile: string;
  let clinicAddress: string;
  let patientPublic: { address: string; ringPublicKey: string };
  let recordIds: string[] = [];
  const fileRecord = syntheticRecord(1);

  before(async function () {
    buildApp();
    stack = await startStackProcess();
    startPids = [stack.child.pid!, ...descendants(stack.child.pid!)];
    regulatorFile = readFileSync(join(stack.stateDir, "deployments", "localhost-regulator.json"), "utf8");
    // Seven other patients fill the anonymity set up to the policy minimum (8) with the page's patient.
    await registerDecoyPatients(stack, 7);
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    context.on("request", (r) => requests.push({ phase, method: r.method(), url: r.url(), body: r.postData() ?? "" }));
    page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") pageProblems.push(m.text());
    });
    page.on("pageerror", (err) => pageProblems.push(err.message));
    await page.goto(stack.appUrl);
    await page.getByRole("heading", { name: "Create a key" }).waitFor();
  });

  after(async function () {
    await browser?.close();
    if (!stack) return;
    const { code, left } = await stopStack(stack, [...new Set([...startPids, ...descendants(stack.child.pid!)])]);
    expect(code, stack.output()).to.equal(0);
    expect(left, "processes left after Ctrl-C").to.deep.equal([]);
  });

  it("serves the page under a strict CSP, and the relayer admits the page's origin only", async () => {
    const response = await fetch(stack.appUrl);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).to.include("default-src 'none'").and.include("script-src 'self'").and.include("frame-ancestors 'none'");
    expect(csp).to.not.include("unsafe");
    const preflight = (origin: string) =>
      fetch(`${stack.relayerUrl}/v1/submissions`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
    expect((await preflight(stack.appUrl)).headers.get("access-control-allow-origin")).to.equal(stack.appUrl);
    expect((await preflight("http://evil.example")).headers.get("access-control-allow-origin")).to.equal(null);
    await expectLabelled("keys");
    await screenshot("keys");
  });

  it("the regulator imports npm start's key file; the clinic creates a key and downloads its public file", async () => {
    await importKey(regulatorFile, "Devnet regulator", PASSPHRASE.regulator);
    await page.getByRole("heading", { name: "Certify an institution" }).waitFor();
    await lock();
    await createKey("institution", "Clinic", PASSPHRASE.clinic);
    const publicFile = JSON.parse(await download("Download public file"));
    expect(publicFile.role).to.equal("institution");
    clinicAddress = publicFile.address;
    await expectLabelled("institution");
    await lock();
    await unlock("Devnet regulator", PASSPHRASE.regulator);
    await page.locator("#institution-public-file").setInputFiles(fileOf("clinic.json", JSON.stringify(publicFile)));
    await page.getByRole("button", { name: "Certify institution" }).click();
    await waitStatus("certify-status", new RegExp(`Certified ${clinicAddress}`));
    await page.getByRole("cell", { name: "7", exact: true }).waitFor(); // per-admitter counts: the office's 7
    await expectLabelled("regulator");
    await screenshot("regulator");
    await lock();
  });

  it("the patient creates a key and downloads the public file; the clinic admits the patient", async () => {
    await createKey("patient", "Alice", PASSPHRASE.patient);
    patientPublic = JSON.parse(await download("Download public file"));
    expect(patientPublic).to.include({ role: "patient" });
    expect(await page.getByRole("img", { name: "QR code of your public file" }).isVisible()).to.equal(true);
    await lock();
    await unlock("Clinic", PASSPHRASE.clinic);
    await page.locator("#patient-public-file").setInputFiles(fileOf("alice.json", JSON.stringify(patientPublic)));
    const [admission] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Issue admission" }).click()]);
    const admissionText = readFileSync(await admission.path(), "utf8");
    expect(JSON.parse(admissionText)).to.include({ format: "medring-admission", patient: patientPublic.address, admitter: clinicAddress });
    writeFileSync(join(stack.stateDir, "admission.json"), admissionText);
    await screenshot("institution");
    await lock();
  });

  it("the patient registers, then creates a record from the form and one from a FHIR file, anonymously", async () => {
    await unlock("Alice", PASSPHRASE.patient);
    await page.locator("#admission-file").setInputFiles(join(stack.stateDir, "admission.json"));
    await page.getByRole("button", { name: "Register", exact: true }).click();
    await waitStatus("register-status", /Registered: your register contract is 0x[0-9a-fA-F]{40}/);

    phase = "anonymous: create from the form";
    await page.getByLabel("Kind of record").selectOption("Observation");
    await page.getByLabel("LOINC code").fill("84806"); // not a LOINC code: the form says what to fix
    await page.getByLabel("Value").fill("128");
    await page.getByLabel("Unit").fill("mmHg");
    await page.getByRole("button", { name: "Encrypt and create record", exact: true }).click();
    await waitStatus("record-status", /LOINC code: type a LOINC code/);
    await page.getByLabel("LOINC code").fill("8480-6");
    await page.getByLabel("What was measured (optional)").fill("Systolic blood pressure");
    await page.getByLabel("Date (YYYY-MM-DD, optional)").fill("2024-05-17");
    await page.getByRole("button", { name: "Encrypt and create record", exact: true }).click();
    await waitStatus("record-status", /Record created anonymously \(ring of 8\)/);

    phase = "anonymous: create from a file";
    await page.locator("#record-file").setInputFiles(fileOf("not-fhir.json", JSON.stringify({ resourceType: "Observation" })));
    await page.getByRole("button", { name: "Encrypt and create record from file" }).click();
    await waitStatus("record-status", /FHIR R4: .*status/); // refused as the CLI refuses it: Observation.status is required
    await page.locator("#record-file").setInputFiles(fileOf("labs.json", fileRecord.json));
    await page.getByRole("button", { name: "Encrypt and create record from file" }).click();
    await waitStatus("record-status", /Record created anonymously/);
    expect(await page.locator(".action.state-confirmed").count()).to.be.at.least(3);
    phase = "between";
  });

  it("the patient finds both records from the key alone, opens one and grants both to the clinic", async () => {
    await page.getByRole("button", { name: "Find my records" }).click();
    await page.getByText("2 records found.").waitFor({ timeout: 120_000 });
    recordIds = await page.locator("li.record").evaluateAll((els) => els.map((el) => el.getAttribute("data-record-id")!));
    expect(recordIds).to.have.length(2);
    phase = "anonymous: open and grant";
    for (const n of [1, 2]) {
      const record = page.locator("li.record").nth(n - 1);
      await record.getByRole("button", { name: `Open record ${n}` }).click();
      await record.locator("table").waitFor();
      await record.getByRole("listbox").selectOption(clinicAddress);
      if (n === 1) {
        // The clinic admitted only this patient: a grant to it would leave fewer candidates than the ring, so the
        // page refuses it as the CLI does, sends nothing, and says why; the patient then accepts it explicitly.
        await record.getByRole("button", { name: "Grant access" }).click();
        await record.getByText("to protect your anonymity").waitFor({ timeout: 120_000 });
      }
      await record.getByLabel("Share even if it narrows my anonymity", { exact: false }).check();
      await record.getByRole("button", { name: "Grant access" }).click();
      await record.getByRole("button", { name: `Revoke ${clinicAddress.slice(0, 8)}` }).waitFor({ timeout: 180_000 });
    }
    const first = page.locator("li.record").first();
    expect(await first.locator("table").innerText())
      .to.include("8480-6")
      .and.include("128 mmHg");
    await expectLabelled("patient");
    await screenshot("patient");
    phase = "between";
    await page.setViewportSize({ width: 360, height: 800 });
    const tooWide = await page.evaluate(() =>
      [...(globalThis as unknown as InPage).document.querySelectorAll("body *:not(option)")]
        .filter((el) => el.getBoundingClientRect().right > 361)
        .map((el) => el.outerHTML.slice(0, 100)),
    );
    expect(tooWide, "elements wider than 360 px").to.deep.equal([]);
    await screenshot("patient-360px");
    await page.setViewportSize({ width: 1280, height: 900 });
    await lock();
  });

  it("the clinic lists both granted records and reads them", async () => {
    await unlock("Clinic", PASSPHRASE.clinic);
    await page.getByRole("button", { name: "Refresh granted records" }).click();
    await page.getByText("2 granted.").waitFor({ timeout: 60_000 });
    for (const id of recordIds) {
      const item = page.locator(`li.record[data-record-id="${id}"]`);
      await item.getByRole("button", { name: /^Open / }).click();
      await item.locator("table").waitFor({ timeout: 60_000 });
    }
    expect(await page.locator("#granted").innerText())
      .to.include("Systolic blood pressure")
      .and.include("Bundle");
    await page.locator(`li.record[data-record-id="${recordIds[1]}"] details summary`).click();
    expect(await page.locator("#granted").innerText()).to.include(fileRecord.marker);
    await screenshot("institution-granted");
    await lock();
  });

  it("the patient revokes the form record; the clinic no longer lists it and cannot read it", async () => {
    await unlock("Alice", PASSPHRASE.patient);
    await page.getByRole("button", { name: "Find my records" }).click();
    await page.getByText("2 records found.").waitFor({ timeout: 120_000 });
    phase = "anonymous: revoke";
    const first = page.locator(`li.record[data-record-id="${recordIds[0]}"]`);
    await first.getByRole("button", { name: "Open record 1" }).click();
    await first.getByRole("button", { name: `Revoke ${clinicAddress.slice(0, 8)}` }).click();
    await first.getByText("No institution.").waitFor({ timeout: 180_000 });
    phase = "between";
    const exported = await download("Export key file");
    await lock();
    await unlock("Clinic", PASSPHRASE.clinic);
    await page.getByRole("button", { name: "Refresh granted records" }).click();
    await page.getByText("1 granted.").waitFor({ timeout: 60_000 });
    expect(await page.locator(`li.record[data-record-id="${recordIds[0]}"]`).count()).to.equal(0);

    // The page's exported key file opens with the CLI's code; so does the clinic's, and a grant read outside the
    // page agrees: the revoked record is refused.
    const patientKeys = decodeKeyFile(exported, PASSPHRASE.patient) as PatientKeys;
    expect(accountAddress(patientKeys.accountKey)).to.equal(patientPublic.address);
    const clinicExport = await download("Export key file");
    const clinicKeys = decodeKeyFile(clinicExport, PASSPHRASE.clinic) as InstitutionKeys;
    const client = await MedRingClient.connect({ relayerUrl: stack.relayerUrl, rpcUrl: stack.rpcUrl, store: new MemoryAnonymityStore() });
    try {
      const refused = await readGrantedRecord(client.chain, clinicKeys, recordIds[0]).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(refused).to.be.instanceOf(ClientError).with.property("code", "not_granted");
      expect((await readGrantedRecord(client.chain, clinicKeys, recordIds[1])).plaintext).to.have.length.greaterThan(0);

      // No request made while acting on an anonymous record names the patient's account, register contract or
      // identified record ids (the first 20 scopes).
      const rc = (await client.chain.registerOf(patientPublic.address)).slice(2).toLowerCase();
      const identified = Array.from({ length: 20 }, (_, i) =>
        identifiedRecordId(patientPublic.address, bytesToHex(deriveRecordScope(patientKeys.ringKey, "identified", i)))
          .slice(2)
          .toLowerCase(),
      );
      const forbidden = [patientPublic.address.slice(2).toLowerCase(), rc, ...identified];
      const anonymous = requests.filter((r) => r.phase.startsWith("anonymous"));
      expect(new Set(anonymous.map((r) => r.phase)).size).to.equal(4);
      expect(anonymous.length).to.be.greaterThan(20);
      for (const r of anonymous) {
        const seen = (r.url + r.body).toLowerCase();
        for (const f of forbidden) expect(seen.includes(f), `${r.phase}: ${r.method} ${r.url} carries ${f}`).to.equal(false);
      }
      // A CLI-made encrypted key file imports into the page.
      const cliKeys = generateActorKeys("patient");
      await lock();
      await importKey(encodeKeyFile(cliKeys, { passphrase: "cli passphrase 4444" }), "From the CLI", "cli passphrase 4444");
      expect(await page.locator("#public-part").innerText()).to.include(accountAddress(cliKeys.accountKey));
    } finally {
      client.close();
    }
  });

  it("the page only talked to its own origin, the relayer and the RPC node, with no CSP violation or script error", () => {
    const allowed = new Set([new URL(stack.appUrl).origin, new URL(stack.relayerUrl).origin, new URL(stack.rpcUrl).origin]);
    const elsewhere = requests.filter((r) => !r.url.startsWith("blob:") && !allowed.has(new URL(r.url).origin));
    expect(elsewhere.map((r) => r.url)).to.deep.equal([]);
    expect(pageProblems.filter((p) => !/favicon/.test(p))).to.deep.equal([]);
  });
});
