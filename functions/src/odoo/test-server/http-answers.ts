import type { ServerResponse } from "node:http";

/** Writes one answer; returns its status so the caller can record it. */
export function answer(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string>,
): number {
  res.writeHead(status, { "Content-Length": Buffer.byteLength(body), ...headers });
  res.end(body);
  return status;
}

/** `request.make_json_response`. */
export const answerJson = (
  res: ServerResponse,
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
) =>
  answer(res, status, JSON.stringify(data), {
    "Content-Type": "application/json; charset=utf-8",
    ...headers,
  });

const html = { "Content-Type": "text/html; charset=utf-8" };

/** werkzeug's HTTPException page, which Odoo's http dispatcher returns as is. */
export const answerWerkzeugPage = (
  res: ServerResponse,
  code: number,
  name: string,
  description: string,
  headers: Record<string, string> = {},
) =>
  answer(
    res,
    code,
    `<!doctype html>\n<html lang=en>\n<title>${code} ${name}</title>\n<h1>${name}</h1>\n<p>${description}</p>\n`,
    { ...html, ...headers },
  );

export const NOT_FOUND_DESCRIPTION =
  "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.";

export const INTERNAL_ERROR_DESCRIPTION =
  "The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.";

export const answerNotFoundPage = (res: ServerResponse) =>
  answerWerkzeugPage(res, 404, "Not Found", NOT_FOUND_DESCRIPTION);

const REASONS: Record<number, string> = {
  429: "Too Many Requests",
  502: "Bad Gateway",
  503: "Service Temporarily Unavailable",
};

/** The page nginx, in front of most Odoo servers, sends when Odoo is down or overloaded. */
export const answerProxyPage = (
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
) => {
  const title = `${status} ${REASONS[status] ?? "Error"}`;
  return answer(
    res,
    status,
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
    { ...html, ...headers },
  );
};

/** A plain-text body, as `Response("Invalid JSON data", status=400)` sends it. */
export const answerText = (res: ServerResponse, status: number, text: string) =>
  answer(res, status, text, html);
