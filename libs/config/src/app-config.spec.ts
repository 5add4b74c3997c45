import { AppConfig, ConfigError, parseEnv } from './app-config';

describe('configuration', () => {
  it('has working defaults for development', () => {
    const config = new AppConfig({});
    expect(config.env.PORT).toBe(3000);
    expect(config.isProduction).toBe(false);
  });

  it('names each invalid variable, without echoing its value', () => {
    expect(() => parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://secret-host/db' })).toThrow(ConfigError);
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://secret-host/db' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL');
      expect(message).not.toContain('secret-host');
    }
  });

  it('requires a strong JWT secret in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: is required in production/);
    expect(() => parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(() => parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(
      /IDENTITY_KEYS: is required/,
    );
    const keys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    expect(() => parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), IDENTITY_KEYS: keys })).toThrow(
      /WEBHOOK_SIGNING_KEY: is required/,
    );
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), IDENTITY_KEYS: keys };
    expect(new AppConfig({ ...production, WEBHOOK_SIGNING_KEY: 'w'.repeat(32) }).introspection).toBe(false);
  });
});
