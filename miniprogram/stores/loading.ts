import { runInAction } from 'mobx-miniprogram';
import { messageOf } from '../utils/errors';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** A store whose list loads with a visible status and a message a person can read. */
export interface Loadable {
  status: LoadStatus;
  errorMessage: string;
}

/**
 * Loads into a store: status `loading`, then `apply` the answer and `ready`, or `error` with the
 * message. Answers whether it worked.
 */
export async function loadInto<T>(store: Loadable, fetch: () => Promise<T>, apply: (answer: T) => void): Promise<boolean> {
  store.status = 'loading';
  store.errorMessage = '';
  try {
    const answer = await fetch();
    runInAction(() => {
      apply(answer);
      store.status = 'ready';
    });
    return true;
  } catch (error) {
    runInAction(() => {
      store.status = 'error';
      store.errorMessage = messageOf(error);
    });
    return false;
  }
}
