import { ArticleResolver } from './article.resolver';
import { AuthorResolver } from './author.resolver';
import { ArticleConnectionResolver, AuthorConnectionResolver } from './connection.resolver';
import { ImageResolver } from './image.resolver';
import { LicenseResolver } from './license.resolver';
import { NodeResolver } from './node.resolver';
import { PublicationResolver } from './publication.resolver';
import { TranslationResolver } from './translation.resolver';

export const RESOLVERS = [
  ArticleResolver,
  ArticleConnectionResolver,
  AuthorResolver,
  AuthorConnectionResolver,
  ImageResolver,
  LicenseResolver,
  NodeResolver,
  PublicationResolver,
  TranslationResolver,
] as const;
