export type OdooVersion = "16.0" | "17.0" | "18.0" | "19.0" | "20.0";

/** What differs between the Odoo series the fake can pretend to be (sources in fake-odoo.ts). */
export interface VersionTraits {
  version: OdooVersion;
  major: number;
  /** `/jsonrpc` answers (it is gone from the routing map in 20.0). */
  hasJsonRpc: boolean;
  /** `/json/2/<model>/<method>`, `/web/version` and `/json/version` exist (19.0+). */
  hasJson2: boolean;
  /** JSON-RPC `error.code` for ordinary exceptions: 200 until 18.0, 0 from saas-18.1 (PR #183902). */
  jsonRpcErrorCode: number;
  /** A request of the wrong content type on a typed route: 400 until 18.0, 415 in 19.0+. */
  wrongContentTypeStatus: 400 | 415;
  /** `res.partner.mobile` was removed in saas-18.2 (PR #189739), so 19.0 has none. */
  partnerHasMobile: boolean;
  /** `sale.order.line.product_uom` became `product_uom_id` in saas-18.1 (PR #186250). */
  lineUomField: "product_uom" | "product_uom_id";
  /** 16.0 has the `done` ("Locked") state; 17.0 replaced it with the `locked` boolean. */
  orderHasLockedBoolean: boolean;
  /** 16.0 still has the `private` partner type (dropped in 17.0). */
  partnerHasPrivateType: boolean;
  /** `get_public_method` (with its "does not exist" wording) is used by call_kw from 18.0. */
  publicMethodCheck: boolean;
}

export function traitsOf(version: OdooVersion): VersionTraits {
  const major = Number(version.split(".")[0]);
  return {
    version,
    major,
    hasJsonRpc: major <= 19,
    hasJson2: major >= 19,
    jsonRpcErrorCode: major <= 18 ? 200 : 0,
    wrongContentTypeStatus: major <= 18 ? 400 : 415,
    partnerHasMobile: major <= 18,
    lineUomField: major <= 18 ? "product_uom" : "product_uom_id",
    orderHasLockedBoolean: major >= 17,
    partnerHasPrivateType: major <= 16,
    publicMethodCheck: major >= 18,
  };
}

/** `odoo.release.version_info` of a final release of that series. */
export const versionInfo = (traits: VersionTraits) => [traits.major, 0, 0, "final", 0, ""] as const;

/** `common.version()`, i.e. `odoo.service.common.RPC_VERSION_1`. */
export const rpcVersion = (traits: VersionTraits) => ({
  server_version: traits.version,
  server_version_info: versionInfo(traits),
  server_serie: traits.version,
  protocol_version: 1,
});
