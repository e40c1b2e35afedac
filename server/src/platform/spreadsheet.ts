import type * as ExcelJSModule from 'exceljs';

/** exceljs takes about a second to load: the first XLSX export or import pays for it, not every start of the server. */
let excelJs: typeof ExcelJSModule | undefined;
export function loadExcelJs(): typeof ExcelJSModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  excelJs ??= require('exceljs') as typeof ExcelJSModule;
  return excelJs;
}

/**
 * A spreadsheet program runs a cell that starts with = + - @ as a formula: member-written text
 * (nicknames, notes, addresses) gets a leading apostrophe so it stays text (OWASP's CSV injection advice).
 */
export function neutralizeFormula(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
