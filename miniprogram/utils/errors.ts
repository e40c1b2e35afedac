import { ApiError } from '../services/http';

/** What a person reads for a failed action: the server's message, or a generic one. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return '出了点问题，请稍后重试';
}

export function codeOf(error: unknown): string {
  return error instanceof ApiError ? error.code : 'UNKNOWN_ERROR';
}
