// A server test boots the real app on a real database; on a loaded 2-core CI machine (or beside other
// jobs) a file's beforeAll alone can pass jest's 5 s default. Hangs are still caught, at 20 s.
jest.setTimeout(20_000);
