import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { lockForUpdate, withTransaction } from '../../platform/db/transaction';
import type { Principal } from '../../platform/http/api-router';
import { conflict, forbidden, notFound } from '../../platform/http/errors';
import { hasRole } from '../identity/roles';
import { uploadUrlFor } from '../upload/upload-keys';
import type { UploadService } from '../upload/upload.service';
import type { ProductCreateInput, ProductDto, ProductUpdateInput } from './mall.dto';
import { MallMemberQuota, MallProduct, MallStockAdjustment } from './mall.entities';
import { browseOrder, remainingQuota } from './mall-rules';

const CATALOGUE_SIZE = 200;

export const stockBelowZero = (stock: number, delta: number) =>
  conflict('STOCK_BELOW_ZERO', `Stock is ${stock}; taking away ${-delta} would leave it below zero.`, { stock, delta });

export class ProductService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly uploads: UploadService,
  ) {}

  /** A new product; its initial stock is the first line of the stock audit trail. Images: the operator's own uploads. */
  async create(operatorId: number, input: ProductCreateInput): Promise<ProductDto> {
    const images = await this.uploads.check(this.dataSource.manager, { ownerId: operatorId, kind: 'image', urls: input.imageUrls, field: 'body.imageUrls' });
    const imageKeys = images.keys;
    const id = await withTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const inserted = await manager.insert(MallProduct, {
        name: input.name,
        description: input.description,
        imageKeys,
        pointsPrice: input.pointsPrice,
        stock: input.stock,
        perMemberLimit: input.perMemberLimit,
        active: input.active,
        kind: input.kind,
        sortOrder: input.sortOrder,
        createdBy: operatorId,
        createdAt: now,
        updatedAt: now,
      });
      const productId = Number(inserted.identifiers[0].id);
      await this.uploads.attach(manager, { type: 'product', id: productId }, images);
      if (input.stock > 0) {
        await manager.insert(MallStockAdjustment, {
          productId, delta: input.stock, stockAfter: input.stock, note: 'initial stock', actorId: operatorId, createdAt: now,
        });
      }
      return productId;
    });
    return this.get(operatorId, id);
  }

  /**
   * Edits everything but the stock (which moves only through audited adjustments). New images must
   * be the operator's own uploads; images the product already shows may stay, whoever added them.
   */
  async update(operatorId: number, productId: number, input: ProductUpdateInput): Promise<ProductDto> {
    const { imageUrls, ...fields } = input;
    const changes: Partial<MallProduct> = { ...fields, updatedAt: this.clock.now() };
    await withTransaction(this.dataSource, async (manager) => {
      const product = await manager.findOne(MallProduct, { select: { id: true, imageKeys: true }, where: { id: productId } });
      if (!product) throw notFound('Product');
      if (imageUrls) {
        const images = await this.uploads.check(manager, { ownerId: operatorId, kind: 'image', urls: imageUrls, field: 'body.imageUrls', keep: product.imageKeys });
        changes.imageKeys = images.keys;
        await this.uploads.attach(manager, { type: 'product', id: productId }, images, { replace: true });
      }
      await manager.update(MallProduct, { id: productId }, changes);
    });
    return this.get(operatorId, productId);
  }

  /**
   * An operator's stock adjustment, recorded with who, when and why. The stock moves by a
   * conditional update that can never take it below zero, even against concurrent redemptions.
   */
  async adjustStock(operatorId: number, productId: number, input: { delta: number; note: string }) {
    const adjustmentId = await withTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const delta = Math.trunc(input.delta);
      const moved = await manager
        .createQueryBuilder()
        .update(MallProduct)
        .set({ stock: () => `stock + ${delta}` })
        .where('id = :productId AND stock + :delta >= 0', { productId, delta })
        .execute();
      if (moved.affected !== 1) {
        const product = await manager.findOne(MallProduct, { where: { id: productId }, lock: lockForUpdate(manager) });
        if (!product) throw notFound('Product');
        throw stockBelowZero(product.stock, delta);
      }
      const { stock } = await manager.findOneByOrFail(MallProduct, { id: productId });
      const inserted = await manager.insert(MallStockAdjustment, {
        productId, delta, stockAfter: stock, note: input.note, actorId: operatorId, createdAt: now,
      });
      return Number(inserted.identifiers[0].id);
    });
    const adjustment = await this.dataSource.manager.findOneByOrFail(MallStockAdjustment, { id: adjustmentId });
    return { product: await this.get(operatorId, productId), adjustment: toAdjustmentDto(adjustment) };
  }

  /** The stock audit trail of a product, newest first. */
  async stockHistory(productId: number, page: { limit: number; before?: number }) {
    if (!(await this.dataSource.manager.existsBy(MallProduct, { id: productId }))) throw notFound('Product');
    const query = this.dataSource.manager
      .createQueryBuilder(MallStockAdjustment, 'a')
      .where('a.product_id = :productId', { productId })
      .orderBy('a.id', 'DESC')
      .take(page.limit + 1);
    if (page.before) query.andWhere('a.id < :before', { before: page.before });
    const rows = await query.getMany();
    const items = rows.slice(0, page.limit).map(toAdjustmentDto);
    return { items, nextCursor: rows.length > page.limit ? String(items[items.length - 1].id) : null };
  }

  /** The catalogue: active products, in stock first, then newest first. Operators may ask for all. */
  async list(principal: Principal, includeInactive: boolean): Promise<ProductDto[]> {
    if (includeInactive && !hasRole(principal.roles, 'operator')) throw forbidden('Only an operator may list inactive products.');
    const products = await this.dataSource.manager.find(MallProduct, {
      where: includeInactive ? {} : { active: true },
      order: { id: 'DESC' },
      take: CATALOGUE_SIZE,
    });
    products.sort(browseOrder);
    return this.toDtos(this.dataSource.manager, products, principal.memberId);
  }

  /** One product, active or not (a member following an old link sees `active: false`). */
  async get(memberId: number, productId: number): Promise<ProductDto> {
    const product = await this.dataSource.manager.findOneBy(MallProduct, { id: productId });
    if (!product) throw notFound('Product');
    const [dto] = await this.toDtos(this.dataSource.manager, [product], memberId);
    return dto;
  }

  private async toDtos(manager: EntityManager, products: MallProduct[], memberId: number): Promise<ProductDto[]> {
    if (products.length === 0) return [];
    const quotas = await manager.findBy(MallMemberQuota, { memberId, productId: In(products.map((p) => p.id)) });
    return products.map((product) => {
      const redeemed = quotas.find((q) => q.productId === product.id)?.redeemed ?? 0;
      return {
        id: product.id,
        name: product.name,
        description: product.description,
        imageUrls: product.imageKeys.map(uploadUrlFor),
        pointsPrice: product.pointsPrice,
        stock: product.stock,
        inStock: product.stock > 0,
        perMemberLimit: product.perMemberLimit,
        active: product.active,
        kind: product.kind,
        sortOrder: product.sortOrder,
        myRedeemed: redeemed,
        myRemaining: remainingQuota(product.perMemberLimit, redeemed),
        createdAt: product.createdAt.toISOString(),
        updatedAt: product.updatedAt.toISOString(),
      };
    });
  }
}

function toAdjustmentDto(row: MallStockAdjustment) {
  return {
    id: row.id,
    productId: row.productId,
    delta: row.delta,
    stockAfter: row.stockAfter,
    note: row.note,
    actorId: row.actorId,
    createdAt: row.createdAt.toISOString(),
  };
}
