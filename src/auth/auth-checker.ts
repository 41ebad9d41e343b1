import { GraphQLError } from 'graphql';
import type { AuthChecker } from 'type-graphql';
import type { ApiKeyRole } from '../../entities/enums';
import type { Context } from '../graphql/context';
import type { Caller } from './caller';

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

/** Throws the error a caller without one of `roles` gets; every protected field and subscription uses it. */
export function requireRole(caller: Caller, roles: readonly ApiKeyRole[]): void {
  if (caller.kind === 'anonymous') {
    throw unauthenticated('This needs an API key with the EDITOR role: send it as "Authorization: Bearer KEY".');
  }
  if (caller.kind === 'invalid') {
    if (caller.reason === 'revoked') throw forbidden('This API key has been revoked.');
    if (caller.reason === 'malformed') throw unauthenticated('Send the API key as "Authorization: Bearer KEY".');
    throw unauthenticated('This API key is not valid.');
  }
  if (roles.length > 0 && !roles.includes(caller.role)) {
    throw forbidden(`This needs the ${roles.join(' or ')} role; the key "${caller.name}" has the ${caller.role} role.`);
  }
}

/** type-graphql's single auth checker: `@Authorized(ApiKeyRole.EDITOR)` fields go through it. */
export const authChecker: AuthChecker<Context, ApiKeyRole> = ({ context }, roles) => {
  requireRole(context.caller, roles);
  return true;
};
