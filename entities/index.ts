import { ApiKey } from './api-key.entity';
import { AppSetting } from './app-setting.entity';
import { ArticleAuthor } from './article-author.entity';
import { ArticleRelated } from './article-related.entity';
import { Article } from './article.entity';
import { Author } from './author.entity';
import { ContentEvent } from './event.entity';
import { Image } from './image.entity';
import { License } from './license.entity';
import { Publication } from './publication.entity';
import { TranslationRequestReader } from './translation-request-reader.entity';
import { TranslationRequest } from './translation-request.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { Webhook } from './webhook.entity';

export const ENTITIES = [
  ApiKey,
  AppSetting,
  Article,
  ArticleAuthor,
  ArticleRelated,
  Author,
  ContentEvent,
  Image,
  License,
  Publication,
  TranslationRequest,
  TranslationRequestReader,
  Webhook,
  WebhookDelivery,
];
