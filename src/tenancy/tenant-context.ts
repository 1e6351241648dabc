/** Who a request acts for (docs/API.md §6.2): every read and write is scoped to `tenantId`. */
export interface TenantContext {
  tenantId: string;
  /** The business unit stored with what the request creates. */
  groupId?: string;
}

export const DEFAULT_TENANT = 'default';
