/**
 * Names members may not choose (pure rules). WeChat's login reveals no nickname, so members are
 * `学员<id>` until they pick one: nobody may take another member's default name. Names that look
 * like staff (老师, 助教, 管理员, admin, …) are for teachers and operators, so a member cannot pass for
 * staff in a cohort's feed. Compared after NFKC (full-width letters, digits), case folding and
 * dropping spaces, punctuation and symbols, so `Ａｄ-ｍｉｎ` is `admin`.
 */
const staffWords = ['老师', '助教', '班主任', '管理员', '客服', '官方', '运营', '导师', 'teacher', 'admin', 'operator', 'official', 'staff', 'moderator'];

const comparable = (nickname: string) => nickname.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');

/** The neutral name a deleted account (注销) shows wherever its records remain; no member may choose it. */
export const DELETED_MEMBER_NICKNAME = '已注销用户';

/** Why `nickname` is not available to this member, or null when it is. */
export function nicknameProblem(nickname: string, who: { memberId: number; staff: boolean }): string | null {
  const name = comparable(nickname);
  if (name === comparable(DELETED_MEMBER_NICKNAME)) return 'is the name deleted accounts show; choose another';
  const defaultName = /^学员(\d+)$/.exec(name);
  if (defaultName && Number(defaultName[1]) !== who.memberId) {
    return 'is reserved: 学员<number> is the name members have until they choose their own';
  }
  if (!who.staff && staffWords.some((word) => name.includes(word))) {
    return 'looks like a staff name (老师, 助教, 管理员, admin, …); only teachers and operators may use such names';
  }
  return null;
}
