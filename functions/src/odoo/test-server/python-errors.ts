/**
 * A Python exception as Odoo would raise it, carrying what both protocols need to serialize it:
 * its qualified name and args (`odoo.http.serialize_exception`), the HTTP status JSON-2 gives it
 * (`UserError.http_status` and subclasses; werkzeug's code for HTTP exceptions; 500 otherwise).
 */
export class PythonError extends Error {
  readonly pythonName: string;
  readonly arguments: unknown[];
  readonly json2Status: number;
  /** A werkzeug HTTPException: JSON-2 reports its description and `[description, code]`. */
  readonly werkzeug: { code: number; description: string; headers: Record<string, string> } | null;
  /** AccessDenied is raised with its traceback suppressed. */
  readonly tracebackSuppressed: boolean;

  constructor(
    pythonName: string,
    args: unknown[],
    options: {
      json2Status?: number;
      werkzeug?: PythonError["werkzeug"];
      tracebackSuppressed?: boolean;
    } = {},
  ) {
    super(args.map(String).join("\n"));
    this.pythonName = pythonName;
    this.arguments = args;
    this.json2Status = options.json2Status ?? 500;
    this.werkzeug = options.werkzeug ?? null;
    this.tracebackSuppressed = options.tracebackSuppressed ?? false;
  }
}

export const accessDenied = (message = "Access Denied") =>
  new PythonError("odoo.exceptions.AccessDenied", [message], {
    json2Status: 403,
    tracebackSuppressed: true,
  });
export const accessError = (message: string) =>
  new PythonError("odoo.exceptions.AccessError", [message], { json2Status: 403 });
export const userError = (message: string) =>
  new PythonError("odoo.exceptions.UserError", [message], { json2Status: 422 });
export const validationError = (message: string) =>
  new PythonError("odoo.exceptions.ValidationError", [message], { json2Status: 422 });
export const missingError = (message: string) =>
  new PythonError("odoo.exceptions.MissingError", [message], { json2Status: 404 });
export const sessionExpired = () =>
  new PythonError("odoo.http.SessionExpiredException", ["Session expired"], { json2Status: 403 });

export const valueError = (message: string) => new PythonError("builtins.ValueError", [message]);
export const typeError = (message: string) => new PythonError("builtins.TypeError", [message]);
export const keyError = (key: string) => new PythonError("builtins.KeyError", [key]);
export const attributeError = (message: string) =>
  new PythonError("builtins.AttributeError", [message]);

export const invalidField = (field: string, model: string) =>
  valueError(`Invalid field '${field}' on model '${model}'`);

/** A werkzeug.exceptions HTTP exception raised inside Odoo. */
export const httpException = (
  code: number,
  className: string,
  description: string,
  headers: Record<string, string> = {},
) =>
  new PythonError(`werkzeug.exceptions.${className}`, [], {
    json2Status: code,
    werkzeug: { code, description, headers },
  });

/** `odoo.http.serialize_exception`: the `data` of a JSON-RPC error and the body of a JSON-2 one. */
export function serializeException(error: PythonError) {
  const http = error.werkzeug;
  const message = http ? http.description : error.message;
  return {
    name: error.pythonName,
    debug: fakeTraceback(error, message),
    message,
    arguments: http ? [http.description, http.code] : error.arguments,
    context: {},
  };
}

const fakeTraceback = (error: PythonError, message: string) =>
  error.tracebackSuppressed
    ? `${error.pythonName}: ${message}\n`
    : [
        "Traceback (most recent call last):",
        '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 1, in _serve_db',
        "    (the fake Odoo server does not run Python; this traceback is a placeholder)",
        `${error.pythonName}: ${message}`,
        "",
      ].join("\n");
