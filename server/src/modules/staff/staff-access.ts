import type { EntityManager } from 'typeorm';
import type { Principal } from '../../platform/http/api-router';
import { forbidden, notFound } from '../../platform/http/errors';
import { Cohort, CohortTeacher } from '../cohort/cohort.entity';
import { hasRole } from '../identity/roles';

/**
 * Staff of a cohort: an operator, or a teacher (the role still held, not only the assignment) of
 * that cohort. Answers the cohort, or 404 / 403.
 */
export async function cohortForStaff(manager: EntityManager, principal: Principal, cohortId: number): Promise<Cohort> {
  const cohort = await manager.findOneBy(Cohort, { id: cohortId });
  if (!cohort) throw notFound('Cohort');
  if (hasRole(principal.roles, 'operator')) return cohort;
  if (hasRole(principal.roles, 'teacher') && (await manager.existsBy(CohortTeacher, { cohortId, memberId: principal.memberId }))) return cohort;
  throw forbidden('Only an operator or a teacher of this cohort may do this.');
}

/** The cohorts a staff member works on: every cohort for an operator (null), a teacher's own otherwise. */
export async function staffCohortIds(manager: EntityManager, principal: Principal): Promise<number[] | null> {
  if (hasRole(principal.roles, 'operator')) return null;
  if (!hasRole(principal.roles, 'teacher')) return [];
  return (await manager.findBy(CohortTeacher, { memberId: principal.memberId })).map((row) => row.cohortId);
}
