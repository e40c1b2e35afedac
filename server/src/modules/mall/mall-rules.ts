/** Pure rules of the points mall (DESIGN §4 "Mall"). No framework imports. */

export const productKinds = ['physical', 'virtual'] as const;
export type ProductKind = (typeof productKinds)[number];

export const redemptionStates = ['pending', 'fulfilled', 'cancelled'] as const;
export type RedemptionState = (typeof redemptionStates)[number];

export const redemptionActions = ['fulfil', 'cancel'] as const;
export type RedemptionAction = (typeof redemptionActions)[number];

/**
 * The order state machine: pending -> fulfilled, pending -> cancelled; fulfilled and cancelled are
 * final. The service turns it into a conditional update (`WHERE state IN (sourcesOf(action))`), so
 * the database decides which of two racing actions wins.
 */
const transitions: Record<RedemptionState, Partial<Record<RedemptionAction, RedemptionState>>> = {
  pending: { fulfil: 'fulfilled', cancel: 'cancelled' },
  fulfilled: {},
  cancelled: {},
};

/** The state an action leads to from `state`, or null when the action is not allowed there. */
export function nextState(state: RedemptionState, action: RedemptionAction): RedemptionState | null {
  return transitions[state][action] ?? null;
}

/** The states from which `action` is allowed. */
export function sourcesOf(action: RedemptionAction): RedemptionState[] {
  return redemptionStates.filter((state) => nextState(state, action) !== null);
}

/** What `action` leads to (the same target from every source state). */
export function targetOf(action: RedemptionAction): RedemptionState {
  const target = sourcesOf(action).map((state) => nextState(state, action))[0];
  if (!target) throw new Error(`No state allows ${action}`);
  return target;
}

export function isFinal(state: RedemptionState): boolean {
  return redemptionActions.every((action) => nextState(state, action) === null);
}

/** How many more a member may redeem: null when the product has no per-member limit. */
export function remainingQuota(perMemberLimit: number | null, redeemed: number): number | null {
  return perMemberLimit === null ? null : Math.max(0, perMemberLimit - redeemed);
}

export function pointsTotal(unitPrice: number, quantity: number): number {
  return unitPrice * quantity;
}

/** Physical goods are shipped, so they need a delivery address; virtual goods do not. */
export function needsAddress(kind: ProductKind): boolean {
  return kind === 'physical';
}

export interface BrowseItem {
  id: number;
  stock: number;
  /** The operator's placement: smaller first (0 when not placed). */
  sortOrder?: number;
}

/** The members' catalogue order: products in stock first, then as the operator placed them, then newest first. */
export function browseOrder(a: BrowseItem, b: BrowseItem): number {
  const soldOut = (p: BrowseItem) => (p.stock > 0 ? 0 : 1);
  return soldOut(a) - soldOut(b) || (a.sortOrder ?? 0) - (b.sortOrder ?? 0) || b.id - a.id;
}
