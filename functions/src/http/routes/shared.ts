import { z } from "@hono/zod-openapi";
import { ErrorBody } from "../error-response.ts";

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body, validated by `schema`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** A documented error answer (`{ error: { code, message, details? } }`). */
export const errorResponse = (description: string) => json(ErrorBody, description);
const error = errorResponse;

/** The refusals every authenticated route can answer, documented once. */
export const refusals = {
  400: error("The request is not valid (details say which field and why)"),
  401: error("Not signed in, or the API key is unknown or revoked"),
  403: error("The caller's role may not do this, or the CSRF header is missing"),
};
export const notFound = { 404: error("No such item in the caller's estate") };
export const notAWine = {
  422: error(
    "product.not_a_wine: the product is a charge, discount, deposit or other item, never recommended",
  ),
};

/** Both ways to call the API: the web app's session cookie, or an API key. */
export const security: Array<Record<string, string[]>> = [{ session: [] }, { apiKey: [] }];

/** A private buyer or a business (restaurant, wine shop, importer…). */
export const CustomerKind = z.enum(["private", "trade"]);

export const IdParam = z.object({
  id: z.uuid().openapi({
    param: { name: "id", in: "path" },
    example: "0b6c2a9e-3f7d-4a51-9c1e-2d8f4b7a6e10",
  }),
});

export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ example: 50 }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ example: 0 }),
});

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
