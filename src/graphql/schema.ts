import { GraphQLSchema } from 'graphql';
import { buildSchema, PubSub } from 'type-graphql';
import { RESOLVERS } from '../../resolvers';
import { authChecker } from '../auth/auth-checker';

/**
 * type-graphql refuses to build subscriptions without a PubSub, although every subscription here
 * brings its own `subscribe` (a stream read from the event log) and never uses topics.
 */
const NO_TOPICS: PubSub = {
  publish() {
    throw new Error('events are published by writing them to the event log');
  },
  subscribe() {
    throw new Error('subscriptions read the event log through their own subscribe function');
  },
};

export function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: RESOLVERS, validate: false, authChecker, authMode: 'error', pubSub: NO_TOPICS });
}
