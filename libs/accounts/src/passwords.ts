import * as argon2 from 'argon2';

/** OWASP's argon2id minimum (19 MiB, 2 passes): every password hash of the network is made with these. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

let pretend: Promise<string> | undefined;

/**
 * Password hashing, in one place. `check` always runs one verification of the same cost: against the account's
 * hash, or (when no account has that email) against a stand-in hash made with the same parameters, so the answer's
 * timing does not tell whether an email has an account.
 */
export const passwords = {
  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  },

  verify(hash: string, password: string): Promise<boolean> {
    return argon2.verify(hash, password);
  },

  /** Whether `password` is the account's; false, after the same work, when there is no account (`hash` null). */
  async check(hash: string | null, password: string): Promise<boolean> {
    pretend ??= argon2.hash('a stand-in for an account that does not exist', ARGON2_OPTIONS);
    const ok = await passwords.verify(hash ?? (await pretend), password);
    return hash !== null && ok;
  },
};
