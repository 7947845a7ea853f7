/**
 * Errors as sentences a patient or a clinic can act on (issue: "this institution is not certified" rather than an
 * error code). The client's own message stays visible after the advice, so nothing is hidden.
 */
import { ClientError } from "../../src/client";
import { KeyFileError } from "../../src/keys";
import { FormProblem } from "./fhirForm";

/** Known refusals (custom errors of the contracts, relayer error codes) and what to do about them. */
const ADVICE: Array<[RegExp, string]> = [
  [/InstitutionNotCertified/, "This institution is not certified by the regulator. Choose a certified institution, or ask the regulator to certify it."],
  [
    /RegistryAdmitterNotAuthorized|not_admitter|may not admit/,
    "This institution may not admit patients: the regulator has not certified it (or has decertified it).",
  ],
  [/RegistryAdmissionSignatureInvalid/, "The admission file does not match this key. Ask the institution for a new admission for your public file."],
  [/already registered/, "This key is already registered: you can create records right away."],
  [/admission expired/, "The admission has expired. Ask the institution for a new one."],
  [
    /admission is for/,
    "This admission was issued for someone else (another key or another deployment). Ask the institution for an admission for your public file.",
  ],
  [/not registered: run/, "Register first, with the admission file your institution gave you."],
  [/anonymity set has|ring_size_out_of_policy/, "Not enough registered patients yet for an anonymous ring. Try again once more patients have registered."],
  [/not_granted|not granted/, "This record is not shared with this institution (never granted, or revoked by the patient)."],
  [/never certified/, "This institution was never certified: it has no encryption key on chain."],
  [/rate_limited|suspended/, "The relayer is limiting requests. Wait a minute and try again."],
  [/overloaded|busy|chain_unavailable|store_unavailable/, "The relayer is busy or cannot reach the chain. Try again in a moment."],
  [/unreachable|Failed to fetch|NetworkError/, "The MedRing services cannot be reached. Check that `npm start` is still running, then try again."],
  [/deadline_expired|expired/, "The signed action expired before it was sent. Try again."],
];

export function explain(err: unknown): string {
  if (err instanceof FormProblem) return err.message; // already says which field to fix and how
  if (err instanceof KeyFileError) {
    if (err.code === "WRONG_PASSPHRASE") return "Wrong passphrase: type the passphrase you chose for this key.";
    if (err.code === "PASSPHRASE_REQUIRED") return "This key file is encrypted: type its passphrase.";
    if (err.code === "INCONSISTENT") return `This key file has been altered and cannot be used (${err.message}).`;
    return `This is not a MedRing key file (${err.message}).`;
  }
  const message = err instanceof Error ? err.message : String(err);
  const advice = ADVICE.find(([pattern]) => pattern.test(message))?.[1];
  if (err instanceof ClientError && err.kind === "anonymity") {
    // The client's own floor and cross-checks (README, "Security model"): nothing was signed or sent.
    return `Nothing was sent, to protect your anonymity: ${message}. If the services disagree, try again later or ask the operator.`;
  }
  if (err instanceof ClientError && err.kind === "integrity") return `The stored record does not check out and was not opened (${message}).`;
  return advice ? `${advice} (${message})` : message;
}
