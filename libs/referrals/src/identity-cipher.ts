import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** What a survivor may choose to give: never needed for matching or placement. */
export interface Identity {
  name?: string | null;
  dateOfBirth?: string | null;
  phone?: string | null;
  notes?: string | null;
}

/** AES-256-GCM ciphertext with the id of the key that made it, so keys can rotate. */
export interface SealedIdentity {
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

export class IdentityCipher {
  constructor(private readonly keys: { current: string; keys: Map<string, Buffer> }) {}

  /** The referral id is bound as associated data: a ciphertext moved to another referral will not open. */
  seal(identity: Identity, referralId: string): SealedIdentity {
    const key = this.key(this.keys.current);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(referralId));
    const data = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()]);
    return {
      kid: this.keys.current,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  open(sealed: SealedIdentity, referralId: string): Identity {
    const decipher = createDecipheriv('aes-256-gcm', this.key(sealed.kid), Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(referralId));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Identity;
  }

  private key(kid: string): Buffer {
    const key = this.keys.keys.get(kid);
    if (!key || key.length !== 32) throw new Error(`identity key ${kid} is not configured`);
    return key;
  }
}
