import { pythonRepr } from "./convert.ts";
import type { FieldDef, StoreAccess, Vals } from "./model-types.ts";
import { valueError } from "./python-errors.ts";

/**
 * Applies x2many values the way `fields._RelationalMulti` does: a plain list of ids means "set",
 * otherwise a list of commands (0 create, 1 update, 2 delete, 3 unlink, 4 link, 5 clear, 6 set).
 * For a many2many it returns the new ids; for a one2many (`ownerId` given) it changes the comodel
 * rows' inverse many2one and returns their ids.
 */
export function applyX2manyCommands(
  store: StoreAccess,
  field: FieldDef,
  value: unknown,
  current: number[],
  ownerId: number | null,
): number[] {
  if (value === undefined || value === null || value === false) return current;
  if (!Array.isArray(value))
    throw valueError(`Wrong value for ${field.string}: ${pythonRepr(value)}`);
  const commands = value.every((v) => typeof v === "number") ? [[6, 0, value]] : value;
  const relation = field.relation!;
  const inverse = field.inverseName;
  let ids = [...current];
  const link = (id: number) => {
    if (ownerId !== null && inverse) store.write(relation, [id], { [inverse]: ownerId });
    if (!ids.includes(id)) ids.push(id);
  };
  // A one2many child left without its parent: deleted when its many2one is required or
  // cascading (sale order lines), emptied otherwise.
  const detach = (id: number) => {
    if (ownerId !== null && inverse) {
      const back = store.fieldDef(relation, inverse);
      if (back.required || back.ondelete === "cascade") store.unlink(relation, [id]);
      else store.write(relation, [id], { [inverse]: false });
    }
    ids = ids.filter((x) => x !== id);
  };
  for (const command of commands) {
    if (!Array.isArray(command)) throw valueError(`Invalid command ${pythonRepr(command)}`);
    const [code, id, payload] = command as [number, number, unknown];
    switch (code) {
      case 0: {
        const owner = ownerId !== null && inverse ? { [inverse]: ownerId } : {};
        ids.push(store.create(relation, { ...(payload as Vals), ...owner }));
        break;
      }
      case 1:
        store.write(relation, [id], payload as Vals);
        break;
      case 2:
        store.unlink(relation, [id]);
        ids = ids.filter((x) => x !== id);
        break;
      case 3:
        detach(id);
        break;
      case 4:
        link(id);
        break;
      case 5:
        for (const x of [...ids]) detach(x);
        break;
      case 6: {
        const wanted = (payload as number[]) ?? [];
        for (const x of [...ids]) if (!wanted.includes(x)) detach(x);
        for (const x of wanted) link(x);
        break;
      }
      default:
        throw valueError(`Invalid command ${pythonRepr(command)}`);
    }
  }
  return ids;
}
