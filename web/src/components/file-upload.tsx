import { createSignal, type JSX, Match, onCleanup, Show, Switch } from "solid-js";
import { ApiError } from "../lib/api.ts";
import { errorText, formatPercent, t } from "../lib/i18n.ts";
import "./file-upload.css";

type UploadState =
  | { kind: "idle" }
  | { kind: "sending"; done: number }
  | { kind: "done" }
  | { kind: "cancelled" }
  | { kind: "failed"; message: string };

/** An upload's failure in words a person can act on; never a bare status code. */
export function uploadErrorMessage(cause: unknown): string {
  if (cause instanceof ApiError) {
    if (cause.status === 0) return t("overview.upload.unreachable");
    if (cause.status === 413 || cause.code.endsWith("too_large"))
      return t("overview.upload.tooBig");
    // The API's own refusals explain themselves; a storage's (S3's XML) do not.
    if (cause.status >= 400 && cause.status < 500 && cause.code !== "http.error")
      return t("overview.upload.refused", { reason: errorText(cause) });
  }
  return t("overview.upload.failed");
}

/**
 * A file picker and a drop zone that send one file with `upload`, showing its progress (from
 * XMLHttpRequest's upload events), a cancel button while it runs, and the outcome. `children`
 * are fields that go with the file (what it contains); `onUploaded` receives what `upload`
 * resolved with.
 */
export function FileUpload<T>(props: {
  label: string;
  hint: string;
  accept: string;
  upload: (file: File, onProgress: (done: number) => void, signal: AbortSignal) => Promise<T>;
  onUploaded: (result: T) => void;
  children?: JSX.Element;
}) {
  const [state, setState] = createSignal<UploadState>({ kind: "idle" });
  const [dragging, setDragging] = createSignal(false);
  let controller: AbortController | null = null;
  onCleanup(() => controller?.abort());

  const start = async (file: File | undefined) => {
    if (!file || state().kind === "sending") return;
    if (file.size === 0) {
      setState({ kind: "failed", message: errorText({ code: "import.empty" }) }); // nothing to send
      return;
    }
    const mine = new AbortController();
    controller = mine;
    setState({ kind: "sending", done: 0 });
    try {
      const result = await props.upload(
        file,
        (done) => setState({ kind: "sending", done }),
        mine.signal,
      );
      setState({ kind: "done" });
      props.onUploaded(result);
    } catch (cause) {
      setState(
        mine.signal.aborted
          ? { kind: "cancelled" }
          : { kind: "failed", message: uploadErrorMessage(cause) },
      );
    } finally {
      if (controller === mine) controller = null;
    }
  };
  const percent = () => {
    const s = state();
    return s.kind === "done" ? 100 : s.kind === "sending" ? Math.round(s.done * 100) : 0;
  };

  return (
    <div class="file-upload">
      <div
        class="dropzone"
        classList={{ dragging: dragging() }}
        data-testid="dropzone"
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => e.preventDefault()}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void start(e.dataTransfer?.files[0]);
        }}
      >
        {props.children}
        <label>
          {props.label}
          <input
            type="file"
            accept={props.accept}
            disabled={state().kind === "sending"}
            onChange={(e) => {
              const input = e.currentTarget;
              void start(input.files?.[0]).then(() => {
                // The same file can be sent again after a failure or a cancel.
                input.value = "";
              });
            }}
          />
        </label>
        <span class="muted">{dragging() ? t("overview.upload.dropping") : props.hint}</span>
      </div>
      <Show when={state().kind === "sending" || state().kind === "done"}>
        <div class="upload-progress">
          <div
            role="progressbar"
            aria-label={t("sources.uploading")}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent()}
            aria-valuetext={t("overview.upload.progress", {
              percent: formatPercent(percent() / 100),
            })}
            class="upload-bar"
          >
            <span style={{ width: `${percent()}%` }} />
          </div>
          <Switch>
            <Match when={state().kind === "sending"}>
              <span class="muted">
                {t("overview.upload.progress", { percent: formatPercent(percent() / 100) })}
              </span>
              <button type="button" class="secondary" onClick={() => controller?.abort()}>
                {t("overview.upload.cancel")}
              </button>
            </Match>
            <Match when={state().kind === "done"}>
              <span class="notice" data-testid="upload-done">
                {t("overview.upload.done")}
              </span>
            </Match>
          </Switch>
        </div>
      </Show>
      <Switch>
        <Match when={state().kind === "cancelled"}>
          <p class="muted" aria-live="polite">
            {t("overview.upload.cancelled")}
          </p>
        </Match>
        <Match when={state().kind === "failed" && state()}>
          {(failed) => (
            <p role="alert" class="error">
              {(failed() as { message: string }).message}
            </p>
          )}
        </Match>
      </Switch>
    </div>
  );
}
