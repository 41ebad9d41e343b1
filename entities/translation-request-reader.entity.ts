import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One reader's vote on a request, kept only as a keyed hash so that readers cannot be traced. */
@Entity('translation_request_reader')
export class TranslationRequestReader {
  @PrimaryColumn({ name: 'request_id', type: 'integer' })
  requestId: number;

  @PrimaryColumn({ name: 'reader_hash', type: 'varchar', length: 64 })
  readerHash: string;

  @Column({ name: 'created_at', type: Date })
  createdAt: Date;
}
