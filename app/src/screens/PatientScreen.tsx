/**
 * The patient's screen (paper Protocols 1 and 2): the public file to hand to an institution, registration with an
 * admission, new records (form or FHIR file), the records found from the key alone, opening, granting and revoking.
 * Every chain action is the CLI's own function from src/client (prepareRegister, prepareCreateRecord, prepareGrant,
 * prepareRevoke, listOwnRecords, readOwnRecord), so the CLI's rules hold here: ring size from the registry's
 * policy, decoys read from the chain, nothing naming the patient in anonymous actions.
 */
import { ZeroAddress } from "ethers";
import { useState } from "preact/hooks";
import {
  listOwnRecords,
  parseAdmission,
  prepareCreateRecord,
  prepareGrant,
  prepareRegister,
  prepareRevoke,
  readOwnRecord,
  type RecordEntry,
  type RecordInfoView,
} from "../../../src/client";
import { publicInfoOf, ringPublicKey, type PatientKeys } from "../../../src/keys";
import { sendTracked } from "../actions";
import { institutions as loadInstitutions, type InstitutionEntry } from "../chainViews";
import type { AppConfig } from "../config";
import { nextFrame, type PickedFile } from "../download";
import { validateFhir, validateFhirText } from "../fhir";
import { EMPTY_FORM, RESOURCE_KINDS, resourceFromForm, type RecordForm } from "../fhirForm";
import { InstitutionPicker } from "../institutionPicker";
import { PublicFileCard } from "../publicFile";
import { RecordSummary, RecordView } from "../recordView";
import { connect } from "../session";
import { useTask } from "../task";
import { FileForm, FileInput, Field, Section, Status, TextInput, short } from "../ui";

type Props = { config: AppConfig; keys: PatientKeys };

/** What `medring address --key FILE --json` prints for this key: what an institution needs to admit the patient. */
function publicFile(keys: PatientKeys): string {
  return JSON.stringify({ ...publicInfoOf(keys), encrypted: true }) + "\n";
}

function PublicPart({ keys }: { keys: PatientKeys }) {
  const info = publicInfoOf(keys);
  const text = publicFile(keys);
  return (
    <PublicFileCard
      id="public-part"
      intro="Give this to your clinic so it can admit you. It holds no secret."
      role="patient"
      address={info.address}
      publicKey={{ label: "Ring key", value: ringPublicKey(keys.ringKey) }}
      text={text}
      qrText={text}
    />
  );
}

function Registration({ config, keys }: Props) {
  const task = useTask();
  const register = async (admission: PickedFile) => {
    let json: unknown;
    try {
      json = JSON.parse(admission.text);
    } catch {
      throw new Error(`${admission.name} is not an admission file (not JSON): ask your clinic for the admission file`);
    }
    const parsed = parseAdmission(json, admission.name);
    const client = await connect(config);
    await sendTracked(client, "Register as a patient", () => prepareRegister(client.chain, keys, parsed));
    const rc = await client.chain.registerOf(publicInfoOf(keys).address);
    return rc === ZeroAddress ? "Registered." : `Registered: your register contract is ${rc}. You can create records now.`;
  };
  return (
    <Section id="register" title="Register">
      <FileForm
        file={{ id: "admission-file", label: "Admission file from your clinic", hint: "Your clinic makes it from your public file." }}
        submit="Register"
        missing="Choose the admission file your clinic gave you."
        busy="Registering: checking the admission, signing, sending…"
        task={task}
        statusId="register-status"
        onSubmit={register}
      />
    </Section>
  );
}

function NewRecord({ config, keys }: Props) {
  const [form, setForm] = useState<RecordForm>(EMPTY_FORM);
  const [file, setFile] = useState<{ name: string; text: string }>();
  const task = useTask();
  const busy = task.status.busy;
  const set = (field: keyof RecordForm) => (value: string) => setForm({ ...form, [field]: value });

  const create = (title: string, getJson: () => Promise<string>) =>
    task.run("Checking the record (FHIR R4)…", async () => {
      const json = await getJson();
      task.progress("Encrypting, drawing the ring from the registered patients and signing (about a second)…");
      await nextFrame();
      const client = await connect(config);
      const plaintext = new TextEncoder().encode(json);
      const info = await sendTracked(client, title, () => prepareCreateRecord(client, keys, { plaintext }));
      return `Record created anonymously (ring of ${info.ringSize}): ${info.recordId}`;
    });
  const fromForm = async () => {
    const resource = resourceFromForm(form);
    const verdict = await validateFhir(resource);
    if (!verdict.ok) throw new Error(verdict.message);
    return JSON.stringify(resource, null, 2);
  };
  const fromFile = async () => {
    if (!file) throw new Error("Choose a FHIR R4 JSON file first.");
    const verdict = await validateFhirText(file.text);
    if (!verdict.ok) throw new Error(`${file.name}: ${verdict.message}`);
    return file.text;
  };
  const observation = form.kind === "Observation";
  return (
    <Section id="new-record" title="New record">
      <p>Records are encrypted on this device and created anonymously: the chain sees a ring of registered patients, not you.</p>
      <form
        aria-label="Record from the form"
        onSubmit={(e) => {
          e.preventDefault();
          void create(`Create ${form.kind} record`, fromForm);
        }}
      >
        <Field id="record-kind" label="Kind of record">
          <select id="record-kind" value={form.kind} onChange={(e) => set("kind")((e.target as HTMLSelectElement).value)}>
            {RESOURCE_KINDS.map((k) => (
              <option key={k} value={k}>
                {{ Observation: "Measurement (Observation)", Condition: "Condition", MedicationStatement: "Medication", AllergyIntolerance: "Allergy" }[k]}
              </option>
            ))}
          </select>
        </Field>
        <TextInput
          id="record-code"
          label={observation ? "LOINC code" : "Code (optional)"}
          value={form.code}
          onInput={set("code")}
          hint={observation ? "For example 8480-6 (systolic blood pressure) or 4548-4 (HbA1c)." : "A SNOMED CT or RxNorm code, if you know it."}
        />
        <TextInput id="record-text" label={observation ? "What was measured (optional)" : "Description"} value={form.text} onInput={set("text")} />
        {observation && <TextInput id="record-value" label="Value" value={form.value} onInput={set("value")} type="text" />}
        {observation && <TextInput id="record-unit" label="Unit" value={form.unit} onInput={set("unit")} hint="For example mmHg, %, mg/dL." />}
        <TextInput id="record-date" label="Date (YYYY-MM-DD, optional)" value={form.date} onInput={set("date")} type="date" />
        <TextInput id="record-note" label="Note (optional)" value={form.note} onInput={set("note")} />
        <button type="submit" disabled={!!busy}>
          Encrypt and create record
        </button>
      </form>
      <form
        aria-label="Record from a file"
        onSubmit={(e) => {
          e.preventDefault();
          void create(`Create record from ${file?.name ?? "a file"}`, fromFile);
        }}
      >
        <FileInput
          id="record-file"
          label="Or upload a FHIR R4 JSON file"
          hint="A resource or a Bundle, as your clinic or health app exports it."
          onFile={setFile}
          onError={task.fail}
        />
        <button type="submit" disabled={!!busy}>
          Encrypt and create record from file
        </button>
      </form>
      <Status id="record-status" {...task.status} />
    </Section>
  );
}

function RecordPanel({ config, keys, record, institutions }: Props & { record: RecordEntry; institutions: InstitutionEntry[] }) {
  const [opened, setOpened] = useState<{ plaintext: Uint8Array; info: RecordInfoView }>();
  const [institution, setInstitution] = useState("");
  const [acceptNarrow, setAcceptNarrow] = useState(false);
  const task = useTask();
  const busy = task.status.busy;
  const open = () =>
    task.run("Reading and decrypting the record…", async () => {
      const client = await connect(config);
      const read = await readOwnRecord(client.chain, keys, record.recordId);
      setOpened({ plaintext: read.plaintext, info: read.info });
    });
  const grant = () =>
    task.run("Granting: wrapping the record key for the institution, signing with the record's ring…", async () => {
      if (!institution) throw new Error("Choose an institution in the list first.");
      const client = await connect(config);
      await sendTracked(client, `Grant record ${short(record.recordId)} to ${short(institution)}`, () =>
        prepareGrant(client, keys, record.recordId, institution, { acceptNarrowGrant: acceptNarrow }),
      );
      setOpened(await readOwnRecord(client.chain, keys, record.recordId));
    });
  const revoke = (target: string) =>
    task.run("Revoking: signing with the record's ring…", async () => {
      const client = await connect(config);
      await sendTracked(client, `Revoke record ${short(record.recordId)} from ${short(target)}`, () => prepareRevoke(client, keys, record.recordId, target));
      setOpened(await readOwnRecord(client.chain, keys, record.recordId));
    });
  const n = (record.index ?? 0) + 1; // a patient's listing numbers every record (src/client/recordEntry.ts)
  const base = `record-${n - 1}-${record.anonymous ? "a" : "i"}`;
  return (
    <li class="record" data-record-id={record.recordId}>
      <RecordSummary entry={record} label={`Record ${n}`} />
      <div class="buttons">
        <button type="button" onClick={() => void open()} aria-controls={`${base}-body`}>
          Open record {n}
        </button>
      </div>
      <Status {...task.status} />
      {opened && (
        <div id={`${base}-body`}>
          <RecordView plaintext={opened.plaintext} title={`Record ${n}`} />
          <h3>Shared with</h3>
          {opened.info.institutions.length === 0 ? (
            <p>No institution.</p>
          ) : (
            <ul class="shared">
              {opened.info.institutions.map((address) => (
                <li key={address}>
                  <code>{address}</code>{" "}
                  <button type="button" onClick={() => void revoke(address)} disabled={!!busy}>
                    Revoke {short(address)}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <h3>Share with an institution</h3>
          <InstitutionPicker id={`${base}-institution`} institutions={institutions} value={institution} onChange={setInstitution} />
          {/* The CLI's --accept-narrow-grant: a grant to the institution that admitted you, when it admitted few
              patients, leaves fewer candidates than your ring (README, "Security model"); refused unless accepted. */}
          <label class="check" for={`${base}-accept-narrow`}>
            <input
              id={`${base}-accept-narrow`}
              type="checkbox"
              checked={acceptNarrow}
              onChange={(event) => setAcceptNarrow((event.target as HTMLInputElement).checked)}
            />{" "}
            Share even if it narrows my anonymity (the institution that admitted me has admitted few patients)
          </label>
          <button type="button" onClick={() => void grant()} disabled={!!busy}>
            Grant access
          </button>
        </div>
      )}
    </li>
  );
}

function MyRecords(props: Props) {
  const [records, setRecords] = useState<RecordEntry[]>();
  const [institutions, setInstitutions] = useState<InstitutionEntry[]>([]);
  const task = useTask();
  const find = () =>
    task.run("Finding your records from your key (matching the public record index on this device)…", async () => {
      const client = await connect(props.config);
      const [found, certified] = await Promise.all([
        listOwnRecords(client.chain, props.keys, { onScan: (n) => task.progress(`Finding your records from your key: ${n} checked…`) }),
        loadInstitutions(client.chain),
      ]);
      setRecords(found);
      setInstitutions(certified);
    });
  return (
    <Section id="my-records" title="My records">
      <button type="button" onClick={() => void find()} disabled={!!task.status.busy}>
        Find my records
      </button>
      <Status {...task.status} ok={records ? `${records.length} record${records.length === 1 ? "" : "s"} found.` : undefined} />
      {records && (
        <ul class="records">
          {records.map((r) => (
            <RecordPanel key={r.recordId} {...props} record={r} institutions={institutions} />
          ))}
        </ul>
      )}
    </Section>
  );
}

export function PatientScreen(props: Props) {
  return (
    <div class="screen">
      <PublicPart keys={props.keys} />
      <Registration {...props} />
      <NewRecord {...props} />
      <MyRecords {...props} />
    </div>
  );
}
