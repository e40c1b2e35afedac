import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Cohort } from '../cohort/cohort.entity';
import type { CostCategory } from './cost-rules';

/** A cost an operator records for a cohort (ROI = revenue / the sum of these). */
@Entity({ name: 'cost_entry' })
@Index(['cohortId', 'id'])
export class CostEntry {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'cohort_id', type: 'integer' })
  @ForeignKey(() => Cohort, { onDelete: 'CASCADE' })
  cohortId: number;

  @Column({ type: 'varchar', length: 16 })
  category: CostCategory;

  @Column({ name: 'amount_fen', type: 'integer' })
  amountFen: number;

  @Column({ type: 'varchar', length: 200 })
  note: string;

  /** The business date the cost belongs to (YYYY-MM-DD). */
  @Column({ name: 'incurred_on', type: 'varchar', length: 10 })
  incurredOn: string;

  /** The operator who recorded it (a plain id: the record outlives a deleted account). */
  @Column({ name: 'created_by', type: 'integer' })
  createdBy: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;
}
