import { createWriteStream } from "node:fs";
import { once } from "node:events";

/**
 * A French order-lines export of `lines` lines (~100 bytes a line): `;`, decimal commas,
 * dd/mm/yyyy, three lines per invoice, 20,000 customers, 1,000 wines. Deterministic.
 */
export async function writeOrderLinesCsv(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write(
    "N° facture;Date pièce;N° client;Nom client;Code article;Désignation;Qté;PU TTC;Montant TTC\r\n",
  );
  let chunk = "";
  for (let i = 0; i < lines; i++) {
    const doc = Math.floor(i / 3);
    const day = 1 + (doc % 28);
    const month = 1 + (Math.floor(doc / 28) % 12);
    const year = 2020 + (Math.floor(doc / 336) % 5);
    const sku = (i * 7919) % 1000;
    const qty = 1 + (i % 12);
    const cents = 850 + ((sku * 37) % 4000);
    const price = `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, "0")}`;
    const total = ((qty * cents) / 100).toFixed(2).replace(".", ",");
    chunk += `FA-${String(doc).padStart(7, "0")};${String(day).padStart(2, "0")}/${String(month).padStart(2, "0")}/${year};C${String(doc % 20_000).padStart(6, "0")};Client ${doc % 20_000};SKU-${String(sku).padStart(4, "0")};Cuvée ${sku};${qty};${price};${total}\r\n`;
    if (chunk.length > 1 << 16) {
      await write(chunk);
      chunk = "";
    }
  }
  await write(chunk);
  out.end();
  await once(out, "finish");
}
