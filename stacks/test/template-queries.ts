import { join } from "node:path";
import type { Template } from "aws-cdk-lib/assertions";

/** A resource of a synthesized template, as the assertions library returns it. */
export interface Resource {
  Type: string;
  Properties: Record<string, unknown> & {
    Environment?: { Variables: Record<string, unknown> };
  };
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

export const handlerNames = [
  "api",
  "upload-created",
  "import-worker",
  "sync-worker",
  "regenerate-worker",
  "webhook-worker",
  "dead-letter",
  "schedule",
] as const;
export type HandlerName = (typeof handlerNames)[number];

/** A template as `sst build --to <out>` writes it: plain JSON, not the assertions library's. */
export interface BuiltTemplate {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

/**
 * One function of a built template and its bundle as `sst build` left it in `out`: the folder
 * Lambda would unzip, and the entry file it loads first.
 */
export function builtFunction(template: BuiltTemplate, out: string, name: HandlerName) {
  const fn = Object.values(template.Resources).find(
    (r) =>
      r.Type === "AWS::Lambda::Function" &&
      r.Properties.Handler === `functions/src/handlers/${name}.handler`,
  );
  if (!fn) throw new Error(`no function for ${name} in the built template`);
  const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, "");
  const folder = join(out, `asset.${key}`);
  return { fn, folder, main: join(folder, "functions", "src", "handlers", `${name}.mjs`) };
}

/** Our functions (not CDK's own custom-resource handlers), by handler file name. */
export function appFunctions(template: Template): Map<HandlerName, { id: string } & Resource> {
  const found = new Map<HandlerName, { id: string } & Resource>();
  for (const [id, resource] of Object.entries(
    template.findResources("AWS::Lambda::Function") as Record<string, Resource>,
  )) {
    const match = /^functions\/src\/handlers\/([\w-]+)\.handler$/.exec(
      String(resource.Properties.Handler),
    );
    if (match) found.set(match[1] as HandlerName, { id, ...resource });
  }
  return found;
}

export function appFunction(template: Template, name: HandlerName) {
  const fn = appFunctions(template).get(name);
  if (!fn) throw new Error(`No function for functions/src/handlers/${name}.handler`);
  return fn;
}

/** Every statement of every policy attached to a function's role. */
export function roleStatements(template: Template, name: HandlerName): Statement[] {
  const role = (appFunction(template, name).Properties.Role as { "Fn::GetAtt": [string, string] })[
    "Fn::GetAtt"
  ][0];
  const policies = Object.values(
    template.findResources("AWS::IAM::Policy") as Record<string, Resource>,
  ).filter((policy) =>
    (policy.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === role),
  );
  return policies.flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

export const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** The resources of a function's statements that allow `action`, as template references. */
export function resourcesAllowing(template: Template, name: HandlerName, action: string) {
  return roleStatements(template, name)
    .filter((statement) => statement.Effect === "Allow" && actionsOf(statement).includes(action))
    .flatMap((statement) =>
      Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource],
    );
}

export const getAtt = (id: string, attribute = "Arn") => ({ "Fn::GetAtt": [id, attribute] });

/** The logical id behind a `{ Ref }` or `{ Fn::GetAtt }` value. */
export function logicalIdOf(reference: unknown): string {
  const value = reference as { Ref?: string; "Fn::GetAtt"?: [string, string] };
  const id = value.Ref ?? value["Fn::GetAtt"]?.[0];
  if (!id) throw new Error(`Not a reference: ${JSON.stringify(reference)}`);
  return id;
}
