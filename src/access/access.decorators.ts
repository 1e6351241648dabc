import { SetMetadata } from '@nestjs/common';
import { Role } from '../config/api-keys';

export const PUBLIC = 'access:public';
export const REQUIRED_ROLE = 'access:role';

/** Open to anyone, with or without a key, and outside tenancy (health, metrics). */
export const Public = () => SetMetadata(PUBLIC, true);

/**
 * The role an operation needs when it differs from the default by method (GET → reader, DELETE → admin,
 * any other → writer).
 */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);
