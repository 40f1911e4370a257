import PDFDocument from "pdfkit";
import type { AuditFigures } from "./audit-figures.ts";

type Lang = "fr" | "en";

const words = {
  fr: {
    title: "Rapport d'audit des recommandations",
    generated: "Généré le",
    quality: "Qualité des données par source",
    source: "Source",
    runs: "Imports",
    read: "Lignes lues",
    rejected: "Rejetées",
    score: "Score qualité",
    anomalies: "Anomalies ouvertes",
    none: "aucune",
    severities: { critical: "critiques", high: "élevées", medium: "moyennes", low: "faibles" },
    recommendations: "Recommandations",
    status: {
      pending: "en attente",
      approved: "approuvées",
      rejected: "rejetées",
      exported: "exportées",
    },
    approval: "Taux d'approbation",
    rating: "Note moyenne des commerciaux",
    metrics: "Mesures des algorithmes (historique du domaine)",
    metricsNote: (split: string, period: string, k: number) =>
      `Modèles entraînés avant le ${split}, jugés sur les achats des ${period} suivants ; NDCG, précision et taux de réussite à ${k}.`,
    noRun: "Aucune génération de recommandations pour l'instant.",
    tooShort: (split: string) =>
      `Historique trop court pour mesurer : il faut des achats avant et après le ${split}.`,
    algorithm: "Algorithme",
    hitRate: "Taux de réussite",
    protocol: { all: "tous produits", new: "produits nouveaux" },
    topWines: "Vins les plus recommandés",
    wine: "Vin",
    recommended: "Recommandé",
    approvedCol: "Approuvé",
    na: "n/d",
  },
  en: {
    title: "Recommendation audit report",
    generated: "Generated on",
    quality: "Data quality by source",
    source: "Source",
    runs: "Imports",
    read: "Rows read",
    rejected: "Rejected",
    score: "Quality score",
    anomalies: "Open anomalies",
    none: "none",
    severities: { critical: "critical", high: "high", medium: "medium", low: "low" },
    recommendations: "Recommendations",
    status: {
      pending: "pending",
      approved: "approved",
      rejected: "rejected",
      exported: "exported",
    },
    approval: "Approval rate",
    rating: "Mean rating by the sales team",
    metrics: "Measured algorithm metrics (the estate's own history)",
    metricsNote: (split: string, period: string, k: number) =>
      `Models trained before ${split}, judged on the purchases of the ${period} that followed; NDCG, precision and hit rate at ${k}.`,
    noRun: "No recommendations generated yet.",
    tooShort: (split: string) =>
      `History too short to measure: it needs purchases before and after ${split}.`,
    algorithm: "Algorithm",
    hitRate: "Hit rate",
    protocol: { all: "all products", new: "new products" },
    topWines: "Most recommended wines",
    wine: "Wine",
    recommended: "Recommended",
    approvedCol: "Approved",
    na: "n/a",
  },
};

/**
 * The printable audit report for the estate's owner, in French or English: data quality by
 * source, anomalies, recommendation counts and approval, measured algorithm metrics, top wines.
 */
export function renderAuditPdf(
  figures: AuditFigures,
  options: { lang: Lang; generatedAt: Date },
): Promise<Uint8Array> {
  const t = words[options.lang];
  // Numbers and days as the reader writes them (1,5 % and 3 décembre 2026 in French).
  const locale = options.lang === "fr" ? "fr-FR" : "en-GB";
  const decimal = (v: number) =>
    v.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const pct = (v: number | null) => (v === null ? t.na : `${decimal(v * 100)} %`);
  const day = (iso: string) =>
    new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString(locale, {
      day: "numeric",
      month: "long",
      year: "numeric",
      timeZone: "UTC",
    });
  // "6 mois", "35 days": a horizon of two or more whole 30-day months reads as months.
  const period = (days: number) =>
    days % 30 === 0 && days >= 60
      ? (days / 30).toLocaleString(locale, { style: "unit", unit: "month", unitDisplay: "long" })
      : days.toLocaleString(locale, { style: "unit", unit: "day", unitDisplay: "long" });
  const doc = new PDFDocument({
    size: "A4",
    margin: 50,
    info: { Title: `${t.title} — ${figures.estate}`, Producer: "CRM Reco" },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
  });

  const heading = (text: string) =>
    doc
      .moveDown(0.8)
      .font("Helvetica-Bold")
      .fontSize(13)
      .text(text)
      .moveDown(0.3)
      .font("Helvetica")
      .fontSize(10);
  const table = (headers: string[], rows: Array<Array<string | number>>, widths: number[]) => {
    const x0 = doc.page.margins.left;
    const line = (cells: Array<string | number>, bold: boolean) => {
      if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
      const y = doc.y;
      let x = x0;
      doc.font(bold ? "Helvetica-Bold" : "Helvetica");
      cells.forEach((cell, i) => {
        doc.text(String(cell), x, y, { width: widths[i]! - 6, lineBreak: false, ellipsis: true });
        x += widths[i]!;
      });
      doc.x = x0;
      doc.y = y + 15;
    };
    line(headers, true);
    for (const row of rows) line(row, false);
    doc.font("Helvetica");
  };

  doc.font("Helvetica-Bold").fontSize(18).text(t.title);
  doc.font("Helvetica").fontSize(11).text(figures.estate);
  doc
    .fontSize(9)
    .fillColor("#555")
    .text(`${t.generated} ${day(options.generatedAt.toISOString())}`)
    .fillColor("#000");

  heading(t.quality);
  table(
    [t.source, t.runs, t.read, t.rejected, t.score],
    figures.sources.map((s) => [
      s.name,
      s.runs,
      s.rowsRead,
      s.rowsRejected,
      s.qualityScore === null ? t.na : `${Math.round(s.qualityScore)}/100`,
    ]),
    [170, 70, 90, 80, 85],
  );
  const anomalies = (["critical", "high", "medium", "low"] as const)
    .filter((s) => figures.openAnomalies[s])
    .map((s) => `${figures.openAnomalies[s]} ${t.severities[s]}`);
  doc.moveDown(0.5).text(`${t.anomalies} : ${anomalies.length ? anomalies.join(", ") : t.none}`);

  heading(t.recommendations);
  doc.text(
    (["pending", "approved", "rejected", "exported"] as const)
      .map((s) => `${figures.byStatus[s] ?? 0} ${t.status[s]}`)
      .join(" · "),
  );
  doc.text(`${t.approval} : ${pct(figures.approvalRate)}`);
  doc.text(
    `${t.rating} : ${figures.meanRating === null ? t.na : `${decimal(figures.meanRating)} / 5`}`,
  );

  heading(t.metrics);
  const evaluation = figures.lastRun?.evaluation;
  if (!evaluation) doc.text(t.noRun);
  else if (evaluation.results.length === 0) doc.text(t.tooShort(day(evaluation.splitDate)));
  else {
    doc
      .fontSize(9)
      .fillColor("#555")
      .text(t.metricsNote(day(evaluation.splitDate), period(evaluation.horizonDays), evaluation.k))
      .fillColor("#000")
      .fontSize(10)
      .moveDown(0.3);
    table(
      [t.algorithm, "", `NDCG@${evaluation.k}`, `P@${evaluation.k}`, t.hitRate],
      evaluation.results.map((r) => [
        r.algorithm,
        t.protocol[r.protocol],
        pct(r.ndcg),
        pct(r.precision),
        pct(r.hitRate),
      ]),
      [120, 120, 85, 85, 85],
    );
  }

  heading(t.topWines);
  table(
    [t.wine, "SKU", t.recommended, t.approvedCol],
    figures.topWines.map((w) => [w.name, w.sku, w.recommended, w.approved]),
    [220, 90, 90, 90],
  );
  doc.end();
  return done;
}
