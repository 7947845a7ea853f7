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
import { downloadText, readPickedFile } from "../download";
import { explain } from "../errors";
import { QrCode } from "../qr";
import { RecordSummary, RecordView } from "../recordView";
import { connect } from "../session";
import { FileInput, Section, Status, short } from "../ui";

type Props = { config: AppConfig; keys: InstitutionKeys };

function PublicFile({ config, keys }: Props) {
  const info = institutionPublicInfo(keys);
  const text = JSON.stringify(info, null, 2) + "\n";
  const [status, setStatus] = useState<{ busy?: string; error?: string; ok?: string }>({});
  const check = async () => {
    setStatus({ busy: "Reading the registry…" });
    try {
      const client = await connect(config);
      const onChain = await client.chain.institution(info.address);
      setStatus({
        ok: onChain.certified ? "Certified by the regulator: patients can grant you records." : "Not certified yet: send your public file to the regulator.",
      });
    } catch (err) {
      setStatus({ error: explain(err) });
    }
  };
  return (
    <Section id="institution-public" title="Your public file">
      <p>The regulator certifies you from this file. It holds no secret.</p>
      <dl class="facts">
        <dt>Account</dt>
        <dd>
          <code>{info.address}</code>
        </dd>
        <dt>Encryption key</dt>
        <dd>
          <code class="wrap">{info.encryptionKey}</code>
        </dd>
      </dl>
      <div class="qr-box">
        <QrCode text={JSON.stringify(info)} label="QR code of your public file" />
      </div>
      <div class="buttons">
        <button type="button" onClick={() => downloadText(`medring-institution-public-${info.address}.json`, text)}>
          Download public file
        </button>
        <button type="button" onClick={() => void check()}>
          Check certification
        </button>
      </div>
      <Status id="certification-status" {...status} />
    </Section>
  );
}

function Admit({ config, keys }: Props) {
  const [patient, setPatient] = useState<{ name: string; text: string }>();
  const [status, setStatus] = useState<{ busy?: string; error?: string; ok?: string }>({});
  const admit = async (e: Event) => {
    e.preventDefault();
    if (!patient) return setStatus({ error: "Choose the patient's public file first." });
    setStatus({ busy: "Checking that you may admit patients, and signing the admission…" });
    try {
      const info = parsePatientPublicInfo(patient.text, patient.name);
      const client = await connect(config);
      const admission = await issueAdmission(client.chain, keys.accountKey, info);
      downloadText(`medring-admission-${admission.patient}.json`, encodeAdmission(admission));
      setStatus({ ok: `Admission for ${admission.patient} downloaded: give it to the patient (valid 7 days).` });
    } catch (err) {
      setStatus({ error: explain(err) });
    }
  };
  return (
    <Section id="admit" title="Admit a patient">
      <form onSubmit={(e) => void admit(e)}>
        <FileInput
          id="patient-public-file"
          label="Patient's public file"
          hint="The patient downloads it from their page (or runs medring address --json)."
          onFile={(input) => void readPickedFile(input).then(setPatient, (err: unknown) => setStatus({ error: explain(err) }))}
        />
        <button type="submit" disabled={!!status.busy}>
          Issue admission
        </button>
        <Status id="admit-status" {...status} />
      </form>
    </Section>
  );
}

function GrantedRecord({ config, keys, grant }: Props & { grant: RecordEntry }) {
  const [plaintext, setPlaintext] = useState<Uint8Array>();
  const [status, setStatus] = useState<{ busy?: string; error?: string }>({});
  const open = async () => {
    setStatus({ busy: "Reading and decrypting…" });
    try {
      const client = await connect(config);
      setPlaintext((await readGrantedRecord(client.chain, keys, grant.recordId)).plaintext);
      setStatus({});
    } catch (err) {
      setPlaintext(undefined);
      setStatus({ error: explain(err) });
    }
  };
  return (
    <li class="record" data-record-id={grant.recordId}>
      <RecordSummary entry={grant} label="Record" />
      <button type="button" onClick={() => void open()}>
        Open {short(grant.recordId)}
      </button>
      <Status {...status} />
      {plaintext && <RecordView plaintext={plaintext} title={`Record ${short(grant.recordId)}`} />}
    </li>
  );
}

function Granted(props: Props) {
  const [grants, setGrants] = useState<RecordEntry[]>();
  const [status, setStatus] = useState<{ busy?: string; error?: string }>({});
  const refresh = async () => {
    setStatus({ busy: "Reading your access list…" });
    try {
      const client = await connect(props.config);
      setGrants(await listGrantedRecords(client.chain, institutionPublicInfo(props.keys).address));
      setStatus({});
    } catch (err) {
      setStatus({ error: explain(err) });
    }
  };
  return (
    <Section id="granted" title="Records granted to you">
      <button type="button" onClick={() => void refresh()}>
        Refresh granted records
      </button>
      <Status {...status} />
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
