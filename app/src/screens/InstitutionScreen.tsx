/**
 * An institution's screen (paper Protocol 3): its public file for the regulator, admissions for patients' public
 * files (src/client issueAdmission, as `medring institution admit`), and the records granted to it, opened with
 * the key wrapped for it (readGrantedRecord, as `medring institution read`).
 */
import { useState } from "preact/hooks";
import {
  encodeAdmission,
  institutionPublicInfo,
  issueAdmission,
  listGrantedRecords,
  parsePatientPublicInfo,
  readGrantedRecord,
  type RecordEntry,
} from "../../../src/client";
import type { InstitutionKeys } from "../../../src/keys";
import type { AppConfig } from "../config";
import { downloadText, type PickedFile } from "../download";
import { PublicFileCard } from "../publicFile";
import { RecordSummary, RecordView } from "../recordView";
import { connect } from "../session";
import { useTask } from "../task";
import { FileForm, Section, Status, short } from "../ui";

type Props = { config: AppConfig; keys: InstitutionKeys };

function PublicFile({ config, keys }: Props) {
  const info = institutionPublicInfo(keys);
  const task = useTask();
  const check = () =>
    task.run("Reading the registry…", async () => {
      const client = await connect(config);
      const onChain = await client.chain.institution(info.address);
      return onChain.certified ? "Certified by the regulator: patients can grant you records." : "Not certified yet: send your public file to the regulator.";
    });
  return (
    <PublicFileCard
      id="institution-public"
      intro="The regulator certifies you from this file. It holds no secret."
      role="institution"
      address={info.address}
      publicKey={{ label: "Encryption key", value: info.encryptionKey }}
      text={JSON.stringify(info, null, 2) + "\n"}
      qrText={JSON.stringify(info)}
      button={
        <button type="button" onClick={() => void check()}>
          Check certification
        </button>
      }
    >
      <Status id="certification-status" {...task.status} />
    </PublicFileCard>
  );
}

function Admit({ config, keys }: Props) {
  const task = useTask();
  const admit = async (patient: PickedFile) => {
    const info = parsePatientPublicInfo(patient.text, patient.name);
    const client = await connect(config);
    const admission = await issueAdmission(client.chain, keys.accountKey, info);
    downloadText(`medring-admission-${admission.patient}.json`, encodeAdmission(admission));
    return `Admission for ${admission.patient} downloaded: give it to the patient (valid 7 days).`;
  };
  return (
    <Section id="admit" title="Admit a patient">
      <FileForm
        file={{ id: "patient-public-file", label: "Patient's public file", hint: "The patient downloads it from their page (or runs medring address --json)." }}
        submit="Issue admission"
        missing="Choose the patient's public file first."
        busy="Checking that you may admit patients, and signing the admission…"
        task={task}
        statusId="admit-status"
        onSubmit={admit}
      />
    </Section>
  );
}

function GrantedRecord({ config, keys, grant }: Props & { grant: RecordEntry }) {
  const [plaintext, setPlaintext] = useState<Uint8Array>();
  const task = useTask();
  const open = () =>
    task.run("Reading and decrypting…", async () => {
      setPlaintext(undefined);
      const client = await connect(config);
      setPlaintext((await readGrantedRecord(client.chain, keys, grant.recordId)).plaintext);
    });
  return (
    <li class="record" data-record-id={grant.recordId}>
      <RecordSummary entry={grant} label="Record" />
      <button type="button" onClick={() => void open()}>
        Open {short(grant.recordId)}
      </button>
      <Status {...task.status} />
      {plaintext && <RecordView plaintext={plaintext} title={`Record ${short(grant.recordId)}`} />}
    </li>
  );
}

function Granted(props: Props) {
  const [grants, setGrants] = useState<RecordEntry[]>();
  const task = useTask();
  const refresh = () =>
    task.run("Reading your access list…", async () => {
      const client = await connect(props.config);
      setGrants(await listGrantedRecords(client.chain, institutionPublicInfo(props.keys).address));
    });
  return (
    <Section id="granted" title="Records granted to you">
      <button type="button" onClick={() => void refresh()}>
        Refresh granted records
      </button>
      <Status {...task.status} />
      {grants && <p role="status">{grants.length === 0 ? "No records are granted to you." : `${grants.length} granted.`}</p>}
      {grants && (
        <ul class="records">
          {grants.map((g) => (
            <GrantedRecord key={g.recordId} {...props} grant={g} />
          ))}
        </ul>
      )}
    </Section>
  );
}

export function InstitutionScreen(props: Props) {
  return (
    <div class="screen">
      <PublicFile {...props} />
      <Admit {...props} />
      <Granted {...props} />
    </div>
  );
}
