"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { findAdapter } from "../../ingest/adapters/registry";
import { UnreadableInputError } from "../../ingest/adapters/types";
import { importFile } from "../../ingest/import-file";
import { now } from "../../lib/clock";
import { guardProductAction } from "../settings/_lib/action-guard";
import { type FormState, failed } from "../settings/_lib/form-state";
import { textField } from "../settings/_lib/parse-fields";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_LABEL, parseUploadOptions } from "./_lib/upload-options";

/** The uploaded file's bytes, chunk by chunk, as importFile reads them (the Blob is read, not copied). */
async function* readChunks(file: File): AsyncIterable<Uint8Array> {
  const reader = file.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Import an uploaded file into a product the viewer may configure, as one
 * recorded run, then show that run. Whole-file problems (empty, binary,
 * unknown format) come back as a message naming the file; nothing is written
 * then. Files over 50 MB are refused: the CLI imports those from disk.
 */
export async function uploadImportAction(_prev: FormState, form: FormData): Promise<FormState> {
  const guard = await guardProductAction(form);
  if (!guard.ok) return guard.state;
  const file = form.get("file");
  if (!(file instanceof File) || (file.size === 0 && file.name === ""))
    return failed("Choose a file to import.", { file: ["choose a file"] });
  const name = file.name.slice(0, 255) || "upload";
  if (file.size > MAX_UPLOAD_BYTES)
    return failed(
      `${name}: larger than ${MAX_UPLOAD_LABEL}. Import it with the CLI: npm run northstar -- import <file> --product ${guard.product.slug}`,
      { file: [`at most ${MAX_UPLOAD_LABEL}`] },
    );
  const format = textField(form, "format") ?? "auto";
  if (format !== "auto" && !findAdapter(format))
    return failed(`${name}: unknown format "${format.slice(0, 40)}".`, {
      format: ["choose a format from the list"],
    });
  const parsed = parseUploadOptions({
    mapping: textField(form, "mapping"),
    kind: textField(form, "kind"),
    timezone: textField(form, "timezone"),
  });
  if ("error" in parsed) return failed(`${name}: ${parsed.error}`, { [parsed.field]: [parsed.error] });

  let runId: number | null = null;
  try {
    const result = await importFile(guard.db, {
      productId: guard.product.id,
      timezone: guard.product.timezone,
      format,
      fileName: name,
      open: () => readChunks(file),
      options: parsed.options,
      now: now(),
      onStart: (id) => {
        runId = id;
      },
    });
    runId = result.runId;
  } catch (err) {
    if (err instanceof UnreadableInputError) return failed(`${name}: ${err.message.replace(/\.$/, "")}.`);
    // A failure mid-run (database gone): the run is recorded as failed with its counts; show it.
    if (runId === null) return failed(`${name}: the import could not start. Try again, or use the CLI.`);
  }
  revalidatePath("/imports");
  redirect(`/imports/${runId}`);
}
