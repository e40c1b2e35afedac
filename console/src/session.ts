import { computed, reactive } from 'vue';
import type { ConsoleLogin, Member } from './api/types';

const STORAGE_KEY = 'checkin-console.session';

interface SessionState {
  token: string | null;
  member: Member | null;
  /** When the session ends by this browser's clock (from the server's seconds left, not its clock). */
  expiresAt: string | null;
}

function load(): SessionState {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as SessionState | null;
    if (stored?.token && stored.expiresAt && Date.parse(stored.expiresAt) > Date.now()) return stored;
  } catch {
    // A damaged entry is the same as none.
  }
  return { token: null, member: null, expiresAt: null };
}

/** The signed-in staff member and the console token (12 hours, revocable on the server). */
export const session = reactive<SessionState>(load());

export const signedIn = computed(() => session.token !== null && session.expiresAt !== null && Date.parse(session.expiresAt) > Date.now());

export function signIn(login: Pick<ConsoleLogin, 'token' | 'member' | 'expiresInSeconds'>): void {
  const expiresAt = new Date(Date.now() + login.expiresInSeconds * 1000).toISOString();
  Object.assign(session, { token: login.token, member: login.member, expiresAt });
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function signOut(): void {
  Object.assign(session, { token: null, member: null, expiresAt: null });
  localStorage.removeItem(STORAGE_KEY);
}

export type StaffRole = 'teacher' | 'operator';
export const hasRole = (role: StaffRole) => session.member?.roles.includes(role) ?? false;
