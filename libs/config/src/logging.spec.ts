import pino from 'pino';
import { Writable } from 'node:stream';
import { AppConfig } from './app-config';
import { loggerParams, REDACTED_PATHS } from './logging';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream) };
}

describe('log redaction', () => {
  it('censors secrets and anything that could identify a survivor or a shelter address', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer eyJsecret', cookie: 'sid=abc' } },
        input: { password: 'hunter2hunter2', email: 'person@example.org' },
        referral: { identity: { name: 'Maria Example' }, notes: 'lives at 5 Elm' },
        shelter: { address: '12 Hidden Road', intakePhone: '+1 555 0100' },
        graphql: { query: 'mutation {…}', variables: { name: 'Maria Example' } },
      },
      'request',
    );
    const out = lines.join('');
    for (const secret of [
      'eyJsecret',
      'sid=abc',
      'hunter2',
      'person@example.org',
      'Maria',
      '5 Elm',
      '12 Hidden',
      '555 0100',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });

  it('logs the request path without its query string', () => {
    const params = loggerParams(new AppConfig({ NODE_ENV: 'test' }), 'api');
    const http = params.pinoHttp as { serializers: { req: (r: object) => object } };
    expect(http.serializers.req({ id: 1, method: 'GET', url: '/health/ready?token=abc' })).toEqual({
      id: 1,
      method: 'GET',
      path: '/health/ready',
    });
  });
});
