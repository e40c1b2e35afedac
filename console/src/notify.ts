import { ElMessage } from 'element-plus';
import { ApiError, messageOf } from './api/errors';

/** Shows what went wrong; an ended session says nothing here (the console goes to the login page). */
export function showError(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) return;
  ElMessage.error(messageOf(error));
}
