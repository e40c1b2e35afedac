import type { DataSource } from 'typeorm';
import type { Clock } from '../../platform/clock/clock';
import { withTransaction } from '../../platform/db/transaction';
import { notFound } from '../../platform/http/errors';
import { recordAudit } from '../audit/audit';
import { Cohort } from '../cohort/cohort.entity';
import { CostEntry } from './cost-entry.entity';
import { costTotals, type CostCategory } from './cost-rules';

export interface CostInput {
  category: CostCategory;
  amountFen: number;
  note: string;
  incurredOn: string;
}

const toDto = (row: CostEntry) => ({
  id: row.id,
  cohortId: row.cohortId,
  category: row.category,
  amountFen: row.amountFen,
  note: row.note,
  incurredOn: row.incurredOn,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
});

/** The costs operators record per cohort; every change is audited. */
export class CostService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async list(cohortId: number) {
    await this.cohortExists(cohortId);
    const rows = await this.dataSource.manager.find(CostEntry, { where: { cohortId }, order: { incurredOn: 'DESC', id: 'DESC' } });
    return { items: rows.map(toDto), totals: costTotals(rows) };
  }

  async record(operatorId: number, cohortId: number, input: CostInput) {
    await this.cohortExists(cohortId);
    const id = await withTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const inserted = await manager.insert(CostEntry, { cohortId, ...input, createdBy: operatorId, createdAt: now });
      const costId = Number(inserted.identifiers[0].id);
      await recordAudit(manager, {
        actorId: operatorId, action: 'cost.record', cohortId, target: { type: 'cost', id: costId },
        details: { category: input.category, amountFen: input.amountFen },
      }, now);
      return costId;
    });
    return toDto(await this.dataSource.manager.findOneByOrFail(CostEntry, { id }));
  }

  async remove(operatorId: number, cohortId: number, costId: number): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const row = await manager.findOneBy(CostEntry, { id: costId, cohortId });
      if (!row) throw notFound('Cost entry');
      await manager.delete(CostEntry, { id: costId });
      await recordAudit(manager, {
        actorId: operatorId, action: 'cost.delete', cohortId, target: { type: 'cost', id: costId },
        details: { category: row.category, amountFen: row.amountFen },
      }, this.clock.now());
    });
  }

  private async cohortExists(cohortId: number) {
    if (!(await this.dataSource.manager.existsBy(Cohort, { id: cohortId }))) throw notFound('Cohort');
  }
}
