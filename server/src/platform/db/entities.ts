import { AuthToken } from '../../modules/identity/auth-token.entity';
import { MemberRole } from '../../modules/identity/member-role.entity';
import { Member } from '../../modules/identity/member.entity';

/** Every entity of every module; the DataSource is built from this list. */
export const entities = [Member, MemberRole, AuthToken];
