// Types for compose-spec-validator.js, which scripts/gen-schema-validator.mjs generates from
// compose-spec.json with ajv's standalone code (allErrors, verbose).
import type { ValidateFunction } from 'ajv';

/** sha256 of the compose-spec.json text the validator was generated from. */
export declare const SCHEMA_SHA256: string;
export declare const validate: ValidateFunction;
export default validate;
