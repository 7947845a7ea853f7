/** Small labelled controls: every input has a visible label, and every status is announced (aria-live). */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useActions } from "./actions";
import { readPickedFile, type PickedFile } from "./download";
import { explain } from "./errors";
import type { Task } from "./task";

export function Field(props: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <small id={`${props.id}-hint`} class="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}

export function TextInput(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: "text" | "password" | "search" | "date";
  hint?: string;
  placeholder?: string;
  autocomplete?: string;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint}>
      <input
        id={props.id}
        name={props.id}
        type={(props.type ?? "text") as "text"}
        value={props.value}
        placeholder={props.placeholder}
        autocomplete={props.autocomplete ?? "off"}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
    </Field>
  );
}

/**
 * A file the user picks, read on the page (download.ts readPickedFile: nothing is uploaded): `onFile` gets its name
 * and text, `onError` what went wrong, explained (errors.ts).
 */
export function FileInput(props: {
  id: string;
  label: string;
  hint?: string;
  accept?: string;
  onFile: (file: PickedFile | undefined) => void;
  onError: (message: string) => void;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint}>
      <input
        id={props.id}
        name={props.id}
        type="file"
        accept={props.accept ?? "application/json,.json"}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        onChange={(e) => void readPickedFile(e.target as HTMLInputElement).then(props.onFile, (err: unknown) => props.onError(explain(err)))}
      />
    </Field>
  );
}

/**
 * A form that submits one file the user picks (an admission, a public file, a key file), through `task`: refused
 * with `missing` until a file is picked, then `busy` while `onSubmit` works on it. `children` are further fields
 * shown between the file and the button.
 */
export function FileForm(props: {
  file: { id: string; label: string; hint: string };
  submit: string;
  missing: string;
  busy: string;
  task: Task;
  statusId?: string;
  onSubmit: (file: PickedFile) => Promise<string | void>;
  children?: ComponentChildren;
}) {
  const [file, setFile] = useState<PickedFile>();
  const { task } = props;
  const submit = (e: Event) => {
    e.preventDefault();
    if (!file) return task.fail(props.missing);
    void task.run(props.busy, () => props.onSubmit(file));
  };
  return (
    <form onSubmit={submit}>
      <FileInput {...props.file} onFile={setFile} onError={task.fail} />
      {props.children}
      <button type="submit" disabled={!!task.status.busy}>
        {props.submit}
      </button>
      <Status id={props.statusId} {...task.status} />
    </form>
  );
}

/** A message for the user: progress (polite) or an error that says what to do (assertive). */
export function Status(props: { id?: string; busy?: string; error?: string; ok?: string }) {
  if (props.error)
    return (
      <p id={props.id} class="status error" role="alert">
        {props.error}
      </p>
    );
  if (props.busy)
    return (
      <p id={props.id} class="status busy" role="status" aria-live="polite">
        <span class="spinner" aria-hidden="true" /> {props.busy}
      </p>
    );
  if (props.ok)
    return (
      <p id={props.id} class="status ok" role="status" aria-live="polite">
        {props.ok}
      </p>
    );
  return <p id={props.id} class="status" role="status" aria-live="polite" />;
}

export function Section(props: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={`${props.id}-title`} id={props.id}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
    </section>
  );
}

const STATE_LABEL: Record<string, string> = {
  signing: "Signing",
  accepted: "Accepted",
  sent: "Sent",
  mined: "Mined",
  confirmed: "Confirmed",
  failed: "Failed",
};

/** The actions sent from this page, newest first, each with its state. */
export function ActionList() {
  const actions = useActions();
  if (actions.length === 0) return null;
  return (
    <Section id="activity" title="Activity">
      <ol class="actions" aria-live="polite">
        {actions.map((a) => (
          <li key={a.id} class={`action state-${a.state}`} data-state={a.state}>
            <span class="badge">{STATE_LABEL[a.state]}</span> <strong>{a.title}</strong>
            <div class="detail">{a.detail}</div>
          </li>
        ))}
      </ol>
    </Section>
  );
}

export function short(hex: string): string {
  return hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-6)}` : hex;
}
