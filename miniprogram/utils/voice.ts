/**
 * One recording plays at a time in the whole Mini Program: starting one stops the one playing (a
 * member's check-in, a teacher's review). Each play has its own InnerAudioContext, destroyed when it
 * ends, so nothing lingers after a page closes.
 */
interface Playing {
  context: WechatMiniprogram.InnerAudioContext;
  onStop: () => void;
}

let current: Playing | null = null;

export function playVoice(src: string, onStop: () => void): void {
  stopVoice();
  const context = wx.createInnerAudioContext();
  const playing: Playing = { context, onStop };
  const finish = () => {
    if (current !== playing) return; // stopped already: its owner was told then (or is gone)
    current = null;
    context.destroy();
    onStop();
  };
  context.onEnded(finish);
  context.onStop(finish);
  context.onError(() => {
    finish();
    void wx.showToast({ title: '语音播放失败', icon: 'none' });
  });
  context.src = src;
  context.play();
  current = playing;
}

/** Stops whatever plays; its owner hears onStop unless it is the one going away (`notify` false). */
export function stopVoice(notify = true): void {
  const playing = current;
  if (!playing) return;
  current = null;
  playing.context.stop();
  playing.context.destroy();
  if (notify) playing.onStop();
}

/** `12″`, or `1′05″` from a minute on. */
export function voiceLength(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  return whole < 60 ? `${whole}″` : `${Math.floor(whole / 60)}′${String(whole % 60).padStart(2, '0')}″`;
}
