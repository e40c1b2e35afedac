import Toast from '@vant/weapp/toast/toast';

/** Shows a readable error in the page's `<van-toast id="van-toast" />`. */
export function toastError(page: WechatMiniprogram.Component.TrivialInstance, message: string): void {
  Toast({ context: page, selector: '#van-toast', message, duration: 3000 });
}
