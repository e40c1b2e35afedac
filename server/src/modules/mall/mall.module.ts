import type { DataSource } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import type { ApiRouter } from '../../platform/http/api-router';
import type { UploadService } from '../upload/upload.service';
import { registerMallRoutes } from './mall.routes';
import { ProductService } from './product.service';
import { RedemptionService } from './redemption.service';
import { ShippingService } from './shipping.service';

export interface MallDeps {
  dataSource: DataSource;
  clock: Clock;
  uploads: UploadService;
  timeZone: string;
}

/** The points mall: products with audited stock, redemptions (orders), fulfilment and refunds. */
export function registerMallModule(api: ApiRouter, deps: MallDeps): void {
  registerMallRoutes(
    api,
    new ProductService(deps.dataSource, deps.clock, deps.uploads),
    new RedemptionService(deps.dataSource, deps.clock, deps.timeZone),
    new ShippingService(deps.dataSource, deps.clock, deps.timeZone),
  );
}
