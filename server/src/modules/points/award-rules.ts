import { longestRun } from '../checkin/streak';

/** Pure point rules for a check-in (DESIGN §4). Each award becomes its own ledger line. */
export interface PointsRules {
  basePoints: number;
  groupBonusPoints: number;
  streakBonusPoints: number;
  completionBonusPoints: number;
  makeUpCost: number;
  makeUpLimit: number;
  /** What an inviter earns when an invitee makes a first check-in in the cohort. */
  inviteRewardPoints: number;
  /** At most this many invitees earn one inviter the reward in a cohort. */
  inviteRewardLimit: number;
}

export const defaultPointsRules: PointsRules = {
  basePoints: 10,
  groupBonusPoints: 10,
  streakBonusPoints: 30,
  completionBonusPoints: 50,
  makeUpCost: 20,
  makeUpLimit: 2,
  inviteRewardPoints: 20,
  inviteRewardLimit: 10,
};

export const streakMilestones = [7, 14, 21] as const;

export type AwardReason = 'checkin' | 'group_bonus' | 'streak_bonus' | 'completion_bonus';

export interface Award {
  reason: AwardReason;
  points: number;
  /** Makes the award happen once, whatever retries or races occur. */
  idempotencyKey: string;
}

export interface CheckinAwardInput {
  rules: PointsRules;
  cohortId: number;
  memberId: number;
  checkinId: number;
  dayIndex: number;
  durationDays: number;
  /** Days checked in before this check-in. */
  daysBefore: ReadonlySet<number>;
  viaGroup: boolean;
  isMakeUp: boolean;
}

/** What a check-in reaches: a streak milestone (7, 14, 21 days in a row) and/or completion. */
export interface Milestones {
  /** The highest streak milestone this check-in crossed (a make-up can join two runs), or null. */
  streakDays: number | null;
  completed: boolean;
}

/** The streak milestones crossed between the days before and after (a make-up may cross two). */
function milestonesCrossed(daysBefore: ReadonlySet<number>, daysAfter: ReadonlySet<number>, durationDays: number): number[] {
  const longestBefore = longestRun(daysBefore);
  const longestAfter = longestRun(daysAfter);
  return streakMilestones.filter((m) => m <= durationDays && longestBefore < m && longestAfter >= m);
}

const completes = (daysBefore: ReadonlySet<number>, daysAfter: ReadonlySet<number>, durationDays: number) =>
  daysAfter.size === durationDays && daysBefore.size < durationDays;

/** Pure: the milestones the check-in of `dayIndex` reaches, given the days checked in before it. */
export function milestonesReached(daysBefore: ReadonlySet<number>, dayIndex: number, durationDays: number): Milestones {
  const daysAfter = new Set(daysBefore).add(dayIndex);
  const crossed = milestonesCrossed(daysBefore, daysAfter, durationDays);
  return { streakDays: crossed.at(-1) ?? null, completed: completes(daysBefore, daysAfter, durationDays) };
}

/** The group bonus of a check-in: one key whether it came from checking in in the group or sharing into it. */
export const groupBonusKey = (checkinId: number): string => `checkin:${checkinId}:group`;

export function awardsForCheckin(input: CheckinAwardInput): Award[] {
  const { rules, cohortId, memberId, checkinId } = input;
  const daysAfter = new Set(input.daysBefore).add(input.dayIndex);
  const awards: Award[] = [{ reason: 'checkin', points: rules.basePoints, idempotencyKey: `checkin:${checkinId}:base` }];

  // A make-up earns the base award only; it still counts towards streaks and completion.
  if (input.viaGroup && !input.isMakeUp && rules.groupBonusPoints > 0) {
    awards.push({ reason: 'group_bonus', points: rules.groupBonusPoints, idempotencyKey: groupBonusKey(checkinId) });
  }
  if (rules.streakBonusPoints > 0) {
    for (const milestone of milestonesCrossed(input.daysBefore, daysAfter, input.durationDays)) {
      awards.push({
        reason: 'streak_bonus',
        points: rules.streakBonusPoints,
        idempotencyKey: `streak:${cohortId}:${memberId}:${milestone}`,
      });
    }
  }
  if (completes(input.daysBefore, daysAfter, input.durationDays) && rules.completionBonusPoints > 0) {
    awards.push({
      reason: 'completion_bonus',
      points: rules.completionBonusPoints,
      idempotencyKey: `completion:${cohortId}:${memberId}`,
    });
  }
  return awards;
}
