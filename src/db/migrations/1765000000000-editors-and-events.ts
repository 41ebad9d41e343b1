import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/** API keys for editors and integrators, and the durable event log subscriptions and polling read. */
export class EditorsAndEvents1765000000000 implements MigrationInterface {
  name = 'EditorsAndEvents1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.driver.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: 'api_key',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'role', type: 'varchar', length: '20' },
          // SHA-256 of the key: keys are 256 random bits, so a slow password hash would add nothing.
          { name: 'key_hash', type: 'varchar', length: '64' },
          { name: 'key_prefix', type: 'varchar', length: '16' },
          { name: 'created_at', type: timestamp },
          { name: 'revoked_at', type: timestamp, isNullable: true },
        ],
        uniques: [{ name: 'uq_api_key_hash', columnNames: ['key_hash'] }],
      }),
    );

    // The id is the event's sequence number. On SQLite, AUTOINCREMENT never reuses an id, and
    // writes are serialised, so ids are committed in increasing order: a reader that has seen
    // event n has seen every event before it.
    await queryRunner.createTable(
      new Table({
        name: 'event',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'type', type: 'varchar', length: '40' },
          { name: 'article_id', type: 'integer' },
          { name: 'original_id', type: 'integer', isNullable: true },
          { name: 'request_id', type: 'integer', isNullable: true },
          { name: 'language', type: 'varchar', length: '35' },
          { name: 'section', type: 'varchar', length: '200', isNullable: true },
          { name: 'created_at', type: timestamp },
        ],
        indices: [new TableIndex({ name: 'idx_event_type', columnNames: ['type', 'id'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('event', true);
    await queryRunner.dropTable('api_key', true);
  }
}
