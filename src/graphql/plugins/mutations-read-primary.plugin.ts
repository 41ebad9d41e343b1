import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';

/** With read replicas: once an operation turns out to be a mutation, its reads go to the primary. */
export function mutationsReadPrimaryPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === 'mutation') contextValue.readFromPrimary();
        },
      };
    },
  };
}
