import { f, type ModelDef, type RawValue } from "../model-types.ts";
import type { VersionTraits } from "../versions.ts";
import { normalizeEmail } from "./base-models.ts";

/**
 * mass_mailing's lists, their contacts (addresses of their own, not partners) and the
 * subscriptions between them (addons/mass_mailing/models/mailing_list.py, mailing_contact.py,
 * mailing_subscription.py). Leaving a list through a mailing's unsubscribe link sets the
 * subscription's `opt_out` and its date; it touches no partner. The subscription model was
 * `mailing.contact.subscription` (its date `unsubscription_date`) up to 16.0, and is
 * `mailing.subscription` (its date `opt_out_datetime`) from 17.0.
 */
export function massMailingModels(traits: VersionTraits): ModelDef[] {
  const subscription = subscriptionModelOf(traits);
  const dateField = traits.major <= 16 ? "unsubscription_date" : "opt_out_datetime";
  return [
    {
      name: "mailing.list",
      description: "Mailing List",
      order: "create_date DESC",
      fields: {
        name: f.char("Mailing List", { required: true }),
        active: f.boolean("Active", { default: true }),
      },
    },
    {
      name: "mailing.contact",
      description: "Mailing Contact",
      order: "name ASC, id DESC",
      fields: {
        name: f.char("Name"),
        email: f.char("Email"),
        email_normalized: f.char("Normalized Email", {
          readonly: true,
          compute: (store, id) => normalizeEmail(store.value("mailing.contact", id, "email")),
        }),
      },
    },
    {
      name: subscription,
      description: "Mailing List Subscription",
      order: "list_id DESC, contact_id DESC",
      displayName: (store, id) =>
        store.displayName("mailing.contact", Number(store.value(subscription, id, "contact_id"))),
      fields: {
        contact_id: f.many2one("mailing.contact", "Contact", {
          required: true,
          ondelete: "cascade",
        }),
        list_id: f.many2one("mailing.list", "Mailing List", {
          required: true,
          ondelete: "cascade",
        }),
        opt_out: f.boolean("Opt Out", { default: false }),
        [dateField]: f.datetime("Unsubscription Date"),
      },
      // `_compute_opt_out_datetime` (stored): set when the contact opts out, cleared when back.
      prepareCreate: (store, vals) =>
        vals.opt_out && !vals[dateField] ? { ...vals, [dateField]: store.now() } : vals,
      afterWrite: (store, ids, vals) => {
        if (!("opt_out" in vals) || dateField in vals) return;
        const date: RawValue = vals.opt_out ? store.now() : false;
        store.write(subscription, ids, { [dateField]: date });
      },
    },
  ];
}

export const subscriptionModelOf = (traits: VersionTraits) =>
  traits.major <= 16 ? "mailing.contact.subscription" : "mailing.subscription";
