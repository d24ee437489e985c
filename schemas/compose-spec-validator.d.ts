// Types for compose-spec-validator.js, which scripts/gen-schema-validator.mjs generates from
// compose-spec.json with ajv's standalone code (allErrors, verbose).
import type { ValidateFunction } from 'ajv';

/** Length and FNV-1a checksum of the compose-spec.json text the validator was generated from. */
export declare const SCHEMA_CHECKSUM: string;
export declare const validate: ValidateFunction;
export default validate;
