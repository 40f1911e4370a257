import { f, type ModelDef, type RawValue } from "../model-types.ts";
import { normalizeEmail } from "./base-models.ts";

/**
 * mail's activities (addons/mail/models/mail_activity.py, mail_activity_type.py) and its blacklist
 * (mail_blacklist.py: one row per normalized address; lifting it archives the row).
 */
export const mailModels: ModelDef[] = [
  {
    name: "mail.blacklist",
    description: "Mail Blacklist",
    order: "id desc",
    displayName: (store, id) => String(store.value("mail.blacklist", id, "email")),
    fields: {
      email: f.char("Email Address", { required: true }),
      active: f.boolean("Active", { default: true }),
    },
    prepareCreate: (_store, vals) => ({ ...vals, email: normalizeEmail(vals.email as RawValue) }),
  },
  {
    name: "mail.activity.type",
    description: "Activity Type",
    order: "id",
    fields: {
      name: f.char("Name", { required: true }),
      active: f.boolean("Active", { default: true }),
    },
  },
  {
    name: "mail.activity",
    description: "Activity",
    order: "date_deadline ASC, id ASC",
    displayName: (store, id) =>
      String(
        store.value("mail.activity", id, "summary") ||
          activityTypeName(store.value("mail.activity", id, "activity_type_id"), store),
      ),
    fields: {
      res_model_id: f.many2one("ir.model", "Document Model", {
        required: true,
        ondelete: "cascade",
      }),
      res_model: f.char("Related Document Model", { readonly: true }),
      res_id: { type: "many2one_reference", string: "Related Document ID", required: true },
      res_name: f.char("Document Name", {
        readonly: true,
        compute: (store, id) => {
          const model = store.value("mail.activity", id, "res_model");
          const record = Number(store.value("mail.activity", id, "res_id"));
          return typeof model === "string" && store.row(model, record)
            ? store.displayName(model, record)
            : false;
        },
      }),
      activity_type_id: f.many2one("mail.activity.type", "Activity Type"),
      summary: f.char("Summary"),
      note: f.html("Note"),
      date_deadline: f.date("Due Date", { required: true }),
      user_id: f.many2one("res.users", "Assigned to", { default: (store) => store.uid }),
    },
    // res_model is a stored related of res_model_id.model; accept either, like the web client does.
    prepareCreate: (store, vals) => {
      const byName = store
        .ids("ir.model")
        .find((id) => store.value("ir.model", id, "model") === vals.res_model);
      const modelId = typeof vals.res_model_id === "number" ? vals.res_model_id : byName;
      return {
        ...vals,
        res_model_id: modelId ?? false,
        res_model: modelId ? store.value("ir.model", modelId, "model") : false,
      };
    },
  },
];

const activityTypeName = (
  typeId: unknown,
  store: { displayName(model: string, id: number): string },
) => (typeof typeId === "number" ? store.displayName("mail.activity.type", typeId) : "");
