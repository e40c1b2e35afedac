import type { DataSource } from 'typeorm';

/** The SQL statements sent while `work` runs (TypeORM hands every one of them to its logger), whitespace folded. */
export async function statementsDuring(dataSource: DataSource, work: () => Promise<unknown>): Promise<string[]> {
  const logger = dataSource.logger;
  const original = logger.logQuery.bind(logger);
  const seen: string[] = [];
  logger.logQuery = (query, parameters, runner) => {
    seen.push(query.replace(/\s+/g, ' ').trim());
    return original(query, parameters, runner);
  };
  try {
    await work();
  } finally {
    logger.logQuery = original;
  }
  return seen;
}
