/** Shapes of the server's HTTP contract (DESIGN.md §5) that the Mini Program uses. Types only: a .d.ts emits no empty .js module. */
export type Role = 'member' | 'teacher' | 'operator';

export interface Member {
  id: number;
  nickname: string;
  avatarUrl: string | null;
  roles: Role[];
}

export interface LoginResponse {
  token: string;
  member: Member;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
