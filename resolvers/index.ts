import { ArticleEditingResolver } from './article-editing.resolver';
import { ArticleResolver } from './article.resolver';
import { AuthorEditingResolver } from './author-editing.resolver';
import { AuthorResolver } from './author.resolver';
import { ArticleConnectionResolver, AuthorConnectionResolver, TranslationRequestConnectionResolver } from './connection.resolver';
import { ArticleEventResolver, EventResolver, TranslationEventResolver, TranslationRequestEventResolver } from './event.resolver';
import { ImageEditingResolver } from './image-editing.resolver';
import { ImageResolver } from './image.resolver';
import { LicenseResolver } from './license.resolver';
import { NodeResolver } from './node.resolver';
import { PublicationResolver } from './publication.resolver';
import { TranslationStatusResolver } from './translation-status.resolver';
import { TranslationWorkflowResolver } from './translation-workflow.resolver';
import { TranslationResolver } from './translation.resolver';
import { WebhookResolver } from './webhook.resolver';

export const RESOLVERS = [
  ArticleResolver,
  ArticleConnectionResolver,
  ArticleEditingResolver,
  ArticleEventResolver,
  AuthorResolver,
  AuthorConnectionResolver,
  AuthorEditingResolver,
  EventResolver,
  ImageResolver,
  ImageEditingResolver,
  LicenseResolver,
  NodeResolver,
  PublicationResolver,
  TranslationResolver,
  TranslationEventResolver,
  TranslationRequestConnectionResolver,
  TranslationRequestEventResolver,
  TranslationStatusResolver,
  TranslationWorkflowResolver,
  WebhookResolver,
] as const;
