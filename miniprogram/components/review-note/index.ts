import { mediaUrl } from '../../services/http';

const players = new WeakMap<object, WechatMiniprogram.InnerAudioContext>();

/**
 * A teacher's review under a check-in: the text, and a play button for the voice note
 * (wx.createInnerAudioContext, made on the first tap, destroyed with the component).
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
      players.get(this)?.destroy();
      players.delete(this);
    },
  },
  methods: {
    player(): WechatMiniprogram.InnerAudioContext {
      let player = players.get(this);
      if (!player) {
        player = wx.createInnerAudioContext();
        player.onEnded(() => this.setData({ playing: false }));
        player.onStop(() => this.setData({ playing: false }));
        player.onError(() => {
          this.setData({ playing: false });
          void wx.showToast({ title: '语音播放失败', icon: 'none' });
        });
        players.set(this, player);
      }
      return player;
    },
    onToggleAudio(): void {
      const player = this.player();
      if (this.data.playing) {
        player.stop();
        this.setData({ playing: false });
        return;
      }
      player.src = mediaUrl(this.data.audioUrl);
      player.play();
      this.setData({ playing: true });
    },
  },
});
