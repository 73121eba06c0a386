// Input files named on the command line: a missing one is the user's mistake, told in one line.
import { statSync } from 'node:fs';
import { AppError } from '../platform/errors.ts';

export function requireFile(path: string, what: string): string {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new AppError('invalid_input', `${what} ${path} does not exist.`);
  }
  if (!isFile) throw new AppError('invalid_input', `${what} ${path} is not a file.`);
  return path;
}
