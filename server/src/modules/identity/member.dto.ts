import { z } from 'zod';
import '../../platform/http/openapi';
import type { Member } from './member.entity';
import { effectiveRoles } from './roles';

export const memberDtoSchema = z
  .object({
    id: z.number().int(),
    nickname: z.string(),
    avatarUrl: z.string().nullable(),
    roles: z.array(z.enum(['member', 'teacher', 'operator'])),
  })
  .openapi('Member');

export type MemberDto = z.infer<typeof memberDtoSchema>;

/** The name shown until a member sets one (WeChat's login does not reveal nicknames). */
export const defaultNickname = (memberId: number) => `学员${memberId}`;

export function toMemberDto(member: Member, grantedRoles: Iterable<string>): MemberDto {
  return {
    id: member.id,
    nickname: member.nickname ?? defaultNickname(member.id),
    avatarUrl: member.avatarUrl,
    roles: effectiveRoles(grantedRoles),
  };
}

/** How a member appears to others (feed authors, commenters, leaderboard rows). */
export interface PublicMember {
  id: number;
  nickname: string;
  avatarUrl: string | null;
}

export function toPublicMember(member: Pick<Member, 'id' | 'nickname' | 'avatarUrl'>): PublicMember {
  return { id: member.id, nickname: member.nickname ?? defaultNickname(member.id), avatarUrl: member.avatarUrl };
}
