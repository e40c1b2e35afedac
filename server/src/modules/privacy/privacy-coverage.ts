/**
 * What the product does with each table for a member's rights under PIPL (issue 15): which section
 * of `GET /me/data-export` carries the member's rows, and what `DELETE /me` does to them. Every
 * table of the schema is listed here, or explicitly marked as not holding a member's data with the
 * reason: a test walks the entities and fails on a table (or a column referring to a member) that is
 * missing, so a new table cannot slip past the export or the deletion.
 *
 * Deletion:
 * - `delete`: the rows go.
 * - `anonymize`: the row stays (it carries counts or accounting) and its personal content goes.
 * - `keep`: kept as it is, tied to the anonymized member: accounting records (ledger, orders,
 *   redemptions) and the counts operators' metrics are made of (likes, opens, outcomes). Nothing
 *   in such a row names the person once the member row is anonymized.
 */
export type Deletion = 'delete' | 'anonymize' | 'keep';

export interface MemberColumn {
  /** The export's top-level section holding the rows whose column is the member's id. */
  section: string;
  deletion: Deletion;
}

export type TableCoverage =
  | {
      /** Columns holding the id of the member the row is about (or belongs to). */
      member: Record<string, MemberColumn>;
      /**
       * Columns naming a staff member who did something (granted, fulfilled, tagged): the record is
       * the business's and stays; such a member's name goes with the anonymization of their row.
       */
      actors?: Record<string, string>;
    }
  | { notMemberData: string; actors?: Record<string, string> };

const byStaff = 'who did it, as staff: kept with the record, which stays the business\'s';

export const privacyCoverage: Record<string, TableCoverage> = {
  member: { member: { id: { section: 'profile', deletion: 'anonymize' } } },
  member_role: { member: { member_id: { section: 'roles', deletion: 'delete' } }, actors: { granted_by: byStaff } },
  auth_token: { member: { member_id: { section: 'logins', deletion: 'delete' } } },
  console_session: { member: { member_id: { section: 'consoleSessions', deletion: 'delete' } } },
  console_login_ticket: { member: { approved_by: { section: 'consoleLoginApprovals', deletion: 'delete' } } },

  cohort: { notMemberData: 'a cohort is the operator\'s content (title, rules, prompts, the group it is bound to)', actors: { created_by: byStaff } },
  cohort_prompt: { notMemberData: 'the daily prompts of a cohort, written by staff' },
  cohort_teacher: { member: { member_id: { section: 'teaching', deletion: 'delete' } } },
  enrollment: {
    member: { member_id: { section: 'enrollments', deletion: 'keep' } },
    actors: { removed_by: byStaff },
  },
  checkin: { member: { member_id: { section: 'checkins', deletion: 'anonymize' } } },
  checkin_like: { member: { member_id: { section: 'likes', deletion: 'keep' } } },
  checkin_comment: { member: { member_id: { section: 'comments', deletion: 'delete' } } },
  cohort_standing: { member: { member_id: { section: 'standings', deletion: 'keep' } } },
  review: { member: { teacher_id: { section: 'reviewsWritten', deletion: 'anonymize' } } },
  review_template: { member: { teacher_id: { section: 'reviewTemplates', deletion: 'delete' } } },

  member_points: { member: { member_id: { section: 'balance', deletion: 'keep' } } },
  points_ledger: { member: { member_id: { section: 'pointsLedger', deletion: 'keep' } }, actors: { actor_id: byStaff } },
  mall_product: { notMemberData: 'a product of the points mall', actors: { created_by: byStaff } },
  mall_stock_adjustment: { notMemberData: 'the audit trail of stock changes', actors: { actor_id: byStaff } },
  mall_member_quota: { member: { member_id: { section: 'mallQuotas', deletion: 'keep' } } },
  mall_redemption: {
    member: { member_id: { section: 'redemptions', deletion: 'anonymize' } },
    actors: { fulfilled_by: byStaff, cancelled_by: byStaff },
  },

  offer: { notMemberData: 'a paid offer of a cohort, written by an operator' },
  offer_view: { member: { member_id: { section: 'offerViews', deletion: 'keep' } } },
  offer_order: { member: { member_id: { section: 'orders', deletion: 'keep' } } },
  cohort_outcome: { member: { member_id: { section: 'outcomes', deletion: 'keep' } } },

  subscription_consent: { member: { member_id: { section: 'subscriptionConsents', deletion: 'delete' } } },
  notification: { member: { member_id: { section: 'notices', deletion: 'delete' } } },
  job_run: { notMemberData: 'which server instance ran which scheduled job when' },

  upload: { member: { owner_id: { section: 'uploads', deletion: 'delete' } } },
  upload_use: { notMemberData: 'which row refers to which upload; it goes with the upload (foreign key cascade)' },

  share_code: { member: { inviter_id: { section: 'shareCodes', deletion: 'keep' } } },
  referral_open: { member: { member_id: { section: 'shareOpens', deletion: 'keep' } } },
  referral: {
    member: {
      inviter_id: { section: 'invitationsSent', deletion: 'keep' },
      invitee_id: { section: 'invitedBy', deletion: 'keep' },
    },
  },
  referral_tally: { member: { inviter_id: { section: 'inviteTallies', deletion: 'keep' } } },

  audit_log: {
    member: { member_id: { section: 'staffActionsAboutMe', deletion: 'keep' } },
    actors: { actor_id: byStaff },
  },
  tag: { notMemberData: 'an operator-defined tag (its name and colour)', actors: { created_by: byStaff } },
  member_tag: { member: { member_id: { section: 'tags', deletion: 'delete' } }, actors: { tagged_by: byStaff } },
  follow_up: { member: { member_id: { section: 'followUps', deletion: 'delete' } }, actors: { updated_by: byStaff } },
  follow_up_event: { member: { member_id: { section: 'followUpEvents', deletion: 'delete' } }, actors: { actor_id: byStaff } },

  cost_entry: { notMemberData: 'a cost an operator recorded for a cohort (prizes, ads, teacher hours)', actors: { created_by: byStaff } },
  cohort_announcement: {
    notMemberData: 'a notice staff scheduled for a cohort; its deliveries to members are notification rows',
    actors: { created_by: byStaff },
  },
};

/** Every (table, column, section) whose rows the export carries. */
export function exportedColumns(): Array<{ table: string; column: string } & MemberColumn> {
  return Object.entries(privacyCoverage).flatMap(([table, coverage]) =>
    'member' in coverage ? Object.entries(coverage.member).map(([column, spec]) => ({ table, column, ...spec })) : [],
  );
}
