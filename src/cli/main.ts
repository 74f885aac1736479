import { buildProgram } from './program.js';
import { exitCodeFor, printError } from './exit-codes.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    printError(error);
    process.exit(exitCodeFor(error));
  });
