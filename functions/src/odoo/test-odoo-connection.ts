import {
  confirmedOrderStates,
  POS_SOLD_STATES,
  isAppError,
  missingRequiredFields,
  type OdooModel,
  isModelUnavailable,
} from "@crm-reco/core";
import { connectOdoo } from "./connect-odoo.ts";
import type { RetryPolicy } from "./odoo-http.ts";
import { WITH_ARCHIVED } from "./odoo-reader.ts";
import type { OdooConnection, OdooTransport } from "./odoo-transport.ts";

export interface ConnectionCheck {
  check: string;
  ok: boolean;
  message: { fr: string; en: string };
}

export interface ConnectionReport {
  ok: boolean;
  protocol: "json2" | "jsonrpc" | null;
  serverVersion: string | null;
  checks: ConnectionCheck[];
}

const MODELS: Array<{ model: OdooModel; fr: string; en: string }> = [
  { model: "res.partner", fr: "Contacts", en: "Contacts" },
  { model: "product.product", fr: "Articles", en: "Products" },
  { model: "product.template", fr: "Modèles d'articles", en: "Product templates" },
  { model: "sale.order", fr: "Commandes", en: "Sales orders" },
  { model: "sale.order.line", fr: "Lignes de commande", en: "Order lines" },
];

/**
 * Everything "add an Odoo source" needs to know before the first sync, as a list a person can
 * read: the address answers as Odoo, which version and protocol, the database and the key, then
 * for each model whether this user may read it and how many records it holds.
 */
export async function testOdooConnection(
  connection: OdooConnection,
  policy?: RetryPolicy,
): Promise<ConnectionReport> {
  const checks: ConnectionCheck[] = [];
  let transport: OdooTransport;
  try {
    transport = await connectOdoo(connection, { policy });
  } catch (error) {
    checks.push(failed("connection", error));
    return { ok: false, protocol: null, serverVersion: null, checks };
  }
  checks.push({
    check: "server",
    ok: true,
    message: {
      fr: `Odoo ${transport.serverVersion} répond, via ${protocolName(transport.protocol, "fr")}.`,
      en: `Odoo ${transport.serverVersion} answers, through ${protocolName(transport.protocol, "en")}.`,
    },
  });
  let signedIn = false;
  for (const { model, fr, en } of MODELS) {
    try {
      const info = await transport.call<Record<string, { type: string; selection?: unknown }>>(
        model,
        "fields_get",
        { attributes: ["type", "selection"] },
      );
      const count = await transport.call<number>(model, "search_count", {
        domain: [],
        context: WITH_ARCHIVED,
      });
      if (!signedIn) {
        signedIn = true;
        checks.push({
          check: "credentials",
          ok: true,
          message: {
            fr: `Base « ${connection.database} » et identifiants acceptés (${connection.login}).`,
            en: `Database "${connection.database}" and credentials accepted (${connection.login}).`,
          },
        });
      }
      const missing = missingRequiredFields(model, info);
      checks.push({
        check: `model:${model}`,
        ok: missing.length === 0,
        message:
          missing.length === 0
            ? {
                fr: `${fr} : lecture autorisée, ${count} enregistrements.`,
                en: `${en}: readable, ${count} records.`,
              }
            : {
                fr: `${fr} : champs absents (${missing.join(", ")}), synchronisation impossible.`,
                en: `${en}: fields missing (${missing.join(", ")}), cannot be synced.`,
              },
      });
      if (model === "res.partner")
        checks.push({
          check: "consent",
          ok: true,
          message:
            "is_blacklisted" in info
              ? {
                  fr: "Liste d'exclusion des e-mails disponible : les désinscriptions Odoo seront respectées.",
                  en: "E-mail blacklist available: Odoo opt-outs will be honoured.",
                }
              : {
                  fr: "Module de messagerie absent : pas de liste d'exclusion à reprendre d'Odoo.",
                  en: "Mail module not installed: no opt-out list to take from Odoo.",
                },
        });
      if (model === "sale.order")
        checks.push({
          check: "order_states",
          ok: true,
          message: {
            fr: `Commandes comptées comme ventes : états ${confirmedOrderStates(info).join(", ")}.`,
            en: `Orders counted as sales: states ${confirmedOrderStates(info).join(", ")}.`,
          },
        });
    } catch (error) {
      const check = failed(`model:${model}`, error);
      if (isAppError(error) && error.code === "odoo.access_denied") {
        checks.push({ ...check, check: "credentials" });
        break; // every other model would say the same
      }
      checks.push({
        ...check,
        message: { fr: `${fr} : ${check.message.fr}`, en: `${en}: ${check.message.en}` },
      });
    }
  }
  if (signedIn) checks.push(await tillCheck(transport), await mailingListsCheck(transport));
  return {
    ok: checks.every((c) => c.ok),
    protocol: transport.protocol,
    serverVersion: transport.serverVersion,
    checks,
  };
}

/** Whether the cellar door's till (point_of_sale) will be read: optional, never a failure. */
async function tillCheck(transport: OdooTransport): Promise<ConnectionCheck> {
  try {
    const paid = await transport.call<number>("pos.order", "search_count", {
      domain: [
        ["state", "in", POS_SOLD_STATES],
        ["partner_id", "!=", false],
      ],
      context: WITH_ARCHIVED,
    });
    return {
      check: "till",
      ok: true,
      message: {
        fr: `Caisse (Point de Vente) lue : ${paid} ticket${paid > 1 ? "s" : ""} à un client connu ; les ventes anonymes ne sont pas reprises.`,
        en: `Till (Point of Sale) read: ${paid} order${paid === 1 ? "" : "s"} of a known customer; anonymous sales are not taken.`,
      },
    };
  } catch (error) {
    if (!isModelUnavailable(error)) throw error;
    return {
      check: "till",
      ok: true,
      message:
        error.code === "odoo.unknown_model"
          ? {
              fr: "Pas de caisse (Point de Vente) dans cet Odoo.",
              en: "No till (Point of Sale) in this Odoo.",
            }
          : {
              fr: "Caisse (Point de Vente) non lue : cet utilisateur n'y a pas accès.",
              en: "Till (Point of Sale) not read: this user may not read it.",
            },
    };
  }
}

/**
 * Whether the mass-mailing lists' unsubscriptions will be read (as the sync reads them, from
 * either model name). Lists that exist but cannot be read are a failure: their opt-outs would
 * not be honoured.
 */
async function mailingListsCheck(transport: OdooTransport): Promise<ConnectionCheck> {
  let unreadable = false;
  for (const model of ["mailing.subscription", "mailing.contact.subscription"])
    try {
      const optedOut = await transport.call<number>(model, "search_count", {
        domain: [["opt_out", "=", true]],
      });
      return {
        check: "mailing_lists",
        ok: true,
        message: {
          fr: `Listes de diffusion lues : ${optedOut} désinscription${optedOut > 1 ? "s" : ""} d'une liste, respectée${optedOut > 1 ? "s" : ""} comme un refus des e-mails.`,
          en: `Mailing lists read: ${optedOut} unsubscription${optedOut === 1 ? "" : "s"} from a list, honoured as a refusal of e-mails.`,
        },
      };
    } catch (error) {
      if (!isModelUnavailable(error)) throw error;
      if (error.code === "odoo.access_error") unreadable = true;
    }
  return unreadable
    ? {
        check: "mailing_lists",
        ok: false,
        message: {
          fr: "Listes de diffusion non lues : cet utilisateur n'y a pas accès, leurs désinscriptions ne seraient pas respectées. Donnez-lui les droits Marketing par e-mail (« Utilisateur »).",
          en: "Mailing lists not read: this user may not read them, so their unsubscriptions would not be honoured. Give it Email Marketing rights (User).",
        },
      }
    : {
        check: "mailing_lists",
        ok: true,
        message: {
          fr: "Pas de listes de diffusion (Marketing par e-mail) dans cet Odoo.",
          en: "No mailing lists (Email Marketing) in this Odoo.",
        },
      };
}

const protocolName = (protocol: "json2" | "jsonrpc", lang: "fr" | "en") =>
  protocol === "json2"
    ? lang === "fr"
      ? "l'API JSON-2"
      : "the JSON-2 API"
    : lang === "fr"
      ? "l'ancienne API JSON-RPC (retirée dans Odoo 20)"
      : "the legacy JSON-RPC API (removed in Odoo 20)";

/** French for the failures a person meets here; the English is the error's own message. */
const FRENCH: Record<string, string> = {
  "odoo.unreachable": "Odoo est injoignable à cette adresse (réseau, pare-feu ou serveur arrêté).",
  "odoo.timeout": "Odoo n'a pas répondu à temps.",
  "odoo.rate_limited": "Odoo demande de ralentir (trop de requêtes) ; réessayez dans un moment.",
  "odoo.unavailable": "Odoo ne répond pas correctement (redémarrage ou surcharge) ; réessayez.",
  "odoo.bad_url":
    "Cette adresse ne répond pas comme l'API d'Odoo : vérifiez l'URL (celle qui ouvre Odoo, sans /odoo ni /web).",
  "odoo.unknown_database":
    "Cette base de données n'existe pas sur ce serveur Odoo : vérifiez son nom.",
  "odoo.access_denied":
    "Identifiant ou clé d'API refusés : vérifiez-les (une clé d'API expire et peut être révoquée ; JSON-2 n'accepte pas de mot de passe).",
  "odoo.access_error":
    "cet utilisateur n'a pas le droit de lire ces données : donnez-lui les droits (groupe Ventes « Utilisateur ») ou utilisez un autre utilisateur.",
  "odoo.unknown_model": "modèle absent : le module correspondant (Ventes…) n'est pas installé.",
  "odoo.session_expired": "La session Odoo a expiré.",
  "odoo.server_error": "Odoo a signalé une erreur.",
};

function failed(check: string, error: unknown): ConnectionCheck {
  if (!isAppError(error)) throw error;
  return {
    check,
    ok: false,
    message: { fr: FRENCH[error.code] ?? error.message, en: error.message },
  };
}
