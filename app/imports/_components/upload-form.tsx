"use client";

import { ActionForm, Field } from "../../settings/_components/action-form";
import { uploadImportAction } from "../actions";

export interface FormatOption {
  name: string;
  kind: string;
  description: string;
}

/** The file upload form: product (those the viewer configures), format, optional mapping, kind and zone. */
export function UploadForm(props: {
  products: { slug: string; name: string }[];
  formats: FormatOption[];
  maxBytes: number;
  maxLabel: string;
  selected?: string;
}) {
  return (
    <ActionForm
      action={uploadImportAction}
      submitLabel="Upload and import"
      pendingLabel="Importing…"
      testId="upload-form"
    >
      <Field name="product" label="Product">
        <select name="product" defaultValue={props.selected ?? props.products[0]?.slug} required>
          {props.products.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      <Field name="file" label="File" hint={`At most ${props.maxLabel}; larger files: use the CLI.`}>
        <input
          name="file"
          type="file"
          required
          onChange={(event) => {
            const input = event.currentTarget;
            const file = input.files?.[0];
            input.setCustomValidity(
              file && file.size > props.maxBytes
                ? `${file.name} is larger than ${props.maxLabel}: import it with the CLI instead.`
                : "",
            );
          }}
        />
      </Field>
      <Field name="format" label="Format" hint="Auto detects it from the file and says which it chose.">
        <select name="format" defaultValue="auto">
          <option value="auto">auto (detect)</option>
          {["web", "survey", "social"].map((kind) => (
            <optgroup key={kind} label={kind}>
              {props.formats
                .filter((f) => f.kind === kind)
                .map((f) => (
                  <option key={f.name} value={f.name} title={f.description}>
                    {f.name}: {f.description}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </Field>
      <Field name="kind" label="Score kind (surveys)">
        <select name="kind" defaultValue="">
          <option value="">from the file</option>
          <option value="nps">NPS (0-10)</option>
          <option value="csat">CSAT (1-5)</option>
          <option value="ces">CES</option>
        </select>
      </Field>
      <Field
        name="timezone"
        label="Time zone of the file"
        hint="For timestamps without an offset; default: the product's"
      >
        <input name="timezone" placeholder="e.g. Europe/Berlin" autoComplete="off" />
      </Field>
      <Field
        name="mapping"
        label="Column mapping (csv)"
        hint="One field=column per line, e.g. timestamp=created_at"
        wide
      >
        <textarea name="mapping" placeholder={"timestamp=created_at\nevent=event_name\nuser=user_id"} />
      </Field>
    </ActionForm>
  );
}
