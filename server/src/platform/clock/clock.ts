/** The one source of "now" for the server. Never call `new Date()` for business decisions. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that reads the real time until it is set, then stays at the instant it was set to
 * (frozen), so a test or demo decides exactly which business day it is.
 */
export class SettableClock implements Clock {
  private fixed: Date | null = null;

  now(): Date {
    return this.fixed ? new Date(this.fixed.getTime()) : new Date();
  }

  set(instant: Date | null): void {
    this.fixed = instant ? new Date(instant.getTime()) : null;
  }

  isSet(): boolean {
    return this.fixed !== null;
  }
}
