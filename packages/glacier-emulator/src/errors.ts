// Every failure the emulator answers with is a GlacierError; server.ts turns it into the
// JSON body {code, message, type} of api-error-responses.md in one place.
export type ErrorType = 'Client' | 'Server';

export class GlacierError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: ErrorType = status >= 500 ? 'Server' : 'Client',
  ) {
    super(message);
  }
}

export function invalidParameter(message: string): GlacierError {
  return new GlacierError(400, 'InvalidParameterValueException', message);
}

export function missingParameter(message: string): GlacierError {
  return new GlacierError(400, 'MissingParameterValueException', message);
}

export function notFound(message: string): GlacierError {
  return new GlacierError(404, 'ResourceNotFoundException', message);
}

export function checksumMismatch(): GlacierError {
  return invalidParameter('Checksum mismatch');
}
