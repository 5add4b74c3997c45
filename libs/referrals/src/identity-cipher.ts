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

/** GCM's full 16-byte tag, and its standard 12-byte nonce: nothing shorter is accepted when opening. */
const TAG_BYTES = 16;
const IV_BYTES = 12;

export class IdentityCipher {
  constructor(private readonly keys: { current: string; keys: Map<string, Buffer> }) {}

  /** The referral id is bound as associated data: a ciphertext moved to another referral will not open. */
  seal(identity: Identity, referralId: string): SealedIdentity {
    const key = this.key(this.keys.current);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(referralId));
    const data = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()]);
    return {
      kid: this.keys.current,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    };
  }

  /**
   * The tag length is pinned: GCM would otherwise accept a tag cut down to 4 bytes, which a forger needs only about
   * 2³² tries to match.
   */
  open(sealed: SealedIdentity, referralId: string): Identity {
    const iv = Buffer.from(sealed.iv, 'base64');
    const tag = Buffer.from(sealed.tag, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('identity ciphertext is malformed');
    const decipher = createDecipheriv('aes-256-gcm', this.key(sealed.kid), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(referralId));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Identity;
  }

  private key(kid: string): Buffer {
    const key = this.keys.keys.get(kid);
    if (!key || key.length !== 32) throw new Error(`identity key ${kid} is not configured`);
    return key;
  }
}
