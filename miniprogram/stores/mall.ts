import { makeAutoObservable } from 'mobx-miniprogram';
import { api } from '../services/api';
import type { Product, Redemption } from '../services/api-types';
import { loadInto, type LoadStatus } from './loading';

/** In-stock products first; otherwise the server's order. */
function inStockFirst(products: Product[]): Product[] {
  return [...products.filter((p) => p.stock > 0), ...products.filter((p) => p.stock <= 0)];
}

/**
 * The mall's products: the Mall tab lists them, the product page shows one, and a redemption made on either
 * moves the stock and my remaining quota on both.
 */
export class MallStore {
  products: Product[] = [];
  status: LoadStatus = 'idle';
  errorMessage = '';

  constructor() {
    makeAutoObservable(this);
  }

  byId(id: number): Product | undefined {
    return this.products.find((p) => p.id === id);
  }

  load(): Promise<boolean> {
    return loadInto(this, () => api.products(), ({ items }) => {
      this.products = inStockFirst(items.filter((p) => p.active));
    });
  }

  /** Loads one product and keeps it in the list. Throws ApiError. */
  async fetch(id: number): Promise<Product> {
    const product = await api.product(id);
    this.put(product);
    return product;
  }

  put(product: Product): void {
    const index = this.products.findIndex((p) => p.id === product.id);
    if (index === -1) {
      if (product.active) this.products = inStockFirst([...this.products, product]);
      return;
    }
    this.products = inStockFirst(this.products.map((p) => (p.id === product.id ? product : p)));
  }

  /** After a redemption (not a replay of one already counted): less stock, less of my quota. */
  redeemed(redemption: Redemption): void {
    this.adjust(redemption.productId, -redemption.quantity);
  }

  /** After a cancellation: the stock and my quota come back. */
  cancelled(redemption: Redemption): void {
    this.adjust(redemption.productId, redemption.quantity);
  }

  /** The server said a product ran out (OUT_OF_STOCK): show it as sold out until the next load. */
  soldOut(productId: number): void {
    const product = this.byId(productId);
    if (product) this.put({ ...product, stock: 0, inStock: false });
  }

  private adjust(productId: number, delta: number): void {
    const product = this.byId(productId);
    if (!product) return;
    const stock = Math.max(0, product.stock + delta);
    this.put({
      ...product,
      stock,
      inStock: stock > 0,
      myRedeemed: Math.max(0, product.myRedeemed - delta),
      myRemaining: product.myRemaining === null ? null : Math.max(0, product.myRemaining + delta),
    });
  }
}

export const mallStore = new MallStore();
