import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { toGlobalId } from '../src/graphql/global-id';
import { Node } from './node.interface';

@ObjectType({ implements: Node, description: 'The magazine or series an article appeared in.' })
@Entity('publication')
export class Publication implements Node {
  @PrimaryGeneratedColumn({ name: 'id' })
  rowId: number;

  @Field(() => ID)
  get id(): string {
    return toGlobalId('Publication', this.rowId);
  }

  @Field()
  @Column({ type: 'varchar', length: 100, unique: true })
  key: string;

  @Field()
  @Column({ type: 'varchar', length: 300 })
  name: string;
}
