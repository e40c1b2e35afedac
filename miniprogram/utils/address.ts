import type { DeliveryAddress } from '../services/api-types';

/** What wx.chooseAddress answers (the fields the server needs). */
export interface ChosenAddress {
  userName: string;
  telNumber: string;
  provinceName: string;
  cityName: string;
  countyName: string;
  detailInfo: string;
}

/** wx.chooseAddress's answer in the server's shape. */
export function toDeliveryAddress(chosen: ChosenAddress): DeliveryAddress {
  return {
    name: chosen.userName.trim(),
    phone: chosen.telNumber.trim(),
    province: chosen.provinceName.trim(),
    city: chosen.cityName.trim(),
    district: (chosen.countyName ?? '').trim(),
    detail: chosen.detailInfo.trim(),
  };
}

/** `张三 138… · 广东省深圳市南山区科技园1号`. */
export function addressLine(address: DeliveryAddress): string {
  const place = [address.province, address.city === address.province ? '' : address.city, address.district, address.detail].join('');
  return `${address.name} ${address.phone} · ${place}`;
}

export type ChooseAddressOutcome = { address: DeliveryAddress } | { cancelled: true } | { denied: true };

/** Opens WeChat's address book; a cancel or a refused permission is an outcome, not an error. */
export function chooseAddress(): Promise<ChooseAddressOutcome> {
  return new Promise((resolve) => {
    wx.chooseAddress({
      success: (res) => resolve({ address: toDeliveryAddress(res) }),
      fail: (err) => resolve(/cancel/.test(err.errMsg) ? { cancelled: true } : { denied: true }),
    });
  });
}
