import { randomBytes } from 'node:crypto';
import { IdentityCipher } from './identity-cipher';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe('identity encryption', () => {
  it('round-trips, and the ciphertext shows nothing of the identity', () => {
    const cipher = new IdentityCipher({ current: 'k1', keys: new Map([['k1', k1]]) });
    const sealed = cipher.seal({ name: 'Maria Example', phone: '+1 555 0199' }, 'referral-1');
    expect(sealed.kid).toBe('k1');
    expect(JSON.stringify(sealed)).not.toMatch(/Maria|555/);
    expect(cipher.open(sealed, 'referral-1')).toEqual({ name: 'Maria Example', phone: '+1 555 0199' });
  });

  it('opens old ciphertexts after the keys rotate, and seals new ones with the new key', () => {
    const before = new IdentityCipher({ current: 'k1', keys: new Map([['k1', k1]]) });
    const sealed = before.seal({ name: 'A' }, 'r');
    const after = new IdentityCipher({
      current: 'k2',
      keys: new Map([
        ['k2', k2],
        ['k1', k1],
      ]),
    });
    expect(after.open(sealed, 'r')).toEqual({ name: 'A' });
    expect(after.seal({ name: 'B' }, 'r').kid).toBe('k2');
  });

  it('refuses a tampered ciphertext or one moved to another referral', () => {
    const cipher = new IdentityCipher({ current: 'k1', keys: new Map([['k1', k1]]) });
    const sealed = cipher.seal({ name: 'A' }, 'r1');
    expect(() => cipher.open(sealed, 'r2')).toThrow();
    const data = Buffer.from(sealed.data, 'base64');
    data[0] ^= 1;
    expect(() => cipher.open({ ...sealed, data: data.toString('base64') }, 'r1')).toThrow();
  });

  it("refuses a tag cut short, even the real tag's beginning (GCM would accept 4 bytes)", () => {
    const cipher = new IdentityCipher({ current: 'k1', keys: new Map([['k1', k1]]) });
    const sealed = cipher.seal({ name: 'A' }, 'r1');
    const tag = Buffer.from(sealed.tag, 'base64');
    expect(tag).toHaveLength(16);
    for (const length of [4, 8, 12, 15]) {
      expect(() => cipher.open({ ...sealed, tag: tag.subarray(0, length).toString('base64') }, 'r1')).toThrow(
        /malformed/,
      );
    }
    expect(() => cipher.open({ ...sealed, iv: Buffer.alloc(16).toString('base64') }, 'r1')).toThrow(/malformed/);
  });
});
