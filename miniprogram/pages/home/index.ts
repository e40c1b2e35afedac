import { reaction, type IReactionDisposer } from 'mobx-miniprogram';
import { ComponentWithStore } from 'mobx-miniprogram-bindings';
import { memberStore } from '../../stores/member';
import { toastError } from '../../utils/toast';

const stopLoginErrorToasts = new WeakMap<object, IReactionDisposer>();

// A page written as a component (WeChat allows it), so tests can load it with miniprogram-simulate.
ComponentWithStore({
  storeBindings: {
    store: memberStore,
    fields: ['status', 'member', 'errorMessage'],
    actions: [],
  },
  lifetimes: {
    ready() {
      // fireImmediately: a launch login that failed before this page existed is shown too.
      const stop = reaction(
        () => (memberStore.status === 'error' ? memberStore.error : null),
        (error) => {
          if (error) toastError(this, error.message);
        },
        { fireImmediately: true },
      );
      stopLoginErrorToasts.set(this, stop);
    },
    detached() {
      stopLoginErrorToasts.get(this)?.();
    },
  },
  methods: {
    onRetry() {
      void memberStore.login();
    },
  },
});
