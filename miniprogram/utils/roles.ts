import type { Role } from '../services/api-types';

export interface RoleTag {
  role: string;
  label: string;
  type: 'primary' | 'success' | 'warning' | 'default';
}

const ROLE_TAGS: Record<Role, Omit<RoleTag, 'role'>> = {
  member: { label: '会员', type: 'primary' },
  teacher: { label: '老师', type: 'success' },
  operator: { label: '运营', type: 'warning' },
};

/** Roles as shown to a person; a role this client does not know yet is shown as-is. */
export function roleTags(roles: readonly string[]): RoleTag[] {
  return roles.map((role) => ({ role, ...(ROLE_TAGS[role as Role] ?? { label: role, type: 'default' }) }));
}
