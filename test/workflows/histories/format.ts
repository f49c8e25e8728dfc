import { temporal } from '@temporalio/proto';

/**
 * Histories as JSON files, through the SDK's own protobuf classes. (The SDK's historyToJSON
 * fails in this install: its protobufjs copy does not recognise @temporalio/proto's types,
 * "type must be a Type".) Enums are names, 64-bit numbers strings and bytes base64, so a file
 * reads and diffs as text and comes back exactly.
 */
const { History } = temporal.api.history.v1;

export const historyToObject = (history: temporal.api.history.v1.IHistory) =>
  History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });

export const historyFromObject = (json: unknown) => History.fromObject(json as Record<string, unknown>);
