import iconv from "iconv-lite";

/** A French iSaVigne-style export: `;`, Windows-1252, CRLF, decimal commas, a title line. */
export const cp1252 = (text: string) => new Uint8Array(iconv.encode(text, "windows-1252"));
export const utf8 = (text: string) => new TextEncoder().encode(text);

export const customersCsv =
  [
    "Export clients du 01/03/2024;;;;;",
    "N° client;Nom;Prénom;E-mail;CP;Ville",
    "C001;Lefèvre;Zoé;Zoe.Lefevre@Example.fr;01000;Bourg-en-Bresse",
    "C002;Dupré;Noël;;21200;Beaune",
    ";Sans;Code;;;",
    "C003;Müller;Jürgen;jm@example.de;68000;Colmar",
  ].join("\r\n") + "\r\n";

/** What importing `customersCsv` (Windows-1252) into an empty estate must report. */
export const customersCsvSummary = {
  status: "partial",
  rowsRead: 4,
  rowsInserted: 3,
  rowsUpdated: 0,
  rowsUnchanged: 0,
  rowsRejected: 1,
  encoding: "windows-1252",
  delimiter: ";",
} as const;

export const orderLinesCsv =
  [
    "N° facture;Date pièce;N° client;Code article;Désignation;Qté;PU TTC",
    "FA-1;01/03/2024;C001;CRE-21;Crémant 2021;6;12,50",
    "FA-1;01/03/2024;C001;CRE-21;Crémant 2021;1;0",
    "FA-1;01/03/2024;C001;PN-22;Pinot Noir 2022;2;34,90",
    "FA-2;25/03/2024;C009;PN-22;Pinot Noir 2022;2;34,90",
    "FA-3;31/02/2024;C002;PN-22;Pinot Noir 2022;1;34,90",
    "FA-4;02/04/2024;C002;GEW-20;Gewurztraminer 2020;abc;19,00",
  ].join("\r\n") + "\r\n";

/** A generated order-lines export of `lines` lines over a few hundred customers and 40 wines. */
export function generatedOrderLines(lines: number): string {
  const out = ["N° facture;Date pièce;N° client;Code article;Désignation;Qté;PU TTC"];
  for (let i = 0; i < lines; i++) {
    const doc = Math.floor(i / 3);
    const day = 1 + (doc % 28);
    const month = 1 + (Math.floor(doc / 28) % 12);
    out.push(
      `F${doc};${String(day).padStart(2, "0")}/${String(month).padStart(2, "0")}/2024;C${doc % 397};SKU-${i % 40};Cuvée ${i % 40};${1 + (i % 6)};${12 + (i % 40)},50`,
    );
  }
  return out.join("\r\n") + "\r\n";
}
