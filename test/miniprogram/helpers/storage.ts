/** In-memory wx storage for tests; emptied before each test. */
export const storage = new Map<string, unknown>();
