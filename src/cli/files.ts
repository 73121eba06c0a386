// Input files named on the command line: a missing one is the user's mistake, told in one line.
import { statSync } from 'node:fs';
import { AppError } from '../platform/errors.ts';

/** What each kind of input file is called, in both languages. */
const FILES = {
  events: { en: 'The events file', zh: '事件文件' },
  model: { en: 'The model file', zh: '模型文件' },
  knobs: { en: 'The knob file', zh: '参数文件' },
  truth: { en: 'The truth file', zh: '真值文件' },
  scores: { en: 'The scores file', zh: '评分文件' },
} as const;

export function requireFile(path: string, what: keyof typeof FILES): string {
  const name = FILES[what];
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new AppError('invalid_input', {
      en: `${name.en} ${path} does not exist.`,
      zh: `${name.zh} ${path} 不存在。`,
    });
  }
  if (!isFile)
    throw new AppError('invalid_input', {
      en: `${name.en} ${path} is not a file.`,
      zh: `${name.zh} ${path} 不是文件。`,
    });
  return path;
}
