import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { createFsBlobStore } from "../adapters/blob/fs.ts";
import { deleteFilesNaming } from "./erase-stored-files.ts";

const dir = mkdtempSync(join(tmpdir(), "crm-reco-erase-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const text = (s: string) => new TextEncoder().encode(s);

describe("deleteFilesNaming", () => {
  it("deletes the exports that name the person, and only those", async () => {
    const blobs = createFsBlobStore(dir);
    const t = "tenant-a";
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("Clients").addRows([
      ["N° client", "Nom"],
      ["C00785", "Richard"],
    ]);
    const twoSheets = new ExcelJS.Workbook();
    twoSheets.addWorksheet("Ventes").addRows([
      ["Facture", "Client"],
      ["F1", "C1"],
    ]);
    twoSheets.addWorksheet("Contacts").addRows([["E-mail"], ["F.Richard@orange.fr"]]);
    const files: Record<string, Uint8Array> = {
      [`${t}/imports/1/clients.xlsx`]: new Uint8Array(await workbook.xlsx.writeBuffer()),
      [`${t}/imports/2/contacts.csv`]: text(
        'Client;Contact\nK9;"F. Richard <F.RICHARD@ORANGE.FR>"\n',
      ),
      [`${t}/imports/3/odoo.csv`]: text("Customer ID;Name\n5017;Frédéric Richard\n"),
      // The person's Odoo number is 17 and 5017: a quantity or a price of 17 is not them, nor a
      // code inside a longer cell.
      [`${t}/imports/4/ventes.csv`]: text(
        "N° facture;Client;Qté;Prix\nF1;K2;17;17,00\nF2;K3;6;C00785X\n",
      ),
      [`${t}/imports/5/autres.csv`]: text("N° client;E-mail\nC00786;richard@orange.fr\n"),
      // Files no import could read, or read only in part, name them all the same: a list of
      // e-mails (one column), a preamble, the header row itself, a workbook's second sheet.
      [`${t}/imports/7/liste.csv`]: text("autre@x.fr\nf.richard@orange.fr\n"),
      [`${t}/imports/8/export.csv`]: text(
        "Relevé de F. Richard <f.richard@orange.fr>\n\nCode;Nom\nC1;Martin\n",
      ),
      [`${t}/imports/9/sans-entete.csv`]: text("C00785;Richard\nC1;Martin\n"),
      [`${t}/imports/10/classeur.xlsx`]: new Uint8Array(await twoSheets.xlsx.writeBuffer()),
      // A price of 5017,50 is not their number; nor, without their name in the row, a vintage
      // or a postcode that reads as one of their ids.
      [`${t}/imports/11/prix.csv`]: text("Réf;Prix\nR1;5017,50\n"),
      [`${t}/imports/12/vins.csv`]: text("Cuvée;Millésime\nRiesling;5017\n"),
      [`${t}/imports/13/clients.csv`]: text("N° client;Nom;CP\nC9;Martin;67100\n"),
      // E-mails in a list or a link, their name in another case and without its accent.
      [`${t}/imports/14/liste.csv`]: text('Client;E-mails\nK1;"a@x.fr, F.Richard@orange.fr"\n'),
      [`${t}/imports/15/liens.csv`]: text("Client,Lien\nK1,mailto:f.richard@orange.fr\n"),
      [`${t}/imports/16/ventes.csv`]: text("Facture;Client;Nom\nF1;5017;RICHARD Frédéric\n"),
      [`uploads/${t}/s/customers/u1/direct.csv`]: text("N° client;Nom\nC00785;Richard\n"),
      [`tenant-b/imports/6/clients.csv`]: text("N° client\nC00785\n"), // another estate's
    };
    for (const [key, bytes] of Object.entries(files)) await blobs.put(key, bytes);
    const deleted = await deleteFilesNaming(blobs, t, {
      identifiers: ["C00785", "f.richard@orange.fr", "17", "5017", "67100"],
      names: ["Richard"],
    });
    expect(deleted.sort()).toEqual([
      `${t}/imports/1/clients.xlsx`,
      `${t}/imports/10/classeur.xlsx`,
      `${t}/imports/14/liste.csv`,
      `${t}/imports/15/liens.csv`,
      `${t}/imports/16/ventes.csv`,
      `${t}/imports/2/contacts.csv`,
      `${t}/imports/3/odoo.csv`,
      `${t}/imports/7/liste.csv`,
      `${t}/imports/8/export.csv`,
      `${t}/imports/9/sans-entete.csv`,
      `uploads/${t}/s/customers/u1/direct.csv`,
    ]);
    const left = [...(await blobs.list(`${t}/`)), ...(await blobs.list("tenant-b/"))].map(
      (b) => b.key,
    );
    expect(left.sort()).toEqual([
      `${t}/imports/11/prix.csv`,
      `${t}/imports/12/vins.csv`,
      `${t}/imports/13/clients.csv`,
      `${t}/imports/4/ventes.csv`,
      `${t}/imports/5/autres.csv`,
      "tenant-b/imports/6/clients.csv",
    ]);
  });

  it("fails, deleting nothing, when a stored file cannot be read", async () => {
    const blobs = createFsBlobStore(dir);
    await blobs.put("t-c/imports/1/a.csv", text("Code\nC00785\n"));
    await blobs.put("t-c/imports/2/b.csv", text("Code\nC00785\n"));
    const failing = {
      ...blobs,
      get: async (key: string) => {
        if (key.endsWith("b.csv")) throw new Error("SlowDown: please reduce your request rate");
        return blobs.get(key);
      },
    };
    await expect(
      deleteFilesNaming(failing, "t-c", { identifiers: ["C00785"], names: [] }),
    ).rejects.toThrow("SlowDown");
    expect((await blobs.list("t-c/")).map((b) => b.key).sort()).toEqual([
      "t-c/imports/1/a.csv",
      "t-c/imports/2/b.csv",
    ]);
  });
});
