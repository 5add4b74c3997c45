import { AppConfig, ConfigError, parseEnv } from './app-config';

describe('configuration', () => {
  it('has working defaults for development, asked for explicitly, on loopback only', () => {
    const config = new AppConfig({ NODE_ENV: 'development' });
    expect(config.env.PORT).toBe(3000);
    expect(config.isProduction).toBe(false);
    expect(config.host).toBe('127.0.0.1');
    expect(config.jwtSecret).toMatch(/development-only/);
    expect(new AppConfig({ NODE_ENV: 'test', HOST: '::1' }).host).toBe('::1');
    for (const host of ['0.0.0.0', '10.0.0.5', '::']) {
      expect(() => parseEnv({ NODE_ENV: 'development', HOST: host })).toThrow(/HOST: development and test mode/);
    }
  });

  it('is production unless development is asked for: no published secret ever stands in silently', () => {
    expect(() => parseEnv({})).toThrow(/JWT_SECRET: is required/);
    try {
      parseEnv({});
    } catch (error) {
      expect((error as Error).message).toMatch(/IDENTITY_KEYS: is required/);
      expect((error as Error).message).toMatch(/WEBHOOK_SIGNING_KEY: is required/);
      expect((error as Error).message).toMatch(/METRICS_TOKEN: is required/);
    }
    const keys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    const real = {
      JWT_SECRET: 'j'.repeat(32),
      IDENTITY_KEYS: keys,
      WEBHOOK_SIGNING_KEY: 'w'.repeat(32),
      METRICS_TOKEN: 'm'.repeat(24),
    };
    const unset = new AppConfig(real);
    expect(unset.isProduction).toBe(true);
    expect(unset.host).toBe('0.0.0.0');
    expect(unset.jwtSecret).toBe('j'.repeat(32));
  });

  it('names each invalid variable, without echoing its value', () => {
    const bad = { NODE_ENV: 'development', PORT: 'eighty', DATABASE_URL: 'mysql://secret-host/db' };
    expect(() => parseEnv(bad)).toThrow(ConfigError);
    try {
      parseEnv(bad);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).not.toContain('secret-host');
    }
  });

  it('requires a strong JWT secret in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: is required/);
    expect(() => parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(() => parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(
      /IDENTITY_KEYS: is required/,
    );
    const keys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    expect(() => parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), IDENTITY_KEYS: keys })).toThrow(
      /WEBHOOK_SIGNING_KEY: is required/,
    );
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      IDENTITY_KEYS: keys,
      WEBHOOK_SIGNING_KEY: 'w'.repeat(32),
    };
    expect(() => parseEnv(production)).toThrow(/METRICS_TOKEN: is required/);
    expect(() => parseEnv({ ...production, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16/);
    expect(new AppConfig({ ...production, METRICS_TOKEN: 'm'.repeat(24) }).introspection).toBe(false);
  });
});
