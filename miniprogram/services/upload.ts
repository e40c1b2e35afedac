import { config } from '../config';
import { getToken, login } from './auth';
import { ApiError, NETWORK_ERROR, toApiError } from './http';

export type UploadPath = '/uploads/images' | '/uploads/audio';

/** The multipart field the server reads the file from. */
const FIELD = 'file';

function uploadOnce<T>(path: UploadPath, filePath: string, token: string, onProgress?: (percent: number) => void, formData?: Record<string, string>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const task = wx.uploadFile({
      url: config.apiBaseUrl + path,
      filePath,
      name: FIELD,
      ...(formData ? { formData } : {}),
      header: token ? { Authorization: `Bearer ${token}` } : {},
      timeout: 60000,
      success: (res) => {
        let data: unknown = res.data;
        try {
          data = typeof res.data === 'string' ? JSON.parse(res.data) : res.data;
        } catch {
          // Not JSON (a proxy's error page): handled by the status below.
        }
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(data as T);
        else reject(toApiError(res.statusCode, data));
      },
      fail: () => reject(new ApiError(0, NETWORK_ERROR, '上传失败，请检查网络后重试')),
    });
    if (onProgress && task && typeof task.onProgressUpdate === 'function') {
      task.onProgressUpdate(({ progress }) => onProgress(progress));
    }
  });
}

/**
 * One file to the server with wx.uploadFile (multipart field `file`, plus `formData` fields such as the
 * `cohortId` a recording is for), reporting progress in percent.
 * Like api.ts, a 401 with a stored token logs in again silently and uploads once more.
 */
export async function uploadFile<T>(
  path: UploadPath,
  filePath: string,
  onProgress?: (percent: number) => void,
  formData?: Record<string, string>,
): Promise<T> {
  const token = getToken();
  try {
    return await uploadOnce<T>(path, filePath, token, onProgress, formData);
  } catch (error) {
    if (!token || !(error instanceof ApiError) || error.status !== 401) throw error;
    const { token: freshToken } = await login();
    return uploadOnce<T>(path, filePath, freshToken, onProgress, formData);
  }
}
