import { serverAudits } from 'graphql-http';
import { startGateway, TestGateway } from './helpers/gateway';

/** The GraphQL-over-HTTP audit from the reference implementation, against the running gateway. */
describe('GraphQL over HTTP conformance', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.stop());

  it('passes every MUST audit', async () => {
    const audits = serverAudits({ url: () => `${gw.url}/graphql`, fetchFn: fetch });
    const failures: string[] = [];
    for (const audit of audits) {
      if (!audit.name.startsWith('MUST')) continue;
      const result = await audit.fn();
      if (result.status !== 'ok') failures.push(`${audit.id} ${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });
});
