import { mediaUrl } from '../../services/http';
import { playVoice, stopVoice } from '../../utils/voice';

/**
 * A teacher's review under a check-in: the text, and a play button for the voice note (one
 * recording plays at a time across the Mini Program; see utils/voice).
 */
Component({
  properties: {
    teacher: { type: String, value: '' },
    text: { type: String, value: '' },
    audioUrl: { type: String, value: '' },
    audioSeconds: { type: Number, value: 0 },
  },
  data: {
    playing: false,
  },
  lifetimes: {
    detached(): void {
      if (this.data.playing) stopVoice(false);
    },
  },
  methods: {
    onToggleAudio(): void {
      if (this.data.playing) {
        stopVoice();
        return;
      }
      playVoice(mediaUrl(this.data.audioUrl), () => this.setData({ playing: false }));
      this.setData({ playing: true });
    },
  },
});
