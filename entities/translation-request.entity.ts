import { Authorized, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { toGlobalId } from '../src/graphql/global-id';
import { ApiKeyRole, TranslationRequestStatus } from './enums';
import { Node } from './node.interface';

/**
 * Readers see a request as its language, its count and the state of the translation box; where it
 * stands in the editors' workflow, and when it was moved, is for editors, as the queue is.
 */
@ObjectType({ implements: Node, description: 'Readers asking for an article in a language; each reader counts once.' })
@Entity('translation_request')
export class TranslationRequest implements Node {
  @PrimaryGeneratedColumn({ name: 'id' })
  rowId: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId('TranslationRequest', this.rowId);
  }

  @Column({ name: 'article_id', type: 'integer' })
  articleId: number;

  @Field({ description: 'The language asked for (language and script, without region).' })
  @Column({ type: 'varchar', length: 35 })
  language: string;

  @Authorized(ApiKeyRole.EDITOR)
  @Field(() => TranslationRequestStatus, { description: "Editors only: where the request stands in the editors' workflow." })
  @Column({ type: 'varchar', length: 20 })
  status: TranslationRequestStatus;

  @Field(() => Int, { description: 'How many distinct readers asked.' })
  @Column({ name: 'request_count', type: 'integer', default: 0 })
  requestCount: number;

  @Authorized(ApiKeyRole.EDITOR)
  @Field(() => GraphQLDateTimeISO, { description: 'Editors only.' })
  @Column({ name: 'created_at', type: Date })
  createdAt: Date;

  @Authorized(ApiKeyRole.EDITOR)
  @Field(() => GraphQLDateTimeISO, { description: 'Editors only.' })
  @Column({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
