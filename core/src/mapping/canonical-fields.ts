export const importEntities = ["customers", "products", "order_lines"] as const;
export type ImportEntity = (typeof importEntities)[number];

export type FieldType =
  | "text"
  | "email"
  | "phone"
  | "postal_code"
  | "country"
  | "date"
  | "number"
  | "integer"
  | "boolean"
  | "consent"
  | "customer_kind";

export interface CanonicalField {
  key: string;
  type: FieldType;
  required: boolean;
  label: { fr: string; en: string };
  /** Headers real exports use for it, French and English (compared after `normalizeHeader`). */
  synonyms: string[];
}

const field = (
  key: string,
  type: FieldType,
  required: boolean,
  fr: string,
  en: string,
  synonyms: string[],
): CanonicalField => ({
  key,
  type,
  required,
  label: { fr, en },
  synonyms: [key, fr, en, ...synonyms],
});

// Headers that name the same thing in a customer file and in a sales file.
const customerIdHeaders = [
  "N° client",
  "No client",
  "Numéro client",
  "Réf client",
  "Référence client",
  "Id client",
  "Client ID",
  "Customer code",
  "Customer number",
  "Member number",
];
const skuHeaders = [
  "Article",
  "Réf article",
  "Référence",
  "Code produit",
  "Product code",
  "Product ID",
  "Item code",
  "Default code",
  "Référence interne",
  "Stock code",
  "Item ID",
];
const productNameHeaders = [
  "Libellé",
  "Libellé article",
  "Nom produit",
  "Produit",
  "Product",
  "Description",
  "Designation",
  "Item description",
];

/** The canonical model's importable fields, per entity (DESIGN.md §4). */
export const canonicalFields: Record<ImportEntity, CanonicalField[]> = {
  customers: [
    field("external_id", "text", true, "Code client", "Customer ID", [
      ...customerIdHeaders,
      "ID",
      "Identifiant",
    ]),
    field("civility", "text", false, "Civilité", "Title", ["Civ", "Civ.", "Titre", "Salutation"]),
    field("first_name", "text", false, "Prénom", "First name", [
      "Prenom",
      "Firstname",
      "Given name",
    ]),
    field("last_name", "text", false, "Nom", "Last name", [
      "Nom de famille",
      "Lastname",
      "Surname",
      "Family name",
      "Nom client",
    ]),
    field("full_name", "text", false, "Nom complet", "Full name", [
      "Nom et prénom",
      "Name",
      "Contact",
      "Customer name",
      "Client",
    ]),
    field("company", "text", false, "Raison sociale", "Company", [
      "Société",
      "Entreprise",
      "Company name",
      "Établissement",
      "Enseigne",
    ]),
    field("email", "email", false, "E-mail", "Email", [
      "Courriel",
      "Mail",
      "Adresse e-mail",
      "Adresse mail",
      "Email address",
      "E-mail address",
    ]),
    field("phone", "phone", false, "Téléphone", "Phone", [
      "Tél",
      "Tel",
      "Tél.",
      "Téléphone fixe",
      "Phone number",
      "Telephone",
      "Fixe",
    ]),
    field("mobile", "phone", false, "Portable", "Mobile", [
      "Mobile",
      "Tél portable",
      "Tél. portable",
      "Cellulaire",
      "GSM",
      "Cell phone",
      "Mobile phone",
    ]),
    field("address_line1", "text", false, "Adresse", "Address", [
      "Adresse 1",
      "Adresse ligne 1",
      "Rue",
      "Address line 1",
      "Street",
      "Address 1",
    ]),
    field("address_line2", "text", false, "Complément d'adresse", "Address line 2", [
      "Adresse 2",
      "Adresse ligne 2",
      "Address 2",
      "Complément",
    ]),
    field("postal_code", "postal_code", false, "Code postal", "Postal code", [
      "CP",
      "C.P.",
      "Zip",
      "Zip code",
      "Postcode",
      "Code postal client",
    ]),
    field("city", "text", false, "Ville", "City", ["Commune", "Localité", "Town"]),
    field("country", "country", false, "Pays", "Country", ["Code pays", "Country code"]),
    field("kind", "customer_kind", false, "Type de client", "Customer type", [
      "Type",
      "Catégorie",
      "Catégorie client",
      "Segment",
      "Customer category",
      "Particulier/Pro",
    ]),
    field("language", "text", false, "Langue", "Language", ["Lang"]),
    field("consent_email", "consent", false, "Accepte e-mail", "Email opt-in", [
      "Optin email",
      "Opt-in e-mail",
      // An address's subscription to e-mails says more than a newsletter's when both are given.
      "Email subscription",
      "Email subscriber",
      "Email subscr",
      "Abonné e-mail",
      "Abonnement e-mail",
      "Newsletter",
      "Accord email",
      "Consentement email",
    ]),
    field("consent_post", "consent", false, "Accepte courrier", "Post opt-in", [
      "Optin courrier",
      "Accord courrier",
      "Consentement courrier",
    ]),
    field("consent_phone", "consent", false, "Accepte téléphone", "Phone opt-in", [
      "Optin téléphone",
      "Accord téléphone",
      "Consentement téléphone",
    ]),
  ],
  products: [
    field("sku", "text", true, "Code article", "SKU", [...skuHeaders, "Réf"]),
    field("name", "text", false, "Désignation", "Product name", [...productNameHeaders, "Name"]),
    field("cuvee", "text", false, "Cuvée", "Cuvee", ["Nom de cuvée", "Wine"]),
    field("color", "text", false, "Couleur", "Color", ["Colour", "Type de vin"]),
    field("appellation", "text", false, "Appellation", "Appellation", [
      "AOC",
      "AOP",
      "Dénomination",
      "Region",
      "Région",
    ]),
    field("grapes", "text", false, "Cépages", "Grapes", [
      "Cépage",
      "Grape",
      "Variety",
      "Grape variety",
      "Varietal",
    ]),
    field("vintage", "integer", false, "Millésime", "Vintage", ["Année", "Year", "Millesime"]),
    field("size_ml", "text", false, "Contenance", "Size", [
      "Format",
      "Volume",
      "Bouteille",
      "Bottle size",
      "Contenance (cl)",
    ]),
    field("price_incl_tax", "number", false, "Prix TTC", "Price incl. tax", [
      "PU TTC",
      "Tarif TTC",
      "Prix de vente TTC",
      "Price",
      "Prix",
    ]),
    field("price_excl_tax", "number", false, "Prix HT", "Price excl. tax", [
      "PU HT",
      "Tarif HT",
      "Prix de vente HT",
      "Net price",
    ]),
    field("category", "text", false, "Famille", "Category", [
      "Catégorie",
      "Famille d'articles",
      "Famille article",
      "Sous-famille",
      "Rayon",
      "Product category",
    ]),
    field("active", "boolean", false, "Actif", "Active", ["En vente", "Disponible", "Available"]),
    field("stock", "integer", false, "Stock", "Stock", [
      "Quantité en stock",
      "Qté stock",
      "On hand",
      "Inventory",
    ]),
  ],
  order_lines: [
    field("document_number", "text", true, "N° facture", "Invoice number", [
      "N° pièce",
      "No pièce",
      "Numéro de pièce",
      "N° commande",
      "Numéro facture",
      "Facture",
      "Pièce",
      "Order ID",
      "Order number",
      "Document number",
      "Invoice",
      "Invoice no",
      "Invoice ID",
      "Order",
      "N° document",
      "N° ticket",
      "Ticket",
      "Receipt number",
      "Transaction ID",
      "Basket ID",
    ]),
    field("line_number", "text", false, "N° ligne", "Line number", ["Ligne", "Line", "Line no"]),
    field("order_date", "date", true, "Date pièce", "Order date", [
      "Date",
      "Date facture",
      "Date commande",
      "Date de vente",
      "Invoice date",
      "Sale date",
      "Date document",
      "Date d'achat",
      "Purchase date",
      "Date ticket",
      "Transaction date",
    ]),
    field("customer_external_id", "text", true, "Code client", "Customer ID", [
      ...customerIdHeaders,
      "Member_number",
      // A household panel's buyer; in a customers file it would name a household, not a person.
      "Household key",
      "Household ID",
    ]),
    field("customer_name", "text", false, "Nom client", "Customer name", [
      "Client",
      "Nom",
      "Customer",
      "Raison sociale",
    ]),
    field("product_sku", "text", true, "Code article", "SKU", [...skuHeaders, "Item"]),
    field("product_name", "text", false, "Désignation", "Product name", [
      ...productNameHeaders,
      "itemDescription",
    ]),
    field("quantity", "number", true, "Qté", "Quantity", [
      "Quantité",
      "Qte",
      "Qty",
      "Nb bouteilles",
      "Bouteilles",
      "Quantity ordered",
    ]),
    field("unit_price", "number", false, "PU TTC", "Unit price", [
      "Prix unitaire",
      "Prix unitaire TTC",
      "PU",
      "PU HT",
      "Unit price incl. tax",
      "Price",
    ]),
    field("total", "number", false, "Montant TTC", "Total", [
      "Total TTC",
      "Montant",
      "Total ligne",
      "Montant ligne",
      "Line total",
      "Amount",
      "Sales",
    ]),
    field("channel", "text", false, "Canal", "Channel", [
      "Canal de vente",
      "Origine",
      "Sales channel",
      "Source",
    ]),
  ],
};
