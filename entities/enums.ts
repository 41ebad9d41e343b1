import { registerEnumType } from 'type-graphql';

export enum ArticleKind {
  ARTICLE = 'ARTICLE',
  INTERVIEW = 'INTERVIEW',
  REPORT = 'REPORT',
  PODCAST = 'PODCAST',
  VIDEO = 'VIDEO',
}

export enum ArticleStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
}

export enum TranslationRequestStatus {
  REQUESTED = 'REQUESTED',
  ACCEPTED = 'ACCEPTED',
  IN_PROGRESS = 'IN_PROGRESS',
  PUBLISHED = 'PUBLISHED',
  DECLINED = 'DECLINED',
}

export enum TranslationState {
  ORIGINAL = 'ORIGINAL',
  AVAILABLE = 'AVAILABLE',
  REQUESTED = 'REQUESTED',
  IN_PROGRESS = 'IN_PROGRESS',
  NOT_TRANSLATED = 'NOT_TRANSLATED',
}

registerEnumType(ArticleKind, { name: 'ArticleKind' });
registerEnumType(ArticleStatus, { name: 'ArticleStatus' });
registerEnumType(TranslationRequestStatus, {
  name: 'TranslationRequestStatus',
  description: 'Where a translation request is in the editors\' workflow.',
});
registerEnumType(TranslationState, {
  name: 'TranslationState',
  description: 'What a reader of a given language sees: derived from translations and requests, never stored.',
});

/** EDITOR may change content; INTEGRATOR identifies a machine client and may only read. */
export enum ApiKeyRole {
  EDITOR = 'EDITOR',
  INTEGRATOR = 'INTEGRATOR',
}

export enum EventType {
  ARTICLE_PUBLISHED = 'ARTICLE_PUBLISHED',
  ARTICLE_UNPUBLISHED = 'ARTICLE_UNPUBLISHED',
  ARTICLE_UPDATED = 'ARTICLE_UPDATED',
  TRANSLATION_REQUESTED = 'TRANSLATION_REQUESTED',
  TRANSLATION_PUBLISHED = 'TRANSLATION_PUBLISHED',
}

registerEnumType(EventType, {
  name: 'EventType',
  description:
    'What happened. ARTICLE_UPDATED: a published article was edited (edits of drafts record nothing). TRANSLATION_REQUESTED events are visible to editors only.',
});

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'PENDING: not yet acknowledged (retries continue); DELIVERED: a 2xx answer; FAILED: given up after the retry period.',
});
