import { createHash, createHmac } from 'node:crypto';
import { APPLICATION_PRIVILEGES, DatabaseRoleError, roleOf, scramVerifier } from './privileges';

describe('the application role', () => {
  it('is the user DATABASE_URL names, with its password when it carries one', () => {
    expect(roleOf('postgres://shelterlink_app@db:5432/shelterlink')).toEqual({
      role: 'shelterlink_app',
      password: null,
    });
    expect(roleOf('postgres://app:s%40cret@db/x')).toEqual({ role: 'app', password: 's@cret' });
    for (const url of ['postgres://db/x', 'postgres://App"; DROP@db/x', 'postgres://Robert@db/x']) {
      expect(() => roleOf(url)).toThrow(DatabaseRoleError);
    }
  });

  it('never may delete from or change the append-only tables', () => {
    for (const table of ['audit_event', 'identity_access']) {
      expect(APPLICATION_PRIVILEGES[table]).toEqual(['SELECT', 'INSERT']);
    }
    expect(APPLICATION_PRIVILEGES.referral_event).toEqual(['SELECT', 'INSERT', 'UPDATE (note)']);
    expect(APPLICATION_PRIVILEGES.capacity_event).toEqual(['SELECT', 'INSERT', 'UPDATE (reason)']);
    expect(APPLICATION_PRIVILEGES.migrations).toEqual([]);
    const deleters = Object.entries(APPLICATION_PRIVILEGES).filter(([, rights]) => rights.includes('DELETE'));
    // a coordinator's regions are replaced; idempotency keys are purged after IDEMPOTENCY_KEY_DAYS, refresh tokens
    // a few days after their sign-in ended
    expect(deleters.map(([table]) => table)).toEqual(['idempotency_key', 'refresh_session', 'user_region']);
  });
});

describe('SCRAM-SHA-256 verifier', () => {
  // RFC 7677, section 3: user "user", password "pencil"
  const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
  const authMessage = [
    'n=user,r=rOprNGfwEbeRWgbNEkqO',
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  ].join(',');

  it("holds the keys that verify the RFC's exchange: its server signature and its client proof", () => {
    const verifier = scramVerifier('pencil', salt, 4096);
    const match = /^SCRAM-SHA-256\$4096:([^$]+)\$([^:]+):(.+)$/.exec(verifier);
    expect(match?.[1]).toBe('W22ZaJ0SNY7soEsUEjb6gQ==');
    const storedKey = Buffer.from(match![2], 'base64');
    const serverKey = Buffer.from(match![3], 'base64');
    const serverSignature = createHmac('sha256', serverKey).update(authMessage).digest('base64');
    expect(serverSignature).toBe('6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    // the proof the RFC's client sent, undone with the stored key, gives a client key hashing to that stored key
    const proof = Buffer.from('dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=', 'base64');
    const signature = createHmac('sha256', storedKey).update(authMessage).digest();
    const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]));
    expect(createHash('sha256').update(clientKey).digest().equals(storedKey)).toBe(true);
  });

  it('takes a fresh salt each time, and refuses what SASLprep would change', () => {
    expect(scramVerifier('pencil')).not.toBe(scramVerifier('pencil'));
    expect(() => scramVerifier('pass word')).toThrow(DatabaseRoleError);
    expect(() => scramVerifier('pässword')).toThrow(DatabaseRoleError);
  });
});
