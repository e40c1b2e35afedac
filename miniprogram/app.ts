import { captureGroupProof } from './stores/group-proof';
import { recordLaunchInvite } from './stores/invite';
import { memberStore } from './stores/member';
import { listenForPrivacyAuthorization } from './utils/privacy';

App({
  onLaunch(options) {
    // WeChat asks for consent to the privacy guide when an API needs it: the page's consent sheet answers.
    listenForPrivacyAuthorization();
    // Pages watch the store; a failed login shows on Home with a retry button.
    void memberStore.login();
    void captureGroupProof(options);
    // Opened from an invite (a poster's code, a card, Moments): record the open; a newcomer is attributed after login.
    void recordLaunchInvite(options);
  },
  onShow(options) {
    // Opened again from a group's card (the app was in the background): take that group's proof.
    void captureGroupProof(options);
    void recordLaunchInvite(options);
  },
});
