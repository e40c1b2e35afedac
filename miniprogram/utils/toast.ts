import Toast from '@vant/weapp/toast/toast';

type Context = WechatMiniprogram.Component.TrivialInstance;

/** Shows a readable error in the page's `<van-toast id="van-toast" />`. */
export function toastError(page: Context, message: string): void {
  Toast({ context: page, selector: '#van-toast', message, duration: 3000 });
}

/** A short confirmation in the page's `<van-toast id="van-toast" />`. */
export function toastText(page: Context, message: string): void {
  Toast({ context: page, selector: '#van-toast', message, duration: 2000 });
}
