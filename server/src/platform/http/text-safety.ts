/**
 * What user text may contain (pure rules). Strings in a JSON body pass through `cleanJsonText`
 * before validation:
 * - stripped: characters that are invisible or change the direction of what follows (bidi
 *   controls, zero-width spaces and joiners, BOM, soft hyphen, Hangul fillers used as blank names),
 *   which would let one name pass for another or scramble a feed. A zero-width joiner inside an
 *   emoji sequence (👩‍👩‍👧) is kept;
 * - refused: NUL and other control characters (tab, line feed and carriage return are text), and
 *   lone UTF-16 surrogates (which no real client sends and storage would turn into `�`).
 */

const invisible = /[\u00AD\u061C\u115F\u1160\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0]/gu;
/** A ZWJ not between a pictograph (optionally with a variation selector or skin tone) and another pictograph. */
const strayJoiner = /(?<![\p{Extended_Pictographic}\u{FE0F}\p{Emoji_Modifier}])\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** How deep a JSON body may nest (no request of this API needs more than a few levels). */
export const MAX_JSON_DEPTH = 32;

export interface TextProblem {
  path: string;
  message: string;
}

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The text without invisible and direction-changing characters, or a problem that refuses it. */
export function cleanText(text: string): { text: string } | { problem: string } {
  const control = controlCharacter.exec(text);
  if (control) return { problem: `contains the control character ${codePoint(control[0])}; remove it` };
  if (loneSurrogate.test(text)) return { problem: 'contains a broken character (a lone UTF-16 surrogate); send valid Unicode text' };
  return { text: text.replace(invisible, '').replace(strayJoiner, '') };
}

/**
 * Every string of a parsed JSON body cleaned by `cleanText` (object keys are left to validation,
 * which refuses unknown ones). Problems name the field (`body.nickname`, `body.imageUrls.2`).
 */
export function cleanJsonText(value: unknown, root = 'body'): { value: unknown; problems: TextProblem[] } {
  const problems: TextProblem[] = [];
  const walk = (node: unknown, path: string, depth: number): unknown => {
    if (typeof node === 'string') {
      const cleaned = cleanText(node);
      if ('problem' in cleaned) {
        problems.push({ path, message: cleaned.problem });
        return node;
      }
      return cleaned.text;
    }
    if (node === null || typeof node !== 'object') return node;
    if (depth >= MAX_JSON_DEPTH) {
      problems.push({ path, message: `is nested more than ${MAX_JSON_DEPTH} levels deep` });
      return node;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}.${i}`, depth + 1));
    // fromEntries defines own properties, so a "__proto__" key stays a key (for validation to refuse).
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, `${path}.${key}`, depth + 1)]));
  };
  const cleaned = walk(value, root, 0);
  return { value: cleaned, problems };
}
