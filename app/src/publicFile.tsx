/**
 * "Your public file", the patient's and the institution's alike: the account and the one public key the other side
 * needs (an institution admits a patient from it, the regulator certifies an institution from it), shown, as a QR
 * code, and as a file to download. It holds no secret.
 */
import type { ComponentChildren } from "preact";
import { downloadText } from "./download";
import { QrCode } from "./qr";
import { Section } from "./ui";

export function PublicFileCard(props: {
  id: string;
  intro: string;
  role: "patient" | "institution";
  address: string;
  publicKey: { label: string; value: string };
  /** The file's text, and what the QR code holds (the same, or a compact form of it). */
  text: string;
  qrText: string;
  /** A further button beside the download, and what follows the buttons (its status). */
  button?: ComponentChildren;
  children?: ComponentChildren;
}) {
  return (
    <Section id={props.id} title="Your public file">
      <p>{props.intro}</p>
      <dl class="facts">
        <dt>Account</dt>
        <dd>
          <code>{props.address}</code>
        </dd>
        <dt>{props.publicKey.label}</dt>
        <dd>
          <code class="wrap">{props.publicKey.value}</code>
        </dd>
      </dl>
      <div class="qr-box">
        <QrCode text={props.qrText} label="QR code of your public file" />
      </div>
      <div class="buttons">
        <button type="button" onClick={() => downloadText(`medring-${props.role}-public-${props.address}.json`, props.text)}>
          Download public file
        </button>
        {props.button}
      </div>
      {props.children}
    </Section>
  );
}
