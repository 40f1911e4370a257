import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api, type Job } from "../lib/api.ts";
import { setLocale } from "../lib/i18n.ts";
import { FileUpload } from "./file-upload.tsx";

/** The browser's XMLHttpRequest as the upload uses it, driven by the test. */
class FakeXhr {
  static sent: FakeXhr[] = [];
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  statusText = "";
  responseText = "";
  aborted = false;
  upload: { onprogress: ((e: Partial<ProgressEvent>) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.sent.push(this);
  }
  abort() {
    this.aborted = true;
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ lengthComputable: true, loaded, total });
  }
  respond(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const job: Job = { id: "job-1", kind: "import", status: "queued", result: null, error: null };
const csv = () => new File(["N° client;Nom\r\nC1;Martin\r\n"], "clients.csv", { type: "text/csv" });

describe("FileUpload", () => {
  let uploaded: Job[];
  let uploadRequests: unknown[];

  beforeEach(() => {
    setLocale("fr");
    FakeXhr.sent = [];
    uploaded = [];
    uploadRequests = [];
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    // The server offers its own multipart endpoint (the VPS; AWS offers a presigned PUT).
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      expect(url).toBe("/api/uploads");
      uploadRequests.push(JSON.parse(String(init.body)));
      return new Response(
        JSON.stringify({
          method: "POST",
          url: "/api/sources/src-1/uploads",
          fields: { entity: "customers" },
          fileField: "file",
          maxBytes: 1_000_000,
        }),
        { status: 200, headers: { "content-type": "application/json" } },
      );
    });
    render(() => (
      <FileUpload
        label="Fichier CSV ou Excel"
        hint="ou déposez le fichier ici"
        accept=".csv"
        upload={(file, onProgress, signal) =>
          api.upload("src-1", "customers", file, onProgress, signal)
        }
        onUploaded={(result) => uploaded.push(result)}
      />
    ));
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  const choose = (file: File) => {
    const input = screen.getByLabelText("Fichier CSV ou Excel") as HTMLInputElement;
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    fireEvent.change(input);
  };
  const sentXhr = async () => {
    await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
    return FakeXhr.sent[0]!;
  };
  const bar = () => screen.getByRole("progressbar", { name: "Envoi du fichier" });

  it("moves the bar with the upload's progress events, then says the file was sent", async () => {
    choose(csv());
    const xhr = await sentXhr();
    expect(uploadRequests).toEqual([
      {
        sourceId: "src-1",
        entity: "customers",
        fileName: "clients.csv",
        contentType: "text/csv",
        sizeBytes: csv().size,
      },
    ]);
    expect([xhr.method, xhr.url]).toEqual(["POST", "/api/sources/src-1/uploads"]);
    expect((xhr.body as FormData).get("file")).toBeInstanceOf(File);
    expect((xhr.body as FormData).get("entity")).toBe("customers");
    expect(bar().getAttribute("aria-valuenow")).toBe("0");
    for (const [loaded, expected] of [
      [250, "25"],
      [640, "64"],
      [1000, "100"],
    ] as const) {
      xhr.progress(loaded, 1000);
      await waitFor(() => expect(bar().getAttribute("aria-valuenow")).toBe(expected));
    }
    expect(screen.queryByText("Fichier envoyé.")).toBeNull();
    xhr.respond(202, job);
    await waitFor(() => expect(screen.getByText("Fichier envoyé.")).toBeTruthy());
    expect(uploaded).toEqual([job]);
    expect(screen.queryByRole("button", { name: "Annuler l'envoi" })).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it.each([
    [
      "a file too large",
      (xhr: FakeXhr) =>
        xhr.respond(413, { error: { code: "upload.too_large", message: "Over 50 MB." } }),
      "Ce fichier est trop volumineux pour être envoyé.",
    ],
    [
      "a refusal the API explains, with a code the app has no words for",
      (xhr: FakeXhr) =>
        xhr.respond(422, {
          error: { code: "import.new_reason", message: "Le fichier n'est pas un CSV lisible." },
        }),
      "Le fichier a été refusé : Le fichier n'est pas un CSV lisible.",
    ],
    [
      "a refusal in the reader's language when its code is known (the API's message is English)",
      (xhr: FakeXhr) =>
        xhr.respond(415, {
          error: { code: "import.binary", message: "This is not a CSV or Excel (.xlsx) file." },
        }),
      "Le fichier a été refusé : Ce n'est pas un fichier CSV ou Excel (.xlsx).",
    ],
    [
      "missing columns, named by their French labels",
      (xhr: FakeXhr) =>
        xhr.respond(422, {
          error: {
            code: "mapping.missing_required",
            message:
              "No column for the required field(s): document_number (N° facture), sku (Code article).",
          },
        }),
      "Le fichier a été refusé : Des colonnes obligatoires manquent pour ce contenu (N° facture, Code article) : indiquez-les dans la correspondance de la source, ou vérifiez le contenu choisi.",
    ],
    [
      "a network failure",
      (xhr: FakeXhr) => xhr.onerror?.(),
      "Le serveur ne répond pas : vérifiez la connexion puis réessayez.",
    ],
    [
      "a server error",
      (xhr: FakeXhr) => xhr.respond(500, { error: { code: "internal", message: "boom 7f3a" } }),
      "L'envoi a échoué. Réessayez dans un instant.",
    ],
  ])("explains %s in plain words", async (_, fail, message) => {
    choose(csv());
    const xhr = await sentXhr();
    xhr.progress(100, 1000);
    fail(xhr);
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe(message));
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(uploaded).toEqual([]);
  });

  it("refuses an empty file before sending anything", async () => {
    choose(new File([], "clients.csv", { type: "text/csv" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("Le fichier est vide."));
    expect(FakeXhr.sent).toEqual([]);
    expect(uploaded).toEqual([]);
  });

  it("starts the upload when a file is dropped on the zone", async () => {
    const file = csv();
    fireEvent.drop(screen.getByTestId("dropzone"), { dataTransfer: { files: [file] } });
    const xhr = await sentXhr();
    expect((xhr.body as FormData).get("file")).toMatchObject({ name: "clients.csv" });
    xhr.progress(500, 1000);
    await waitFor(() => expect(bar().getAttribute("aria-valuenow")).toBe("50"));
  });

  it("cancels a running upload: the request is aborted and nothing is imported", async () => {
    choose(csv());
    const xhr = await sentXhr();
    xhr.progress(300, 1000);
    fireEvent.click(await screen.findByRole("button", { name: "Annuler l'envoi" }));
    await waitFor(() => expect(screen.getByText("Envoi annulé.")).toBeTruthy());
    expect(xhr.aborted).toBe(true);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(uploaded).toEqual([]);
  });
});
