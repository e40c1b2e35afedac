/** Roles (pure rules, no framework). Everyone logged in is a member; the others are granted. */
export const grantableRoles = ['teacher', 'operator'] as const;
export type GrantableRole = (typeof grantableRoles)[number];
export type Role = 'member' | GrantableRole;

/** The roles a member shows to clients: always "member", then granted roles in a stable order. */
export function effectiveRoles(granted: Iterable<string>): Role[] {
  const grantedSet = new Set(granted);
  return ['member', ...grantableRoles.filter((role) => grantedSet.has(role))];
}

// The roles ApiRouter's route specs (`access: ['operator']`) and principals speak of (inside the
// block, `Role` would name the platform's own alias, hence this one).
type RoleOfIdentity = Role;
declare module '../../platform/http/api-router' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the members come from Role
  interface DeclaredRoles extends Record<RoleOfIdentity, true> {}
}

export function hasRole(roles: readonly Role[], wanted: Role): boolean {
  return roles.includes(wanted);
}
