import { secureHeaders } from "hono/secure-headers";

/**
 * Headers on every response. The CSP suits the SPA: its own scripts and styles only (Vite emits
 * files, no inline script), images from itself and data: URLs, API calls to itself, never framed.
 * HSTS is sent too: browsers ignore it on plain http (local use) and honour it behind TLS.
 */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  strictTransportSecurity: "max-age=31536000; includeSubDomains",
  xContentTypeOptions: "nosniff",
  referrerPolicy: "strict-origin-when-cross-origin",
  xFrameOptions: "DENY",
  crossOriginResourcePolicy: "same-origin",
});
