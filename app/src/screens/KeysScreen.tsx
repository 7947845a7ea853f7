/**
 * Keys on this device: unlock one, create one, import a CLI key file, export or remove one. Passphrases go through
 * scrypt (N = 2^15, as the CLI's key files), which takes a moment in a browser: the page says so while it works.
 */
import { useEffect, useState } from "preact/hooks";
import type { ActorRole } from "../../../src/keys";
import type { Unlocked } from "../App";
import { downloadText, type PickedFile } from "../download";
import { explain } from "../errors";
import { MIN_PASSPHRASE_LENGTH, createKey, importKey, listKeys, removeKey, unlockKey, type StoredKey } from "../keyStore";
import { useTask } from "../task";
import { FileForm, Field, Section, Status, TextInput, short } from "../ui";

const DERIVING = "Deriving the key from your passphrase (scrypt, a second or two)…";

function StoredKeyRow({ entry, onUnlocked, onRemoved }: { entry: StoredKey; onUnlocked: (u: Unlocked) => void; onRemoved: () => void }) {
  const [passphrase, setPassphrase] = useState("");
  const task = useTask();
  const id = `unlock-${entry.id.replace(/[^a-zA-Z0-9]/g, "")}`;
  const unlock = (e: Event) => {
    e.preventDefault();
    void task.run(DERIVING, async () => onUnlocked({ entry, keys: unlockKey(entry, passphrase) }));
  };
  return (
    <li class="key-row">
      <form onSubmit={unlock} aria-label={`Unlock ${entry.label}`}>
        <p>
          <strong>{entry.label}</strong> <span class="role">{entry.role}</span> <code title={entry.address}>{short(entry.address)}</code>
        </p>
        <TextInput id={id} label={`Passphrase for ${entry.label}`} type="password" value={passphrase} onInput={setPassphrase} autocomplete="current-password" />
        <div class="buttons">
          <button type="submit" disabled={!!task.status.busy}>
            Unlock
          </button>
          <button type="button" onClick={() => downloadText(`medring-${entry.role}-${entry.address}.json`, entry.file)}>
            Export key file
          </button>
          <button
            type="button"
            class="danger"
            onClick={() => {
              if (confirm(`Remove ${entry.label} from this device? Without an exported copy of the key file, its records cannot be opened again.`))
                void removeKey(entry.id).then(onRemoved);
            }}
          >
            Remove
          </button>
        </div>
        <Status {...task.status} />
      </form>
    </li>
  );
}

export function KeysScreen({ onUnlocked }: { onUnlocked: (u: Unlocked) => void }) {
  const [keys, setKeys] = useState<StoredKey[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const refresh = () => listKeys().then(setKeys, (err: unknown) => setLoadError(explain(err)));
  useEffect(() => void refresh(), []);

  const [role, setRole] = useState<ActorRole>("patient");
  const [label, setLabel] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [repeat, setRepeat] = useState("");
  const creating = useTask();
  const create = (e: Event) => {
    e.preventDefault();
    if (passphrase !== repeat) return creating.fail("The two passphrases differ: type the same passphrase twice.");
    void creating.run(`Creating keys and encrypting them: ${DERIVING}`, async () => onUnlocked(await createKey(role, label, passphrase)));
  };

  const [importLabel, setImportLabel] = useState("");
  const [importPassphrase, setImportPassphrase] = useState("");
  const importing = useTask();
  const doImport = async (file: PickedFile) => onUnlocked(await importKey(file.text, importLabel, importPassphrase));

  return (
    <>
      <Section id="stored-keys" title="Keys on this device">
        {loadError && <Status error={loadError} />}
        {keys.length === 0 ? <p>No keys yet: create one below, or import a key file made with the medring command line.</p> : null}
        <ul class="keys">
          {keys.map((entry) => (
            <StoredKeyRow key={entry.id} entry={entry} onUnlocked={onUnlocked} onRemoved={() => void refresh()} />
          ))}
        </ul>
      </Section>
      <Section id="create-key" title="Create a key">
        <form onSubmit={create}>
          <Field id="create-role" label="I am">
            <select id="create-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as ActorRole)}>
              <option value="patient">a patient</option>
              <option value="institution">an institution (clinic, hospital)</option>
              <option value="regulator">the regulator</option>
            </select>
          </Field>
          <TextInput id="create-label" label="Name for this key (shown on this device only)" value={label} onInput={setLabel} />
          <TextInput
            id="create-passphrase"
            label="Passphrase"
            type="password"
            value={passphrase}
            onInput={setPassphrase}
            autocomplete="new-password"
            hint={`At least ${MIN_PASSPHRASE_LENGTH} characters. It encrypts the key on this device; nobody can recover it for you.`}
          />
          <TextInput id="create-repeat" label="Passphrase again" type="password" value={repeat} onInput={setRepeat} autocomplete="new-password" />
          <button type="submit" disabled={!!creating.status.busy}>
            Create key
          </button>
          <Status {...creating.status} />
        </form>
      </Section>
      <Section id="import-key" title="Import a key file">
        <FileForm
          file={{ id: "import-file", label: "Key file", hint: "A file made by “medring keys new”, or exported from this page." }}
          submit="Import key"
          missing="Choose a key file first."
          busy={DERIVING}
          task={importing}
          onSubmit={doImport}
        >
          <TextInput id="import-label" label="Name for this key (shown on this device only)" value={importLabel} onInput={setImportLabel} />
          <TextInput
            id="import-passphrase"
            label="Passphrase"
            type="password"
            value={importPassphrase}
            onInput={setImportPassphrase}
            autocomplete="current-password"
            hint="The file's passphrase; for a file without one, a new passphrase to keep it encrypted here."
          />
        </FileForm>
      </Section>
    </>
  );
}
