import type { EntityManager } from 'typeorm';
import { AuditEntry } from './audit.entity';

export interface AuditRecord {
  actorId: number;
  action: string;
  cohortId?: number | null;
  memberId?: number | null;
  target?: { type: string; id: number };
  details?: Record<string, string | number | boolean | null>;
}

/** Records a staff action in the same transaction as the action itself. */
export async function recordAudit(manager: EntityManager, record: AuditRecord, now: Date): Promise<void> {
  await manager.insert(AuditEntry, {
    actorId: record.actorId,
    action: record.action,
    cohortId: record.cohortId ?? null,
    memberId: record.memberId ?? null,
    targetType: record.target?.type ?? null,
    targetId: record.target?.id ?? null,
    details: record.details ?? null,
    createdAt: now,
  });
}
