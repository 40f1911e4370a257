import { withoutAccents } from "@crm-reco/core/normalize/text";
// A fictional domaine, generated from a seed: the catalogue, the customers and five years of sales
// as the estate would hand them over (iSaVigne-style `;` CSV with French headers, with the mess
// real exports have). Deterministic: the same seed gives the same bytes.

export interface DemoFiles {
  products: string;
  customers: string;
  sales: string;
  /** The e-shop's Odoo, exported from its list views (UTF-8, `,`, ISO dates): its own ids. */
  odooCustomers: string;
  odooSales: string;
}

export interface DemoOptions {
  seed?: number;
  privateCustomers?: number;
  tradeCustomers?: number;
  /** The last day of sales (ISO); five years of history end there. */
  until?: string;
}

const CUVEES: Array<{
  name: string;
  color: string;
  appellation: string;
  grapes: string;
  price: number;
  style: number;
}> = [
  {
    name: "Riesling Grand Cru Schlossberg",
    color: "Blanc",
    appellation: "Alsace Grand Cru",
    grapes: "Riesling",
    price: 29,
    style: 0,
  },
  {
    name: "Riesling Réserve",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Riesling",
    price: 12.5,
    style: 0,
  },
  {
    name: "Riesling Vieilles Vignes",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Riesling",
    price: 17,
    style: 0,
  },
  {
    name: "Pinot Gris Réserve",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Pinot Gris",
    price: 13.9,
    style: 0,
  },
  {
    name: "Pinot Gris Grand Cru Hengst",
    color: "Blanc",
    appellation: "Alsace Grand Cru",
    grapes: "Pinot Gris",
    price: 31,
    style: 0,
  },
  {
    name: "Gewurztraminer Réserve",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Gewurztraminer",
    price: 14.5,
    style: 0,
  },
  {
    name: "Gewurztraminer Vendanges Tardives",
    color: "Moelleux",
    appellation: "Alsace",
    grapes: "Gewurztraminer",
    price: 38,
    style: 3,
  },
  {
    name: "Pinot Gris Sélection de Grains Nobles",
    color: "Moelleux",
    appellation: "Alsace",
    grapes: "Pinot Gris",
    price: 55,
    style: 3,
  },
  {
    name: "Muscat d'Alsace",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Muscat",
    price: 11.5,
    style: 0,
  },
  {
    name: "Sylvaner Vieilles Vignes",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Sylvaner",
    price: 8.9,
    style: 0,
  },
  {
    name: "Pinot Blanc",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Pinot Blanc",
    price: 8.5,
    style: 0,
  },
  {
    name: "Edelzwicker",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Sylvaner, Pinot Blanc, Riesling",
    price: 7.2,
    style: 0,
  },
  {
    name: "Klevener de Heiligenstein",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Savagnin Rose",
    price: 15.5,
    style: 0,
  },
  {
    name: "Auxerrois Cuvée Marie",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Auxerrois",
    price: 10.5,
    style: 0,
  },
  {
    name: "Riesling Lieu-dit Kirchberg",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Riesling",
    price: 21,
    style: 0,
  },
  {
    name: "Gewurztraminer Grand Cru Kessler",
    color: "Blanc",
    appellation: "Alsace Grand Cru",
    grapes: "Gewurztraminer",
    price: 27,
    style: 0,
  },
  {
    name: "Pinot Noir Tradition",
    color: "Rouge",
    appellation: "Alsace",
    grapes: "Pinot Noir",
    price: 12,
    style: 1,
  },
  {
    name: "Pinot Noir Vieilles Vignes",
    color: "Rouge",
    appellation: "Alsace",
    grapes: "Pinot Noir",
    price: 19.5,
    style: 1,
  },
  {
    name: "Pinot Noir Fût de Chêne",
    color: "Rouge",
    appellation: "Alsace",
    grapes: "Pinot Noir",
    price: 24,
    style: 1,
  },
  {
    name: "Pinot Noir Grand Cru Hengst",
    color: "Rouge",
    appellation: "Alsace Grand Cru",
    grapes: "Pinot Noir",
    price: 39,
    style: 1,
  },
  {
    name: "Rouge d'Ottrott",
    color: "Rouge",
    appellation: "Alsace",
    grapes: "Pinot Noir",
    price: 16,
    style: 1,
  },
  {
    name: "Pinot Noir Cuvée des Amis",
    color: "Rouge",
    appellation: "Alsace",
    grapes: "Pinot Noir",
    price: 10.9,
    style: 1,
  },
  {
    name: "Rosé de Pinot Noir",
    color: "Rosé",
    appellation: "Alsace",
    grapes: "Pinot Noir",
    price: 10.5,
    style: 2,
  },
  {
    name: "Rosé Gourmand",
    color: "Rosé",
    appellation: "Alsace",
    grapes: "Pinot Noir, Pinot Gris",
    price: 9.5,
    style: 2,
  },
  {
    name: "Crémant d'Alsace Brut",
    color: "Effervescent",
    appellation: "Crémant d'Alsace",
    grapes: "Pinot Blanc, Auxerrois",
    price: 11.9,
    style: 4,
  },
  {
    name: "Crémant d'Alsace Rosé",
    color: "Effervescent",
    appellation: "Crémant d'Alsace",
    grapes: "Pinot Noir",
    price: 13.5,
    style: 4,
  },
  {
    name: "Crémant d'Alsace Blanc de Blancs",
    color: "Effervescent",
    appellation: "Crémant d'Alsace",
    grapes: "Chardonnay",
    price: 15,
    style: 4,
  },
  {
    name: "Crémant d'Alsace Extra Brut",
    color: "Effervescent",
    appellation: "Crémant d'Alsace",
    grapes: "Riesling, Pinot Blanc",
    price: 16.5,
    style: 4,
  },
  {
    name: "Crémant d'Alsace Cuvée Prestige",
    color: "Effervescent",
    appellation: "Crémant d'Alsace",
    grapes: "Pinot Noir, Chardonnay",
    price: 22,
    style: 4,
  },
  {
    name: "Riesling Sec Nature",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Riesling",
    price: 14,
    style: 0,
  },
  {
    name: "Pinot Gris Vendanges Tardives",
    color: "Moelleux",
    appellation: "Alsace",
    grapes: "Pinot Gris",
    price: 35,
    style: 3,
  },
  {
    name: "Muscat Grand Cru Goldert",
    color: "Blanc",
    appellation: "Alsace Grand Cru",
    grapes: "Muscat",
    price: 26,
    style: 0,
  },
  {
    name: "Sylvaner Zotzenberg",
    color: "Blanc",
    appellation: "Alsace Grand Cru",
    grapes: "Sylvaner",
    price: 18,
    style: 0,
  },
  {
    name: "Chasselas",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Chasselas",
    price: 7.5,
    style: 0,
  },
  {
    name: "Gewurztraminer Cuvée Louise",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Gewurztraminer",
    price: 19,
    style: 0,
  },
  {
    name: "Riesling Cuvée Frédéric",
    color: "Blanc",
    appellation: "Alsace",
    grapes: "Riesling",
    price: 23,
    style: 0,
  },
  {
    name: "Pinot Noir Rosé Saignée",
    color: "Rosé",
    appellation: "Alsace",
    grapes: "Pinot Noir",
    price: 12.9,
    style: 2,
  },
  {
    name: "Vin de Paille",
    color: "Moelleux",
    appellation: "Vin de France",
    grapes: "Gewurztraminer",
    price: 45,
    style: 3,
  },
  {
    name: "Marc de Gewurztraminer",
    color: "Autre",
    appellation: "Eau-de-vie",
    grapes: "Gewurztraminer",
    price: 32,
    style: 5,
  },
  {
    name: "Crémant d'Alsace Demi-Sec",
    color: "Effervescent",
    appellation: "Crémant d'Alsace",
    grapes: "Pinot Blanc",
    price: 12.5,
    style: 4,
  },
];

const FIRST = [
  "Marie",
  "Jean",
  "Anne",
  "Pierre",
  "Sophie",
  "Michel",
  "Isabelle",
  "Philippe",
  "Catherine",
  "Alain",
  "Nathalie",
  "Éric",
  "Sylvie",
  "François",
  "Céline",
  "Laurent",
  "Hélène",
  "Thierry",
  "Valérie",
  "Stéphane",
  "Chantal",
  "Patrick",
  "Christine",
  "Nicolas",
  "Françoise",
  "Olivier",
  "Véronique",
  "Christophe",
  "Monique",
  "Frédéric",
  "Agnès",
  "Bruno",
  "Élodie",
  "Julien",
  "Aurélie",
  "Gérard",
  "Brigitte",
  "Hervé",
  "Léa",
  "Benoît",
];
/** The demo's women among FIRST: a civility that contradicts the first name looks wrong to staff. */
const WOMEN = new Set([
  "Marie",
  "Anne",
  "Sophie",
  "Isabelle",
  "Catherine",
  "Nathalie",
  "Sylvie",
  "Céline",
  "Hélène",
  "Valérie",
  "Chantal",
  "Christine",
  "Françoise",
  "Véronique",
  "Monique",
  "Agnès",
  "Élodie",
  "Aurélie",
  "Brigitte",
  "Léa",
]);

/**
 * The civility a first name calls for. The random draw it replaces is still made (and passed in)
 * so that every later value of the demo stays as it was.
 */
const civilityOf = (first: string, _drawn: string) => (WOMEN.has(first) ? "Mme" : "M.");

/**
 * A metropolitan number that exists, as an Alsace estate's customers have: 07 00 to 07 29 are
 * not given out, and 06 39 and 06 9x are overseas mobiles, only some of whose ranges are. The
 * digits drawn are kept otherwise.
 */
const dialable = (national: string) =>
  national
    .replace(/^07[0-2]/, (p) => `07${3 + Number(p[2])}`)
    .replace(/^0639/, "0638")
    .replace(/^069/, "068");

const LAST = [
  "Martin",
  "Bernard",
  "Dubois",
  "Thomas",
  "Robert",
  "Richard",
  "Petit",
  "Durand",
  "Leroy",
  "Moreau",
  "Simon",
  "Laurent",
  "Lefèvre",
  "Michel",
  "Garcia",
  "David",
  "Bertrand",
  "Roux",
  "Vincent",
  "Fournier",
  "Morel",
  "Girard",
  "André",
  "Mercier",
  "Dupont",
  "Lambert",
  "Bonnet",
  "François",
  "Martinez",
  "Legrand",
  "Schmitt",
  "Muller",
  "Meyer",
  "Weber",
  "Klein",
  "Wolff",
  "Haas",
  "Schneider",
  "Kieffer",
  "Zimmermann",
];
const TOWNS: Array<[string, string]> = [
  ["67000", "Strasbourg"],
  ["68000", "Colmar"],
  ["68100", "Mulhouse"],
  ["67210", "Obernai"],
  ["68340", "Riquewihr"],
  ["75011", "Paris"],
  ["75015", "Paris"],
  ["69003", "Lyon"],
  ["13008", "Marseille"],
  ["33000", "Bordeaux"],
  ["59000", "Lille"],
  ["44000", "Nantes"],
  ["31000", "Toulouse"],
  ["06000", "Nice"],
  ["01000", "Bourg-en-Bresse"],
  ["02100", "Saint-Quentin"],
  ["04000", "Digne-les-Bains"],
  ["05000", "Gap"],
  ["57000", "Metz"],
  ["54000", "Nancy"],
  ["25000", "Besançon"],
  ["21000", "Dijon"],
  ["35000", "Rennes"],
  ["88000", "Épinal"],
];
const TRADE = [
  ["Caviste", "Cave"],
  ["Restaurant", "Restaurant"],
  ["Importateur", "Import"],
] as const;
const STREETS = [
  "rue des Vignes",
  "rue Principale",
  "Grand'Rue",
  "rue du Château",
  "route du Vin",
  "rue de l'Église",
  "chemin des Prés",
  "place de la Mairie",
  "rue des Tonneliers",
  "avenue de la Gare",
  "rue du Moulin",
  "impasse des Lilas",
] as const;
const TRADE_NAMES = [
  "du Marché",
  "des Vignes",
  "Saint-Vincent",
  "Le Tonneau",
  "La Cave d'Émile",
  "Au Bon Vin",
  "Les Caudalies",
  "La Winstub",
  "Chez Hansi",
  "Le Cep",
  "Vins & Terroirs",
  "La Fine Bouche",
  "L'Ami Fritz",
  "Le Sommelier",
  "Nordic Wines",
  "Rhein Import",
  "Belgian Cellars",
  "Swiss Vins",
];

/** Mulberry32: small, fast, good enough for demo data, and the same everywhere. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const csv = (header: string[], rows: Array<Array<string | number>>) =>
  [header, ...rows].map((r) => r.map(csvCell).join(";")).join("\r\n") + "\r\n";
const frNumber = (n: number) => n.toFixed(2).replace(".", ",");
const frDate = (day: number) => {
  const d = new Date(day * 86_400_000);
  return `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`;
};

/** How much a month sells, relative: December peak, autumn fairs, spring trade orders, summer rosé. */
const MONTH_WEIGHT = [0.6, 0.55, 0.8, 0.95, 0.9, 0.85, 0.8, 0.6, 0.9, 1.3, 1.6, 2.4];

const SHIPPING = { sku: "PORT", name: "Frais de port", price: 12.9 };

export function generateDemoEstate(options: DemoOptions = {}): DemoFiles {
  const random = prng(options.seed ?? 2026);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const untilDay = Math.floor(
    Date.parse(`${options.until ?? "2026-10-31"}T00:00:00Z`) / 86_400_000,
  );
  const fromDay = untilDay - 5 * 365;
  const lastYear = new Date(untilDay * 86_400_000).getUTCFullYear();
  // The vintage on sale when the history starts.
  let firstVintage = new Date(fromDay * 86_400_000).getUTCFullYear();
  while (!released(firstVintage, fromDay)) firstVintage--;

  // Catalogue: each cuvée in every vintage sold over the five years, up to this year's harvest,
  // in the cellar, not released yet (the history ends after the harvest: 31 October by default);
  // mostly 75 cl, some magnums and half bottles; the last three released vintages are on sale,
  // older ones sold out (inactive).
  const products: Array<{
    sku: string;
    name: string;
    cuvee: number;
    vintage: number;
    sizeCl: number;
    price: number;
    active: boolean;
  }> = [];
  CUVEES.forEach((c, n) => {
    const code =
      withoutAccents(c.name)
        .replace(/[^A-Za-z]/g, "")
        .slice(0, 4)
        .toUpperCase() + String(n).padStart(2, "0");
    for (let v = firstVintage; v <= lastYear; v++) {
      const vintage = c.style === 4 || c.style === 5 ? 0 : v; // Crémant and marc: non-vintage
      if (vintage === 0 && v !== lastYear) continue;
      for (const sizeCl of n % 7 === 0 ? [75, 150] : n % 11 === 0 ? [37.5, 75] : [75]) {
        const sku = `${code}${vintage ? String(vintage).slice(2) : "NV"}${sizeCl === 75 ? "" : sizeCl === 150 ? "M" : "D"}`;
        const price =
          c.price * (sizeCl / 75) * (sizeCl === 150 ? 1.1 : 1) * (1 + (lastYear - v) * 0.03);
        products.push({
          sku,
          name: `${c.name}${vintage ? ` ${vintage}` : ""}${sizeCl === 75 ? "" : sizeCl === 150 ? " Magnum" : " 37,5 cl"}`,
          cuvee: n,
          vintage,
          sizeCl,
          price: Math.round(price * 10) / 10,
          active: vintage === 0 || (v >= lastYear - 3 && released(v, untilDay)),
        });
      }
    }
  });
  const productsCsv = csv(
    [
      "Code article",
      "Désignation",
      "Cuvée",
      "Couleur",
      "Appellation",
      "Cépages",
      "Millésime",
      "Contenance",
      "Prix TTC",
      "En vente",
    ],
    [
      ...products.map((p) => {
        const c = CUVEES[p.cuvee]!;
        return [
          p.sku,
          p.name,
          c.name,
          c.color,
          c.appellation,
          c.grapes,
          p.vintage || "",
          `${String(p.sizeCl).replace(".", ",")} cl`,
          frNumber(p.price),
          p.active ? "Oui" : "Non",
        ];
      }),
      // iSaVigne's articles list the carrier's charge beside the wines.
      [SHIPPING.sku, SHIPPING.name, "", "", "", "", "", "", frNumber(SHIPPING.price), "Oui"],
    ],
  );

  // Customers, each with a taste (a few favourite cuvées in one or two styles), a rhythm (days
  // between orders) and a first order date; trade customers order more, more often, by the case.
  interface Customer {
    code: string;
    first: string;
    last: string;
    email: string;
    postcode: string;
    town: string;
    trade: boolean;
    favourites: number[];
    everyDays: number;
    since: number;
    bottles: number;
  }
  const customers: Customer[] = [];
  const customerRows: Array<Array<string | number>> = [];
  const privateCount = options.privateCustomers ?? 3000;
  const tradeCount = options.tradeCustomers ?? 300;
  const styleOf = (n: number) => CUVEES[n]!.style;
  for (let i = 0; i < privateCount + tradeCount; i++) {
    const trade = i >= privateCount;
    const code = trade
      ? `P${String(i - privateCount + 1).padStart(4, "0")}`
      : `C${String(i + 1).padStart(5, "0")}`;
    const styles = [Math.floor(random() * 5), Math.floor(random() * 5)];
    const inStyle = CUVEES.map((_, n) => n).filter((n) => styles.includes(styleOf(n)));
    const favourites = Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(inStyle));
    const customer: Customer = {
      code,
      first: "",
      last: "",
      email: "",
      postcode: "",
      town: "",
      trade,
      favourites,
      everyDays: trade ? 45 + Math.floor(random() * 90) : 120 + Math.floor(random() * 400),
      since: fromDay + Math.floor(random() * random() * 5 * 365),
      bottles: trade ? 12 : 1 + Math.floor(random() * 6),
    };
    customers.push(customer);
    const first = pick(FIRST);
    // A third of surnames are Alsatian compounds: real files have thousands of surnames, not 80.
    const last =
      random() < 0.35
        ? `${pick(["Kess", "Haub", "Stein", "Rein", "Wal", "Fisch", "Berg", "Lang", "Sitt", "Holz", "Wein", "Hof", "Ob", "Mar", "Eck"])}${pick(["ler", "mann", "er", "bach", "hart", "inger", "wald", "mer", "eisen", "acker"])}`
        : pick(LAST);
    const [postcode, town] = pick(TOWNS);
    const [typeLabel, prefix] = pick(TRADE);
    const email =
      random() < 0.18
        ? ""
        : `${withoutAccents(first).toLowerCase()}.${withoutAccents(last).toLowerCase()}${i % 13 === 0 ? "" : i}@${pick(["orange.fr", "gmail.com", "free.fr", "wanadoo.fr", "laposte.net"])}`;
    const phoneDigits = dialable(
      `0${pick(["3", "6", "7", "1"])}${String(Math.floor(random() * 1e8)).padStart(8, "0")}`,
    );
    const phone = [
      phoneDigits,
      phoneDigits.replace(/(\d\d)(?=\d)/g, "$1 "),
      `+33 ${phoneDigits.slice(1)}`,
      phoneDigits.replace(/(\d\d)(?=\d)/g, "$1."),
    ][i % 4]!;
    // Mess: Excel ate leading zeros of some postcodes; a few typos in e-mails.
    const cp = postcode.startsWith("0") && i % 3 === 0 ? postcode.slice(1) : postcode;
    const mail = i % 97 === 5 && email ? email.replace("@", "@@") : email;
    const consent = random() < 0.55 ? "Oui" : random() < 0.5 ? "Non" : "";
    // Street and postal consent follow the customer's number, not the random stream, so that
    // adding them left every other value of the demo as it was. Some records lack the street.
    const street =
      i % 23 === 11 ? "" : `${1 + ((i * 37) % 89)} ${STREETS[(i * 7) % STREETS.length]}`;
    const postConsent = trade ? "" : ["Oui", "Oui", "Non", ""][i % 4]!;
    Object.assign(customer, { first, last, email, postcode, town });
    customerRows.push(
      trade
        ? [
            code,
            "",
            "",
            last,
            `${prefix} ${pick(TRADE_NAMES)} ${town}`,
            mail,
            phone,
            street,
            cp,
            town,
            "France",
            typeLabel,
            consent,
            postConsent,
          ]
        : [
            code,
            civilityOf(first, pick(["M.", "Mme", "Mme", "M."])),
            first,
            last.toUpperCase(),
            "",
            mail,
            phone,
            street,
            cp,
            town,
            "France",
            "Particulier",
            consent,
            postConsent,
          ],
    );
    // Duplicates: the same person created twice at the cellar door, with a new code.
    if (!trade && i % 61 === 7) {
      const again = [...customerRows.at(-1)!];
      again[0] = `C${String(90000 + i).padStart(5, "0")}`;
      again[3] = last; // typed differently this time
      customerRows.push(again);
    }
  }
  const customersCsv = csv(
    [
      "Code client",
      "Civilité",
      "Prénom",
      "Nom",
      "Raison sociale",
      "E-mail",
      "Téléphone",
      "Adresse",
      "CP",
      "Ville",
      "Pays",
      "Type de client",
      "Accepte e-mail",
      "Accepte courrier",
    ],
    customerRows,
  );

  // Sales: each customer orders on their rhythm (with jitter), more in busy months; mostly their
  // favourite cuvées in the newest vintage on sale at the time, sometimes something else.
  const latestVintage = (cuvee: number, day: number) =>
    products
      .filter((p) => p.cuvee === cuvee && p.sizeCl === 75 && released(p.vintage, day))
      .sort((a, b) => b.vintage - a.vintage)[0];
  const salesRows: Array<Array<string | number>> = [];
  let invoice = 24000;
  for (const customer of customers) {
    let day = customer.since;
    while (day <= untilDay) {
      const month = new Date(day * 86_400_000).getUTCMonth();
      if (random() < MONTH_WEIGHT[month]! / 2.4 + 0.25) {
        invoice++;
        const lines = 1 + Math.floor(random() * (customer.trade ? 4 : 3));
        const seen = new Set<string>();
        for (let l = 0; l < lines; l++) {
          const cuvee =
            random() < 0.75
              ? pick(customer.favourites)
              : month === 11 && random() < 0.5
                ? 24
                : Math.floor(random() * CUVEES.length);
          const product = latestVintage(cuvee, day)!;
          if (seen.has(product.sku)) continue;
          seen.add(product.sku);
          const quantity = customer.trade
            ? 6 * (1 + Math.floor(random() * 4))
            : Math.max(1, Math.round(customer.bottles * (0.5 + random())));
          const unit = product.price * (customer.trade ? 0.7 : 1);
          salesRows.push([
            `F${invoice}`,
            frDate(day),
            customer.code,
            product.sku,
            product.name,
            quantity,
            frNumber(unit),
            frNumber(unit * quantity),
          ]);
        }
        // One private order in four is shipped, and the invoice bills the carrier on a line of
        // its own (decided by the invoice's number: the random stream stays the same).
        if (!customer.trade && invoice % 4 === 1)
          salesRows.push([
            `F${invoice}`,
            frDate(day),
            customer.code,
            SHIPPING.sku,
            SHIPPING.name,
            1,
            frNumber(SHIPPING.price),
            frNumber(SHIPPING.price),
          ]);
      }
      day += Math.max(7, Math.round(customer.everyDays * (0.6 + random() * 0.8)));
    }
  }
  const salesCsv = csv(
    [
      "N° facture",
      "Date pièce",
      "Code client",
      "Code article",
      "Désignation",
      "Qté",
      "PU TTC",
      "Montant TTC",
    ],
    salesRows,
  );
  const odoo = odooSide(
    options.seed ?? 2026,
    customers,
    products.filter((p) => p.active && p.sizeCl === 75),
    untilDay,
  );
  return {
    products: productsCsv,
    customers: customersCsv,
    sales: salesCsv,
    odooCustomers: odoo.customers,
    odooSales: odoo.sales,
  };
}

/**
 * The e-shop, run on Odoo: some cellar-door customers also buy online (the same person, with
 * Odoo's id, their name in one field and their phone as Odoo formats it), others only online.
 * Its own random stream, so the iSaVigne files stay the same bytes for a seed.
 */
function odooSide(
  seed: number,
  customers: Array<{
    first: string;
    last: string;
    email: string;
    postcode: string;
    town: string;
    trade: boolean;
  }>,
  onSale: Array<{ sku: string; name: string; price: number; vintage: number }>,
  untilDay: number,
) {
  const random = prng(seed + 1);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const people: Array<{
    id: number;
    name: string;
    email: string;
    phone: string;
    zip: string;
    city: string;
  }> = [];
  customers.forEach((c) => {
    if (c.trade || !c.email || random() > 0.15) return;
    people.push({
      id: 1000 + people.length * 3,
      name: `${c.first} ${c.last.charAt(0)}${c.last.slice(1).toLowerCase()}`,
      email: c.email,
      phone: `+33 6 ${dialable(`06${String(Math.floor(random() * 1e8)).padStart(8, "0")}`)
        .slice(2)
        .replace(/(\d\d)(?=\d)/g, "$1 ")}`,
      zip: c.postcode,
      city: c.town,
    });
  });
  const onlineOnly = Math.max(20, Math.round(people.length / 2));
  for (let i = 0; i < onlineOnly; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const [zip, city] = pick(TOWNS);
    people.push({
      id: 5000 + i * 7,
      name: `${first} ${last}`,
      email: `${withoutAccents(first).toLowerCase()}.${withoutAccents(last).toLowerCase()}.web${i}@gmail.com`,
      phone: "",
      zip,
      city,
    });
  }
  const customerRows = people.map((p) => [p.id, p.name, p.email, p.phone, p.zip, p.city, "France"]);
  const salesRows: Array<Array<string | number>> = [];
  let order = 0;
  let line = 0;
  for (const person of people) {
    const orders = 1 + Math.floor(random() * 3);
    for (let o = 0; o < orders; o++) {
      order++;
      const day = untilDay - Math.floor(random() * 2 * 365);
      const date = new Date(day * 86_400_000 + Math.floor(random() * 86_400) * 1000);
      const stamp = date.toISOString().slice(0, 19).replace("T", " ");
      for (let l = 0; l < 1 + Math.floor(random() * 3); l++) {
        const product = pick(onSale.filter((p) => released(p.vintage, day)));
        const quantity = pick([1, 2, 3, 6]);
        line++;
        salesRows.push([
          `S${String(order).padStart(5, "0")}`,
          line,
          stamp,
          person.id,
          person.name,
          product.sku,
          product.name,
          quantity,
          product.price.toFixed(2),
          (product.price * quantity).toFixed(2),
        ]);
      }
    }
  }
  const commaCsv = (header: string[], rows: Array<Array<string | number>>) =>
    `${[header, ...rows].map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v))).join(",")).join("\n")}\n`;
  return {
    customers: commaCsv(
      ["ID", "Nom", "E-mail", "Téléphone", "Code postal", "Ville", "Pays"],
      customerRows,
    ),
    sales: commaCsv(
      [
        "Référence de la commande",
        "ID de ligne",
        "Date de la commande",
        "ID client",
        "Client",
        "Référence interne",
        "Produit",
        "Quantité",
        "Prix unitaire",
        "Total",
      ],
      salesRows,
    ),
  };
}

/** A vintage is on sale from the March after its harvest (a non-vintage wine, 0, always is). */
function released(vintage: number, day: number): boolean {
  return vintage === 0 || day >= Date.UTC(vintage + 1, 2, 1) / 86_400_000;
}
