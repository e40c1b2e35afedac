import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign,
  verify,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';

/**
 * The pure pieces of WeChat Pay APIv3 (直连商户): request and response signatures (SHA256withRSA,
 * PKCS#1 v1.5, base64), the Authorization header, wx.requestPayment's paySign, and the
 * AEAD_AES_256_GCM resources of notifications. No I/O, no clock: callers pass timestamps in.
 */

/** The only signature scheme APIv3 has (Authorization scheme and Wechatpay-Signature-Type). */
export const SIGNATURE_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

/** The only resource algorithm notifications use. */
export const RESOURCE_ALGORITHM = 'AEAD_AES_256_GCM';

/** GCM authentication tag: the last 16 bytes of the base64-decoded ciphertext. */
const GCM_TAG_BYTES = 16;

/** A PEM string (or an already loaded key). */
export type KeyInput = string | KeyObject;

/** Environment variables often carry PEMs with literal `\n`: accept those too. */
function normalisePem(pem: string): string {
  return !pem.includes('\n') && pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
}

/** The merchant's API private key (apiclient_key.pem, PKCS#8 or PKCS#1). Throws a plain Error naming `what`. */
export function loadPrivateKey(key: KeyInput, what = 'private key'): KeyObject {
  if (typeof key !== 'string') return key;
  try {
    return createPrivateKey(normalisePem(key));
  } catch (error) {
    throw new Error(`${what} is not a PEM private key: ${(error as Error).message}`);
  }
}

/**
 * WeChat Pay's public key: the "WeChat Pay public key" PEM (serial `PUB_KEY_ID_…`) or a platform
 * certificate PEM (serial = the certificate's). Throws a plain Error naming `what`.
 */
export function loadPublicKey(key: KeyInput, what = 'public key'): KeyObject {
  if (typeof key !== 'string') return key;
  try {
    return createPublicKey(normalisePem(key));
  } catch (error) {
    throw new Error(`${what} is not a PEM public key or certificate: ${(error as Error).message}`);
  }
}

/** The serial number of a certificate PEM (upper-case hex), or null when the PEM is a bare public key. */
export function certificateSerialOf(pem: string): string | null {
  const text = normalisePem(pem);
  if (!text.includes('BEGIN CERTIFICATE')) return null;
  return new X509Certificate(text).serialNumber.toUpperCase();
}

/** base64(SHA256withRSA(key, message)). */
export function signMessage(message: string, privateKey: KeyInput): string {
  return sign('sha256', Buffer.from(message, 'utf8'), loadPrivateKey(privateKey)).toString('base64');
}

/** True when `signature` (base64) is `publicKey`'s SHA256withRSA signature of `message`; false for anything malformed. */
export function verifySignature(message: string, signature: string, publicKey: KeyInput): boolean {
  if (typeof signature !== 'string' || signature === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify('sha256', Buffer.from(message, 'utf8'), loadPublicKey(publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** 32 random upper-case hex characters: request nonces and nonceStr (WeChat allows at most 32). */
export function newNonce(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** A random 32-character APIv3 key (fake mode and tests). */
export function newApiV3Key(): string {
  return randomBytes(16).toString('hex');
}

/** Unix seconds, as WeChat Pay wants every timestamp. */
export function unixSeconds(date: Date): string {
  return String(Math.floor(date.getTime() / 1000));
}

/** RFC 3339 in Beijing time without fractions (`2015-05-20T13:29:35+08:00`), the form WeChat Pay documents. */
export function toWeChatTime(date: Date): string {
  const beijing = new Date(date.getTime() + 8 * 60 * 60 * 1000);
  return `${beijing.toISOString().slice(0, 19)}+08:00`;
}

/** What the merchant signs for a request: "METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n" (body empty for GET). */
export function requestSignatureMessage(method: string, pathWithQuery: string, timestamp: string, nonce: string, body: string): string {
  return `${method.toUpperCase()}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** What WeChat Pay signs for a response or a notification: "timestamp\nnonce\nbody\n". */
export function wechatpaySignatureMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export interface AuthorizationInput {
  mchId: string;
  /** The merchant API certificate's serial number. */
  serialNo: string;
  privateKey: KeyInput;
  method: string;
  /** The URL without scheme and host: `/v3/pay/transactions/jsapi` (plus `?query` when there is one). */
  pathWithQuery: string;
  /** Unix seconds. */
  timestamp: string;
  nonce: string;
  /** Exactly the bytes sent ('' for GET). */
  body: string;
}

/** `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"` */
export function buildAuthorization(input: AuthorizationInput): string {
  const signature = signMessage(
    requestSignatureMessage(input.method, input.pathWithQuery, input.timestamp, input.nonce, input.body),
    input.privateKey,
  );
  return (
    `${SIGNATURE_SCHEME} mchid="${input.mchId}",nonce_str="${input.nonce}",signature="${signature}",` +
    `timestamp="${input.timestamp}",serial_no="${input.serialNo}"`
  );
}

export interface ParsedAuthorization {
  mchid: string;
  nonce_str: string;
  signature: string;
  timestamp: string;
  serial_no: string;
}

/** The parts of an Authorization header (what WeChat Pay reads; used by fake servers), or null when malformed. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | null {
  if (!header?.startsWith(`${SIGNATURE_SCHEME} `)) return null;
  const fields: Record<string, string> = {};
  for (const match of header.slice(SIGNATURE_SCHEME.length + 1).matchAll(/\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/g)) {
    fields[match[1]] = match[2];
  }
  const { mchid, nonce_str, signature, timestamp, serial_no } = fields;
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) return null;
  return { mchid, nonce_str, signature, timestamp, serial_no };
}

/** wx.requestPayment's paySign: base64(SHA256withRSA(merchant key, "appId\ntimeStamp\nnonceStr\npackage\n")). */
export function paySignFor(
  params: { appId: string; timeStamp: string; nonceStr: string; package: string },
  merchantPrivateKey: KeyInput,
): string {
  return signMessage(`${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`, merchantPrivateKey);
}

/** A notification's `resource` (encrypted). */
export interface EncryptedResource {
  original_type?: string;
  algorithm: string;
  /** base64(ciphertext ‖ 16-byte GCM tag). */
  ciphertext: string;
  associated_data: string;
  /** The GCM IV as text (WeChat sends 12 characters). */
  nonce: string;
}

function apiV3KeyBytes(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('the APIv3 key must be 32 bytes');
  return key;
}

/** Encrypts like WeChat Pay does (fake mode and tests): AES-256-GCM, key = APIv3 key, iv = nonce, AAD = associated_data. */
export function encryptResource(
  plaintext: string,
  apiV3Key: string,
  options: { associatedData?: string; nonce?: string; originalType?: string } = {},
): EncryptedResource {
  const nonce = options.nonce ?? randomBytes(6).toString('hex');
  const associatedData = options.associatedData ?? 'transaction';
  const cipher = createCipheriv('aes-256-gcm', apiV3KeyBytes(apiV3Key), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    original_type: options.originalType ?? 'transaction',
    algorithm: RESOURCE_ALGORITHM,
    ciphertext: encrypted.toString('base64'),
    associated_data: associatedData,
    nonce,
  };
}

/** The plaintext of a resource; throws an Error when it does not authenticate with this key, nonce and AAD. */
export function decryptResource(resource: Pick<EncryptedResource, 'ciphertext' | 'nonce' | 'associated_data'>, apiV3Key: string): string {
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= GCM_TAG_BYTES) throw new Error('the ciphertext is too short to hold a GCM tag');
  if (resource.nonce === '') throw new Error('the resource has no nonce');
  const decipher = createDecipheriv('aes-256-gcm', apiV3KeyBytes(apiV3Key), Buffer.from(resource.nonce, 'utf8'), {
    authTagLength: GCM_TAG_BYTES,
  });
  decipher.setAuthTag(data.subarray(data.length - GCM_TAG_BYTES));
  decipher.setAAD(Buffer.from(resource.associated_data, 'utf8'));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - GCM_TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** What wx.requestPayment needs for a prepay id, signed with the merchant key at `now`. */
export function clientPaymentParams(
  appId: string,
  prepayId: string,
  merchantPrivateKey: KeyInput,
  now: Date,
): { timeStamp: string; nonceStr: string; package: string; signType: 'RSA'; paySign: string } {
  const timeStamp = unixSeconds(now);
  const nonceStr = newNonce();
  const pkg = `prepay_id=${prepayId}`;
  return { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign: paySignFor({ appId, timeStamp, nonceStr, package: pkg }, merchantPrivateKey) };
}
