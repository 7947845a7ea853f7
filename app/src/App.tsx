/** The page: the key store until a key is unlocked, then the screen of its role (patient, institution, regulator). */
import { useState } from "preact/hooks";
import type { ActorKeys } from "../../src/keys";
import { clearActions } from "./actions";
import type { AppConfig } from "./config";
import { downloadText } from "./download";
import type { StoredKey } from "./keyStore";
import { KeysScreen } from "./screens/KeysScreen";
import { InstitutionScreen } from "./screens/InstitutionScreen";
import { PatientScreen } from "./screens/PatientScreen";
import { RegulatorScreen } from "./screens/RegulatorScreen";
import { ActionList } from "./ui";

export interface Unlocked {
  entry: StoredKey;
  keys: ActorKeys;
}

const ROLE_TITLE = { patient: "Patient", institution: "Institution", regulator: "Regulator" };

export function App({ config }: { config: AppConfig }) {
  const [unlocked, setUnlocked] = useState<Unlocked | undefined>();
  return (
    <>
      <header class="top">
        <h1>MedRing</h1>
        {unlocked && (
          <nav aria-label="Key">
            <span class="who">
              {ROLE_TITLE[unlocked.entry.role]}: {unlocked.entry.label}
            </span>
            <button type="button" onClick={() => downloadText(`medring-${unlocked.entry.role}-${unlocked.entry.address}.json`, unlocked.entry.file)}>
              Export key file
            </button>
            <button
              type="button"
              onClick={() => {
                clearActions();
                setUnlocked(undefined);
              }}
            >
              Lock
            </button>
          </nav>
        )}
      </header>
      <main>
        {!unlocked && <KeysScreen onUnlocked={setUnlocked} />}
        {unlocked?.keys.role === "patient" && <PatientScreen config={config} keys={unlocked.keys} />}
        {unlocked?.keys.role === "institution" && <InstitutionScreen config={config} keys={unlocked.keys} />}
        {unlocked?.keys.role === "regulator" && <RegulatorScreen config={config} keys={unlocked.keys} />}
        <ActionList />
      </main>
      <footer>
        <p>
          Your keys stay on this device, encrypted under your passphrase. Records are encrypted here before anything is sent. Relayer {config.relayerUrl} ·
          chain {config.chainId}
        </p>
      </footer>
    </>
  );
}
