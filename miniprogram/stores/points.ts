import { makeAutoObservable, runInAction } from 'mobx-miniprogram';
import { api } from '../services/api';

/** My points balance: shown on Me and on the points page, updated by every check-in. */
export class PointsStore {
  balance: number | null = null;

  constructor() {
    makeAutoObservable(this);
  }

  setBalance(balance: number): void {
    this.balance = balance;
  }

  /** Reloads the balance (GET /me/points?limit=1); throws ApiError. */
  async refresh(): Promise<void> {
    const { balance } = await api.myPoints({ limit: 1 });
    runInAction(() => {
      this.balance = balance;
    });
  }
}

export const pointsStore = new PointsStore();
