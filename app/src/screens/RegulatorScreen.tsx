/**
 * The regulator's screen: certify institutions from their public files and decertify them (sent from the
 * regulator's own account, src/client sendAsRegulator, as `medring regulator certify|decertify`), the ring policy,
 * the size of the anonymity set and how many members each admitter added.
 */
import { useState } from "preact/hooks";
import { certifyTransaction, decertifyTransaction, sendAsRegulator, type MedRingChain } from "../../../src/client";
import type { RegulatorKeys } from "../../../src/keys";
import { startAction } from "../actions";
import { institutions as loadInstitutions, ringOverview, type InstitutionEntry, type RingOverview } from "../chainViews";
import type { AppConfig } from "../config";
import type { PickedFile } from "../download";
import { explain } from "../errors";
import { parseInstitutionInfo } from "../institutionInfo";
import { connect } from "../session";
import { useTask } from "../task";
import { FileForm, Section } from "../ui";
import type { TransactionRequest } from "ethers";

type Props = { config: AppConfig; keys: RegulatorKeys };

async function sendTracked(config: AppConfig, keys: RegulatorKeys, title: string, tx: (chain: MedRingChain) => TransactionRequest): Promise<void> {
  const action = startAction(title);
  try {
    const client = await connect(config);
    const sent = await sendAsRegulator(client.chain, keys, tx(client.chain), (hash) => action.set("sent", `sent (transaction ${hash.slice(0, 10)}…)`));
    action.set("confirmed", `mined and confirmed in block ${sent.blockNumber}`);
  } catch (err) {
    action.set("failed", explain(err));
    throw err;
  }
}

export function RegulatorScreen({ config, keys }: Props) {
  const task = useTask();
  const [list, setList] = useState<InstitutionEntry[]>();
  const [overview, setOverview] = useState<RingOverview>();
  const refresh = async () => {
    const client = await connect(config);
    const [entries, ring] = await Promise.all([loadInstitutions(client.chain), ringOverview(client.chain)]);
    setList(entries);
    setOverview(ring);
  };
  // Each change is followed by the registry as it is now.
  const certify = async (file: PickedFile) => {
    const target = parseInstitutionInfo(file.text, file.name);
    await sendTracked(config, keys, `Certify ${target.address}`, (chain) => certifyTransaction(chain, target.address, target.encryptionKey));
    await refresh();
    return `Certified ${target.address}.`;
  };
  const decertify = (address: string) =>
    void task.run(`Decertifying ${address}…`, async () => {
      await sendTracked(config, keys, `Decertify ${address}`, (chain) => decertifyTransaction(chain, address));
      await refresh();
      return `Decertified ${address}: it gets no new grants or admissions.`;
    });
  return (
    <div class="screen">
      <Section id="certify" title="Certify an institution">
        <FileForm
          file={{
            id: "institution-public-file",
            label: "Institution's public file",
            hint: "The institution downloads it from its page (or runs medring institution register).",
          }}
          submit="Certify institution"
          missing="Choose the institution's public file first."
          busy="Certifying: sending the transaction and waiting for its block…"
          task={task}
          statusId="certify-status"
          onSubmit={certify}
        />
      </Section>
      <Section id="institutions" title="Institutions and the anonymity set">
        <button type="button" onClick={() => void task.run("Reading the registry…", async () => (await refresh(), "Up to date."))}>
          Refresh
        </button>
        {overview && (
          <dl class="facts">
            <dt>Ring size policy</dt>
            <dd>
              from {overview.policy.min} to {overview.policy.max} members
            </dd>
            <dt>Registered patients (anonymity set)</dt>
            <dd>{overview.members}</dd>
          </dl>
        )}
        {overview && overview.byAdmitter.length > 0 && (
          <table>
            <caption>Patients admitted, per admitter</caption>
            <thead>
              <tr>
                <th scope="col">Admitter</th>
                <th scope="col">Patients</th>
              </tr>
            </thead>
            <tbody>
              {overview.byAdmitter.map((a) => (
                <tr key={a.admitter}>
                  <td>
                    <code>{a.admitter}</code>
                  </td>
                  <td>{a.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list && (
          <ul class="institutions">
            {list.map((i) => (
              <li key={i.address}>
                <code>{i.address}</code> <span class="role">{i.certified ? "certified" : "decertified"}</span>{" "}
                {i.certified && (
                  <button type="button" onClick={() => decertify(i.address)}>
                    Decertify {i.address.slice(0, 8)}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
