import { mediaUrl } from '../../services/http';
import { playVoice, stopVoice, voiceLength } from '../../utils/voice';

/** A member's recording as a play button with its length; one recording plays at a time. */
Component({
  properties: {
    url: { type: String, value: '' },
    seconds: { type: Number, value: 0 },
  },
  data: {
    playing: false,
    length: '',
  },
  observers: {
    seconds(seconds: number): void {
      this.setData({ length: voiceLength(seconds) });
    },
  },
  lifetimes: {
    detached(): void {
      if (this.data.playing) stopVoice(false);
    },
  },
  methods: {
    onToggle(): void {
      if (this.data.playing) {
        stopVoice();
        return;
      }
      // A local recording (the composer's play back) plays from its temp file.
      const url = this.data.url as string;
      playVoice(url.startsWith('/uploads/') ? mediaUrl(url) : url, () => this.setData({ playing: false }));
      this.setData({ playing: true });
    },
  },
});
