import { memberStore } from './stores/member';

App({
  onLaunch() {
    // Pages watch the store; a failed login shows on Home with a retry button.
    void memberStore.login();
  },
});
