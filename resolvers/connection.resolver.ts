import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { ArticleConnection, AuthorConnection, TOTAL_COUNT_DESCRIPTION } from './connection.types';
import { TranslationRequestConnection } from './translation-workflow.types';

@Resolver(() => ArticleConnection)
export class ArticleConnectionResolver {
  @FieldResolver(() => Int, { description: TOTAL_COUNT_DESCRIPTION })
  totalCount(@Root() connection: ArticleConnection): Promise<number> {
    return connection.countTotal();
  }
}

@Resolver(() => AuthorConnection)
export class AuthorConnectionResolver {
  @FieldResolver(() => Int, { description: TOTAL_COUNT_DESCRIPTION })
  totalCount(@Root() connection: AuthorConnection): Promise<number> {
    return connection.countTotal();
  }
}

@Resolver(() => TranslationRequestConnection)
export class TranslationRequestConnectionResolver {
  @FieldResolver(() => Int, { description: TOTAL_COUNT_DESCRIPTION })
  totalCount(@Root() connection: TranslationRequestConnection): Promise<number> {
    return connection.countTotal();
  }
}
