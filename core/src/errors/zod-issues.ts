import type { z } from "zod";

/**
 * A schema's complaints in a line a person can act on: `path: message`, joined by "; ". A union
 * (a mapping field is a column name or an object) reports "Invalid input" with one list of
 * issues per branch; the branch that got furthest into the value is the one the author meant
 * (an object with a wrong `dateFormat`, not "expected string"), so its issues are given instead.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []) {
  return issues.map((issue) => describe(issue, prefix)).join("; ");
}

function describe(issue: z.core.$ZodIssue, prefix: PropertyKey[]): string {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const depth = (branch: z.core.$ZodIssue[]) => Math.max(...branch.map((i) => i.path.length));
    const furthest = issue.errors.reduce((best, branch) =>
      depth(branch) > depth(best) ? branch : best,
    );
    if (depth(furthest) > 0) return describeIssues(furthest, path);
  }
  return `${path.map(String).join(".") || "(the whole value)"}: ${issue.message}`;
}
