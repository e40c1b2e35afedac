/** Roles (pure rules, no framework). Everyone logged in is a member; the others are granted. */
export const grantableRoles = ['teacher', 'operator'] as const;
export type GrantableRole = (typeof grantableRoles)[number];
export type Role = 'member' | GrantableRole;

/** The roles a member shows to clients: always "member", then granted roles in a stable order. */
export function effectiveRoles(granted: Iterable<string>): Role[] {
  const grantedSet = new Set(granted);
  return ['member', ...grantableRoles.filter((role) => grantedSet.has(role))];
}

export function hasRole(roles: readonly Role[], wanted: Role): boolean {
  return roles.includes(wanted);
}
