import { makeAutoObservable, runInAction } from 'mobx-miniprogram';
import { api, ApiError } from '../services/api';
import { clearToken, login } from '../services/auth';
import type { Member } from '../services/api-types';
import { messageOf } from '../utils/errors';
import { inviteStore } from './invite';

export type MemberStatus = 'loggedOut' | 'loggingIn' | 'loggedIn' | 'error';

/** What a page shows for a failed action: the server's code and readable message. */
export interface StoreError {
  code: string;
  message: string;
}

function toStoreError(error: unknown): StoreError {
  if (error instanceof ApiError) return { code: error.code, message: messageOf(error) };
  return { code: 'UNKNOWN_ERROR', message: '出了点问题，请稍后重试' };
}

export class MemberStore {
  status: MemberStatus = 'loggedOut';
  member: Member | null = null;
  /** The last failure of login() or refresh(); replaced as a whole so bindings see every new error. */
  error: StoreError | null = null;

  constructor() {
    makeAutoObservable(this);
  }

  get errorMessage(): string {
    return this.error?.message ?? '';
  }

  /** Logs in (fake or WeChat code, see config.ts); resolves false and sets `error` on failure. */
  async login(): Promise<boolean> {
    this.status = 'loggingIn';
    this.error = null;
    try {
      const { member } = await login();
      runInAction(() => {
        this.member = member;
        this.status = 'loggedIn';
      });
      return true;
    } catch (error) {
      runInAction(() => {
        this.error = toStoreError(error);
        this.status = 'error';
      });
      return false;
    }
  }

  /** Reloads the member (GET /me); keeps the shown member and sets `error` on failure. */
  async refresh(): Promise<boolean> {
    try {
      const member = await api.me();
      runInAction(() => {
        this.member = member;
        this.status = 'loggedIn';
        this.error = null;
      });
      return true;
    } catch (error) {
      runInAction(() => {
        this.error = toStoreError(error);
      });
      return false;
    }
  }

  /** A member the server just returned (after editing my profile or my roles). */
  setMember(member: Member): void {
    this.member = member;
  }

  logout(): void {
    clearToken();
    // My invite codes are mine: the next member gets their own.
    inviteStore.forget();
    this.member = null;
    this.error = null;
    this.status = 'loggedOut';
  }
}

export const memberStore = new MemberStore();
